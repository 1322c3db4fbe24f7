using System.Text.RegularExpressions;

namespace Emotion.Scoring;

/// <summary>
/// Finds the client's moments of truth in a contact (docs/analytics.md, "Moments of truth"): a turn of the moment's
/// speaker that carries its timing marker (<c>[hold 2 min]</c>), or, unless it holds one of its not-cues, holds one of
/// its cues, matches one of its patterns, holds one of its amount cues beside an amount of money, or shares at least
/// <c>example_overlap</c> of an example's content words. Matches with no substantive customer turn between them are one
/// occurrence (an identity check asking for the DNI and then the date of birth, the customer answering with data only,
/// is one).
/// Around each occurrence: <c>before</c> = mean valence of the customer's last <c>window_turns</c> turns with speech
/// before it, <c>after</c> = mean of the first <c>window_turns</c> after it, <c>shift</c> = after − before.
/// </summary>
internal static partial class MomentsOfTruthLocator
{
    public static IReadOnlyList<MomentOfTruth> Locate(PreparedTurn[] turns, ScoringProfile profile)
    {
        var options = profile.Options.MomentsOfTruth;
        var window = Math.Max(1, options.WindowTurns);
        var found = new List<MomentOfTruth>();
        foreach (var moment in profile.Cases.Moments)
        {
            var open = false; // inside a run of matching turns with no substantive customer turn since
            foreach (var t in turns)
            {
                var cue = SpeakerMatches(moment.Options.Speaker, t) ? Match(moment, t, profile, options.ExampleOverlap) : null;
                if (cue is null)
                {
                    if (t.IsCustomer && t.HasSpeech && t.Substantive) open = false;
                    continue;
                }
                if (open) continue;
                open = true;
                var before = turns.Take(t.Index).Where(x => x.IsCustomer && x.HasSpeech).TakeLast(window).ToArray();
                var after = turns.Skip(t.Index + 1).Where(x => x.IsCustomer && x.HasSpeech).Take(window).ToArray();
                double? b = before.Length > 0 ? Math.Round(before.Average(x => x.Valence), 4) : null;
                double? a = after.Length > 0 ? Math.Round(after.Average(x => x.Valence), 4) : null;
                double? shift = a is { } av && b is { } bv ? Math.Round(av - bv, 4) : null;
                found.Add(new MomentOfTruth(
                    moment.Options.Name, t.Source.Turn, t.Source.StartS, ConversationAnalyzer.SpeakerName(t.Source.Speaker), cue, b, a, shift,
                    before.Select(x => x.Source.Turn).ToArray(), after.Select(x => x.Source.Turn).ToArray()));
            }
        }
        return [.. found.OrderBy(m => m.Turn).ThenBy(m => m.Moment, StringComparer.Ordinal)];
    }

    /// <summary>A currency sign beside a digit in the speech ("$1,150", "79,90€", "£3.50"), or a currency word of the configuration.</summary>
    private static bool StatesAmount(PreparedTurn t, ScoringProfile profile) =>
        CurrencySign().IsMatch(t.Speech) || profile.Cases.MoneyWords.IsMatch(t.Normalized);

    [GeneratedRegex(@"[$€£]\s?\d|\d\s?[$€£]", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencySign();

    private static bool SpeakerMatches(string speaker, PreparedTurn t) => speaker switch
    {
        "customer" => t.IsCustomer,
        "any" => true,
        _ => t.IsAgent,
    };

    private static string? Match(CompiledMoment moment, PreparedTurn t, ScoringProfile profile, double overlap)
    {
        if (moment.Marker is { } kind && t.Markers.Any(m => m.Kind == kind)) return "marker:" + kind.ToString().ToLowerInvariant();
        if (!t.HasSpeech) return null;
        if (moment.NotCues.IsMatch(t.Normalized)) return null;
        if (moment.Cues.FirstMatch(t.Normalized) is { } cue) return cue;
        foreach (var pattern in moment.Patterns)
        {
            if (pattern.Match(t.Normalized) is { Success: true } m) return "pattern:" + m.Value.Trim();
        }
        if (moment.AmountCues.FirstMatch(t.Normalized) is { } amountCue && StatesAmount(t, profile)) return "amount:" + amountCue;
        if (moment.Examples.Count == 0) return null;
        var words = CaseProfile.ContentWords(t.Normalized, profile.Filler);
        foreach (var (example, exampleWords) in moment.Examples)
        {
            var shared = exampleWords.Count(words.Contains);
            if (shared >= overlap * exampleWords.Count) return "example:" + example;
        }
        return null;
    }
}
