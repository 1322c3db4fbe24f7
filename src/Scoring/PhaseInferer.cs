namespace Emotion.Scoring;

/// <summary>
/// Assigns a phase to every utterance. Rules, in order, walking the conversation once with a current phase that
/// starts at the first phase and never goes back:
/// <list type="number">
/// <item>A segment that carries a known phase keeps it and the current phase becomes that phase.</item>
/// <item>A turn with cue phrases goes to the furthest cued phase at or after the current phase (cues of earlier phases are
/// ignored). The first of <c>resolution_phases</c> also takes the <c>cues.resolution</c> phrases. In the first phase, a
/// cue of the third phase (it would skip the second) is held back, the turn staying in the first phase, when a cue of
/// the second phase comes within the next <c>phase_lookahead_turns</c> turns: the reason for the call stated before
/// the identity check stays in the opening.</item>
/// <item>A turn with no usable cue (or no speech) goes to the later of the current phase and its positional phase: the
/// share of the conversation's speaking time (turn durations, at least 0.5 s each, turns with no speech 0.5 s, so gaps
/// and holds do not count and a
/// chat with no durations goes by turn count) before the turn's midpoint, against
/// <c>phase_position_bounds</c>, moving at most one phase per turn (position never skips a phase the cues have not reached).</item>
/// </list>
/// A carried phase that is not in the configuration is kept for that segment and leaves the current phase alone.
/// </summary>
public static class PhaseInferer
{
    /// <summary>The phase name of every utterance, in order.</summary>
    public static IReadOnlyList<string> Infer(IReadOnlyList<ScoredUtterance> utterances, ScoringProfile profile)
    {
        ArgumentNullException.ThrowIfNull(utterances);
        ArgumentNullException.ThrowIfNull(profile);
        var normalized = utterances.Select(u => TextNormalizer.Normalize(TimingMarkers.Strip(u.Text))).ToArray();
        return Infer(utterances, normalized, profile);
    }

    private static bool SkippedPhaseComesSoon(int[][] cues, IReadOnlyList<ScoredUtterance> utterances, int i, int current, int cued, int lookahead)
    {
        for (var j = i + 1; j < cues.Length && j <= i + lookahead; j++)
        {
            if (!string.IsNullOrWhiteSpace(utterances[j].Phase)) return false;
            if (cues[j].Any(p => p > current && p < cued)) return true;
        }
        return false;
    }

    internal static string[] Infer(IReadOnlyList<ScoredUtterance> utterances, IReadOnlyList<string> normalized, ScoringProfile profile)
    {
        var n = utterances.Count;
        var result = new string[n];
        if (n == 0) return result;
        // Position = share of speaking time before the turn's midpoint (turn durations, at least 0.5 s each), so a long
        // hold or a chat's idle gaps do not push every turn before it into the first phases.
        var weights = utterances.Select((u, i) => normalized[i].Length == 0 ? 0.5 : Math.Max(u.EndS - u.StartS, 0.5)).ToArray();
        var total = weights.Sum();
        var before = 0.0;
        var bounds = profile.Options.PhasePositionBounds;
        var lookahead = profile.Options.PhaseLookaheadTurns;
        var cues = new int[n][];
        for (var i = 0; i < n; i++)
        {
            cues[i] = normalized[i].Length == 0
                ? []
                : Enumerable.Range(0, profile.PhaseCues.Count).Where(p => profile.PhaseCues[p].IsMatch(normalized[i])).ToArray();
        }
        var current = 0;
        for (var i = 0; i < n; before += weights[i], i++)
        {
            var u = utterances[i];
            if (!string.IsNullOrWhiteSpace(u.Phase))
            {
                var carried = profile.IndexOfPhase(u.Phase);
                if (carried >= 0)
                {
                    current = carried;
                    result[i] = profile.PhaseNames[carried];
                }
                else
                {
                    result[i] = u.Phase;
                }
                continue;
            }
            var cued = cues[i].Where(p => p >= current).DefaultIfEmpty(-1).Max();
            if (current == 0 && cued == 2 && SkippedPhaseComesSoon(cues, utterances, i, current, cued, lookahead))
            {
                cued = current;
            }
            if (cued >= 0)
            {
                current = cued;
            }
            else
            {
                var f = (before + weights[i] / 2) / total;
                var positional = Math.Min(bounds.Count(b => f >= b), profile.PhaseNames.Count - 1);
                current = Math.Max(current, Math.Min(positional, current + 1));
            }
            result[i] = profile.PhaseNames[current];
        }
        return result;
    }
}
