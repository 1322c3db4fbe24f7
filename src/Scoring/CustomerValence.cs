namespace Emotion.Scoring;

/// <summary>
/// Customer start and end. The customer's substantive turns (<see cref="PreparedTurn.Substantive"/>; all customer turns
/// with speech when none is) give k = min(<c>substantive_turns</c>, max(1, n / 2)) turns at each end, so start and end
/// share a turn only when there is one. Score = mean valence of the k turns; label +1 at or above
/// <c>positive_valence</c>, -1 at or below <c>negative_valence</c>, else 0.
/// A positive end is not accepted (label 0, score capped at 0) when an end turn has an unresolved cue, or when the
/// conversation is not resolved, an end turn thanks and none has positive content beyond thanks (a positive-content cue,
/// or a positive end turn with no thanks in it): a polite thanks after an unresolved problem is not a positive end.
/// </summary>
internal static class CustomerValence
{
    public static (ValencePoint Start, ValencePoint End) StartAndEnd(PreparedTurn[] turns, bool resolved, ScoringProfile profile)
    {
        var customer = turns.Where(t => t.IsCustomer && t.HasSpeech).ToArray();
        var substantive = customer.Where(t => t.Substantive).ToArray();
        if (substantive.Length == 0) substantive = customer;
        if (substantive.Length == 0)
        {
            var none = new ValencePoint(0, 0, []);
            return (none, none);
        }
        var th = profile.Options.Thresholds;
        var k = Math.Min(th.SubstantiveTurns, Math.Max(1, substantive.Length / 2));
        var startTurns = substantive.Take(k).ToArray();
        var endTurns = substantive.Skip(substantive.Length - k).ToArray();

        var startScore = startTurns.Average(t => t.Valence);
        var start = new ValencePoint(LabelOf(startScore, th), Math.Round(startScore, 4), startTurns.Select(t => t.Source.Turn).ToArray());

        var endScore = endTurns.Average(t => t.Valence);
        var endLabel = LabelOf(endScore, th);
        if (endLabel == 1)
        {
            var unresolvedCue = endTurns.Any(t => profile.Unresolved.IsMatch(t.Normalized));
            var thanks = endTurns.Any(t => profile.Thanks.IsMatch(t.Normalized) || profile.Gratitude.IsMatch(t.Normalized));
            // Beyond thanks: a positive-content cue, or a positive end turn that does not thank at all (its positivity is not politeness).
            var beyondThanks = endTurns.Any(t => !t.Sarcastic && (profile.PositiveContent.IsMatch(t.Normalized)
                || (t.Valence >= th.PositiveValence && !profile.Thanks.IsMatch(t.Normalized) && !profile.Gratitude.IsMatch(t.Normalized))));
            if (unresolvedCue || (!resolved && thanks && !beyondThanks))
            {
                endLabel = 0;
                endScore = 0;
            }
        }
        var end = new ValencePoint(endLabel, Math.Round(endScore, 4), endTurns.Select(t => t.Source.Turn).ToArray());
        return (start, end);
    }

    private static int LabelOf(double score, ThresholdOptions th) =>
        score >= th.PositiveValence ? 1 : score <= th.NegativeValence ? -1 : 0;
}
