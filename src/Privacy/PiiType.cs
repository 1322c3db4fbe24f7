namespace Emotion.Privacy;

/// <summary>The kinds of personal data the redactor replaces, each with its own placeholder word.</summary>
public enum PiiType
{
    /// <summary>Payment card number (Luhn-checked), or a card's security code named as such.</summary>
    Card = 0,
    /// <summary>International bank account number (mod-97 checked).</summary>
    Iban = 1,
    /// <summary>Other bank account numbers: CBU/CVU (AR), CLABE (MX), CCC (ES), and account numbers named as such.</summary>
    Account = 2,
    /// <summary>E-mail address, written or spelled out ("juan punto perez arroba gmail punto com").</summary>
    Email = 3,
    /// <summary>Telephone number, national or international form of ES, AR, MX, CO, CL, PE, US and UK.</summary>
    Phone = 4,
    /// <summary>National identity and tax numbers: DNI/NIE, DNI/CUIT/CUIL, RUT, CURP/RFC, cédula, SSN.</summary>
    Id = 5,
}

/// <summary>The placeholder words that replace redacted values (see docs/privacy.md, "Placeholders").</summary>
public static class Placeholders
{
    /// <summary>Number of <see cref="PiiType"/> values.</summary>
    public const int TypeCount = 6;

    public const string Card = "<card>";
    public const string Iban = "<iban>";
    public const string Account = "<account>";
    public const string Email = "<email>";
    public const string Phone = "<phone>";
    public const string Id = "<id>";

    private static readonly string[] s_all = [Card, Iban, Account, Email, Phone, Id];
    private static readonly string[] s_names = ["card", "iban", "account", "email", "phone", "id"];

    /// <summary>The placeholder written for <paramref name="type"/>.</summary>
    public static string For(PiiType type) => s_all[(int)type];

    /// <summary>The lower-case name of <paramref name="type"/> (<c>card</c>, <c>iban</c>, ...), as in metrics and the ClickHouse columns.</summary>
    public static string Name(PiiType type) => s_names[(int)type];

    /// <summary>Every placeholder, in <see cref="PiiType"/> order.</summary>
    public static IReadOnlyList<string> All => s_all;
}
