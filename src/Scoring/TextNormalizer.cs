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
        // NFKD of a string is the NFKD of each character followed by the canonical reordering of combining marks, and
        // every mark is dropped here: so each character is decomposed on its own (cached per character; ASCII is its own
        // decomposition), which spares the ICU call per turn. Text with surrogate pairs takes the whole-string path.
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (c < '\u0080')
            {
                Append(sb, c, ref pendingSpace);
                continue;
            }
            if (char.IsSurrogate(c)) return NormalizeWhole(text);
            var decomposed = s_decomposed[c] ??= Decompose(c);
            foreach (var d in decomposed) Append(sb, d, ref pendingSpace);
        }
        return sb.ToString();
    }

    private static readonly string?[] s_decomposed = new string?[char.MaxValue + 1];

    // A code point Unicode normalization refuses (a noncharacter such as U+FFFF) separates words like punctuation.
    private static string Decompose(char c)
    {
        try
        {
            return c.ToString().Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            return " ";
        }
    }

    private static void Append(StringBuilder sb, char c, ref bool pendingSpace)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            return;
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

    /// <summary>The same normalization with one NFKD call over the whole text.</summary>
    internal static string NormalizeWhole(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed) Append(sb, c, ref pendingSpace);
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
    // Phrases by their first word (indices in configuration order), and every phrase's words: a text is matched by
    // looking up its own words, not by searching it once per phrase (cue matching is most of a conversation's reading).
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _byFirstWord;
    private readonly string[][] _words;
    // Phrase indices longest padded form first (stable), the order RemoveAll takes them in.
    private readonly int[] _longestFirst;

    /// <summary>The normalized phrases, in the order given, duplicates and empties removed.</summary>
    public IReadOnlyList<string> Phrases { get; }

    public CueMatcher(IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        Phrases = phrases.Select(TextNormalizer.Normalize).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        _padded = Phrases.Select(p => " " + p + " ").ToArray();
        _words = Phrases.Select(p => p.Split(' ')).ToArray();
        _byFirstWord = Enumerable.Range(0, Phrases.Count)
            .GroupBy(i => _words[i][0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _longestFirst = Enumerable.Range(0, _padded.Length).OrderByDescending(i => _padded[i].Length).ToArray();
    }

    /// <summary>An empty matcher that never matches.</summary>
    public static CueMatcher Empty { get; } = new([]);

    /// <summary>True when any phrase occurs in <paramref name="normalized"/> on word boundaries.</summary>
    public bool IsMatch(string normalized) => FirstMatch(normalized) is not null;

    /// <summary>The first phrase (in configuration order) that occurs in <paramref name="normalized"/>, or null.</summary>
    public string? FirstMatch(string normalized)
    {
        if (normalized.Length == 0 || _padded.Length == 0) return null;
        if (!IsCanonical(normalized)) return FirstMatchBySearch(normalized);
        var first = int.MaxValue;
        var text = normalized.AsSpan();
        for (var start = 0; start < text.Length;)
        {
            var end = text[start..].IndexOf(' ');
            end = end < 0 ? text.Length : start + end;
            if (_byFirstWord.TryGetValue(text[start..end], out var candidates))
            {
                foreach (var i in candidates)
                {
                    if (i >= first) break; // candidates are in configuration order
                    if (OccursAt(text, start, Phrases[i])) first = i;
                }
            }
            start = end + 1;
        }
        return first == int.MaxValue ? null : Phrases[first];
    }

    /// <summary>Removes every occurrence of every phrase (longest first) and returns what is left, normalized.</summary>
    public string RemoveAll(string normalized)
    {
        if (normalized.Length == 0) return normalized;
        var canonical = IsCanonical(normalized);
        if (canonical && FirstMatch(normalized) is null) return IsPlain(normalized) ? normalized : TextNormalizer.Normalize(normalized);
        // Removing a phrase only ever joins words already there, so a phrase with a word the text lacks can never occur.
        var present = canonical ? new HashSet<string>(normalized.Split(' '), StringComparer.Ordinal) : null;
        var text = " " + normalized + " ";
        foreach (var i in _longestFirst)
        {
            if (present is not null && !_words[i].All(present.Contains)) continue;
            var p = _padded[i];
            while (text.Contains(p, StringComparison.Ordinal)) text = text.Replace(p, " ", StringComparison.Ordinal);
        }
        return TextNormalizer.Normalize(text);
    }

    // The form TextNormalizer gives: words of letters and digits separated by single spaces, none at either end.
    private static bool IsCanonical(string text) =>
        text[0] != ' ' && text[^1] != ' ' && !text.Contains("  ", StringComparison.Ordinal);

    // Text TextNormalizer.Normalize leaves as it is: lower-case ASCII letters and digits between single spaces.
    private static bool IsPlain(string canonical)
    {
        foreach (var c in canonical)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or ' ')) return false;
        }
        return true;
    }

    private static bool OccursAt(ReadOnlySpan<char> text, int start, string phrase) =>
        text[start..].StartsWith(phrase, StringComparison.Ordinal) && (start + phrase.Length == text.Length || text[start + phrase.Length] == ' ');

    private string? FirstMatchBySearch(string normalized)
    {
        var text = " " + normalized + " ";
        for (var i = 0; i < _padded.Length; i++)
        {
            if (text.Contains(_padded[i], StringComparison.Ordinal)) return Phrases[i];
        }
        return null;
    }
}
