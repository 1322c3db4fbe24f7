namespace Emotion.Privacy;

/// <summary>What one turn leaves for the next (opaque; see <see cref="Redactor.Redact(string, out RedactionCounts, string?, ref RedactionCarry)"/>).</summary>
public readonly struct RedactionCarry
{
    internal RedactionCarry(Cue cue) => Cue = cue;

    internal Cue Cue { get; }

    /// <summary>True when the last turn asked for or announced a value that has not come yet.</summary>
    public bool IsPending => Cue != Cue.None;
}

/// <summary>One value found in a text: where it is and what it is.</summary>
/// <param name="Start">Index of its first character.</param>
/// <param name="Length">Number of characters, separators and spelled-out words included.</param>
public readonly record struct PiiSpan(int Start, int Length, PiiType Type)
{
    public int End => Start + Length;
}

/// <summary>
/// Finds and replaces personal data in transcript and chat text: payment cards, IBANs and other bank accounts, e-mail
/// addresses, phone numbers and national ids, written with digits or spelled out in Spanish or English words, with
/// spaces, dashes and dots. Values with a check digit are taken on their own; values without one (a phone number, an
/// Argentine DNI, a Colombian cédula) need their shape and the words around them ("mi dni es ...", "call me at ...");
/// words that name something else (order, invoice, tracking, flight, amounts) keep a number as it is. docs/privacy.md
/// lists the rules and the measured precision and recall.
/// </summary>
/// <remarks>Thread-safe. Each thread reuses its own scratch buffers, so a text without personal data allocates
/// nothing and a redacted one allocates its new string.</remarks>
public sealed class Redactor
{
    private readonly int _enabled;

    /// <summary>A redactor for every type.</summary>
    public Redactor()
        : this(null)
    {
    }

    /// <summary>A redactor for <paramref name="types"/> (null: every type).</summary>
    public Redactor(IEnumerable<PiiType>? types)
    {
        if (types is null)
        {
            _enabled = (1 << Placeholders.TypeCount) - 1;
            return;
        }
        foreach (var t in types) _enabled |= 1 << (int)t;
    }

    /// <summary>Every type, shared.</summary>
    public static Redactor Default { get; } = new();

    [ThreadStatic]
    private static Scanner? t_scanner;

    /// <summary>
    /// <paramref name="text"/> with every value replaced by its placeholder (<c>&lt;card&gt;</c>, <c>&lt;id&gt;</c>, ...);
    /// the same instance when nothing was found. A placeholder that the text itself contains is turned into its plain
    /// word, so every placeholder in a stored text stands for a redaction.
    /// </summary>
    /// <param name="language">The segment's language tag when known; an English one lets "o" read as zero inside digits.</param>
    public string Redact(string text, out RedactionCounts counts, string? language = null)
    {
        counts = default;
        if (string.IsNullOrEmpty(text)) return text;
        var scanner = t_scanner ??= new Scanner();
        var found = scanner.Run(text, IsEnglish(language), _enabled);
        var literal = text.Contains('<', StringComparison.Ordinal) && ContainsPlaceholder(text);
        if (found == 0 && !literal) return text;
        return scanner.Replace(text, found, ref counts);
    }

    /// <summary>
    /// As <see cref="Redact(string, out RedactionCounts, string?)"/>, for one turn of a conversation: <paramref name="carry"/>
    /// brings what the previous turn asked for or announced ("¿me confirma su DNI?", "my card number is") to a number
    /// at the start of this turn that has no words of its own around it, and takes this turn's to the next.
    /// </summary>
    public string Redact(string text, out RedactionCounts counts, string? language, ref RedactionCarry carry)
    {
        counts = default;
        if (string.IsNullOrEmpty(text)) return text;
        var scanner = t_scanner ??= new Scanner();
        var found = scanner.Run(text, IsEnglish(language), _enabled, carry.Cue);
        carry = new RedactionCarry(scanner.TrailingCue);
        var literal = text.Contains('<', StringComparison.Ordinal) && ContainsPlaceholder(text);
        if (found == 0 && !literal) return text;
        return scanner.Replace(text, found, ref counts);
    }

    /// <summary>The values in <paramref name="text"/>, in order (for tests and evaluation; allocates the list).</summary>
    public IReadOnlyList<PiiSpan> Find(string text, string? language = null)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var scanner = t_scanner ??= new Scanner();
        var found = scanner.Run(text, IsEnglish(language), _enabled);
        var list = new List<PiiSpan>(found);
        for (var i = 0; i < found; i++) list.Add(scanner.Spans[i]);
        return list;
    }

    private static bool IsEnglish(string? language) =>
        language is { Length: >= 2 } l && (l[0] is 'e' or 'E') && (l[1] is 'n' or 'N') && (l.Length == 2 || l[2] is '-' or '_');

    private static bool ContainsPlaceholder(string text)
    {
        foreach (var p in Placeholders.All)
        {
            if (text.Contains(p, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
