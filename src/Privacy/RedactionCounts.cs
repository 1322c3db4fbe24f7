using System.Globalization;
using System.Text;

namespace Emotion.Privacy;

/// <summary>How many values of each type one text (or many) had redacted. Counts only, never the values.</summary>
public readonly record struct RedactionCounts(int Card, int Iban, int Account, int Email, int Phone, int Id)
{
    /// <summary>Nothing redacted.</summary>
    public static RedactionCounts None => default;

    /// <summary>All redactions together.</summary>
    public int Total => Card + Iban + Account + Email + Phone + Id;

    /// <summary>The count of <paramref name="type"/>.</summary>
    public int this[PiiType type] => type switch
    {
        PiiType.Card => Card,
        PiiType.Iban => Iban,
        PiiType.Account => Account,
        PiiType.Email => Email,
        PiiType.Phone => Phone,
        PiiType.Id => Id,
        _ => 0,
    };

    /// <summary>These counts plus one of <paramref name="type"/>.</summary>
    public RedactionCounts Plus(PiiType type) => type switch
    {
        PiiType.Card => this with { Card = Card + 1 },
        PiiType.Iban => this with { Iban = Iban + 1 },
        PiiType.Account => this with { Account = Account + 1 },
        PiiType.Email => this with { Email = Email + 1 },
        PiiType.Phone => this with { Phone = Phone + 1 },
        PiiType.Id => this with { Id = Id + 1 },
        _ => this,
    };

    public static RedactionCounts operator +(RedactionCounts a, RedactionCounts b) =>
        new(a.Card + b.Card, a.Iban + b.Iban, a.Account + b.Account, a.Email + b.Email, a.Phone + b.Phone, a.Id + b.Id);

    /// <summary><c>card=1 phone=2</c>; <c>none</c> when empty.</summary>
    public override string ToString()
    {
        if (Total == 0) return "none";
        var sb = new StringBuilder();
        for (var t = 0; t < Placeholders.TypeCount; t++)
        {
            var n = this[(PiiType)t];
            if (n == 0) continue;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(Placeholders.Name((PiiType)t)).Append('=').Append(n.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
