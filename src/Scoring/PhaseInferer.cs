namespace Emotion.Scoring;

/// <summary>
/// Assigns a phase to every utterance. Rules, in order, walking the conversation once with a current phase that
/// starts at the first phase and never goes back:
/// <list type="number">
/// <item>A segment that carries a known phase keeps it and the current phase becomes that phase.</item>
/// <item>A turn with cue phrases goes to the furthest cued phase at or after the current phase (cues of earlier phases are
/// ignored). The first of <c>resolution_phases</c> also takes the <c>cues.resolution</c> phrases.</item>
/// <item>A turn with no usable cue (or no speech) goes to the later of the current phase and its positional phase:
/// the relative position of its midpoint in the conversation's time span (turn index when there are no times)
/// against <c>phase_position_bounds</c>.</item>
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

    internal static string[] Infer(IReadOnlyList<ScoredUtterance> utterances, IReadOnlyList<string> normalized, ScoringProfile profile)
    {
        var n = utterances.Count;
        var result = new string[n];
        if (n == 0) return result;
        var t0 = utterances.Min(u => u.StartS);
        var t1 = utterances.Max(u => Math.Max(u.EndS, u.StartS));
        var span = t1 - t0;
        var bounds = profile.Options.PhasePositionBounds;
        var current = 0;
        for (var i = 0; i < n; i++)
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
            var cued = -1;
            if (normalized[i].Length > 0)
            {
                for (var p = profile.PhaseCues.Count - 1; p >= current; p--)
                {
                    if (profile.PhaseCues[p].IsMatch(normalized[i]))
                    {
                        cued = p;
                        break;
                    }
                }
            }
            if (cued >= 0)
            {
                current = cued;
            }
            else
            {
                var f = span > 0 ? ((u.StartS + Math.Max(u.EndS, u.StartS)) / 2 - t0) / span : (i + 0.5) / n;
                var positional = bounds.Count(b => f >= b);
                current = Math.Max(current, Math.Min(positional, profile.PhaseNames.Count - 1));
            }
            result[i] = profile.PhaseNames[current];
        }
        return result;
    }
}
