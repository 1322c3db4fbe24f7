namespace Emotion.Scoring.Tests;

/// <summary>
/// The word-indexed <see cref="CueMatcher"/> against the plain search it replaced (each padded phrase looked for in the
/// padded text, in configuration order; removal longest first until none is left): the same first match and the same
/// remainder on every turn of the written corpus and on texts made of the cue phrases' own words.
/// </summary>
public sealed class CueMatcherTests
{
    private static IEnumerable<CueMatcher> Matchers()
    {
        var p = ScoringProfile.Default;
        return new[]
        {
            p.Pleasantry, p.Identity, p.Filler, p.Resolution, p.Unresolved, p.PositiveContent, p.Gratitude, p.Thanks, p.Sarcasm,
            p.Distress, p.Confusion, p.PriorExperience, p.Product, p.InterruptionComplaint, p.HoldComplaint, p.Empathy, p.Blame,
            p.Vague, p.IdentityRequest,
        }.Concat(p.Topics.Select(t => t.Cues));
    }

    private static string? SearchFirst(CueMatcher m, string normalized)
    {
        if (normalized.Length == 0) return null;
        var text = " " + normalized + " ";
        return m.Phrases.FirstOrDefault(phrase => text.Contains(" " + phrase + " ", StringComparison.Ordinal));
    }

    private static string SearchRemove(CueMatcher m, string normalized)
    {
        if (normalized.Length == 0) return normalized;
        var text = " " + normalized + " ";
        foreach (var padded in m.Phrases.Select(phrase => " " + phrase + " ").OrderByDescending(x => x.Length))
        {
            while (text.Contains(padded, StringComparison.Ordinal)) text = text.Replace(padded, " ", StringComparison.Ordinal);
        }
        return TextNormalizer.Normalize(text);
    }

    private static IEnumerable<string> Texts()
    {
        foreach (var c in WrittenCorpus.Conversations())
        {
            foreach (var u in c.Utterances) yield return TextNormalizer.Normalize(u.Text);
        }
        // Texts made of cue words, so phrases overlap, repeat and join once others are removed.
        var words = Matchers().SelectMany(m => m.Phrases).SelectMany(p => p.Split(' ')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var random = new Random(11);
        for (var i = 0; i < 3000; i++)
        {
            yield return string.Join(' ', Enumerable.Range(0, random.Next(1, 14)).Select(_ => words[random.Next(words.Length)]));
        }
        // Text that is not in normalized form takes the plain search.
        yield return " muchas  gracias ";
        yield return "hola, gracias.";
    }

    [Fact]
    public void First_match_and_removal_are_those_of_the_plain_search()
    {
        var matchers = Matchers().ToArray();
        var texts = Texts().ToArray();
        Assert.True(texts.Length > 10000, $"{texts.Length} texts");
        var matched = 0;
        foreach (var text in texts)
        {
            foreach (var m in matchers)
            {
                var expected = SearchFirst(m, text);
                Assert.Equal(expected, m.FirstMatch(text));
                if (expected is not null) matched++;
            }
            Assert.Equal(SearchRemove(ScoringProfile.Default.Pleasantry, text), ScoringProfile.Default.Pleasantry.RemoveAll(text));
            Assert.Equal(SearchRemove(ScoringProfile.Default.Filler, text), ScoringProfile.Default.Filler.RemoveAll(text));
        }
        Assert.True(matched > 5000, $"only {matched} matches: the texts do not exercise the phrases");
    }
}

/// <summary>The per-character normalization against one NFKD call over the whole text.</summary>
public sealed class TextNormalizerDecompositionTests
{
    [Fact]
    public void Per_character_decomposition_gives_what_the_whole_text_decomposition_gives()
    {
        var texts = WrittenCorpus.Conversations().SelectMany(c => c.Utterances).Select(u => u.Text).ToList();
        // Every character of the Basic Multilingual Plane outside the surrogates, in runs that put letters before
        // marks, marks before marks of other classes, and compatibility forms (ligatures, full-width, circled, Hangul).
        var random = new Random(5);
        var chars = Enumerable.Range(1, 0xFFFF).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => (char)c).ToArray();
        for (var i = 0; i < chars.Length; i += 16) texts.Add(new string(chars, i, Math.Min(16, chars.Length - i)));
        for (var i = 0; i < 20000; i++) texts.Add(new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => chars[random.Next(chars.Length)]).ToArray()));
        texts.Add("Ǆemal ﬁnanzas ＡＢＣ ① 한국어 á\u0301\u0316b");
        Assert.True(texts.Count > 30000);
        var refused = 0;
        foreach (var text in texts)
        {
            string expected;
            try
            {
                expected = TextNormalizer.NormalizeWhole(text);
            }
            catch (ArgumentException)
            {
                // The whole-text call refuses noncharacters; the per-character path reads them as separators instead.
                refused++;
                Assert.NotNull(TextNormalizer.Normalize(text));
                continue;
            }
            Assert.Equal(expected, TextNormalizer.Normalize(text));
        }
        Assert.True(refused < texts.Count / 10, $"{refused} of {texts.Count} texts refused by the reference");
    }
}
