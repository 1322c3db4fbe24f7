using System.Globalization;
using System.Text;

namespace Emotion.Scoring;

/// <summary>
/// Accent-, case- and punctuation-insensitive text form used for every cue match: NFKD, combining marks dropped,
/// lower-cased (invariant), every run of characters that are not letters or digits turned into one space.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/>; "¿Cómo  está, Sr. Núñez?" becomes "como esta sr nunez".</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                pendingSpace = false;
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSpace = true;
            }
        }
        return sb.ToString();
    }

    /// <summary>Number of words in an already normalized text.</summary>
    public static int WordCount(string normalized) =>
        normalized.Length == 0 ? 0 : normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>
/// A compiled set of cue phrases matched on whole words against normalized text
/// ("no es mi area" matches "eso no es mi área, señora" but "mes" does not match "mesa").
/// </summary>
public sealed class CueMatcher
{
    private readonly string[] _padded;

    /// <summary>The normalized phrases, in the order given, duplicates and empties removed.</summary>
    public IReadOnlyList<string> Phrases { get; }

    public CueMatcher(IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        Phrases = phrases.Select(TextNormalizer.Normalize).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _padded = Phrases.Select(p => " " + p + " ").ToArray();
    }

    /// <summary>An empty matcher that never matches.</summary>
    public static CueMatcher Empty { get; } = new([]);

    /// <summary>True when any phrase occurs in <paramref name="normalized"/> on word boundaries.</summary>
    public bool IsMatch(string normalized) => FirstMatch(normalized) is not null;

    /// <summary>The first phrase (in configuration order) that occurs in <paramref name="normalized"/>, or null.</summary>
    public string? FirstMatch(string normalized)
    {
        if (normalized.Length == 0) return null;
        var text = " " + normalized + " ";
        for (var i = 0; i < _padded.Length; i++)
        {
            if (text.Contains(_padded[i], StringComparison.Ordinal)) return Phrases[i];
        }
        return null;
    }

    /// <summary>Removes every occurrence of every phrase (longest first) and returns what is left, normalized.</summary>
    public string RemoveAll(string normalized)
    {
        if (normalized.Length == 0) return normalized;
        var text = " " + normalized + " ";
        foreach (var p in _padded.OrderByDescending(p => p.Length))
        {
            while (text.Contains(p, StringComparison.Ordinal)) text = text.Replace(p, " ", StringComparison.Ordinal);
        }
        return TextNormalizer.Normalize(text);
    }
}
