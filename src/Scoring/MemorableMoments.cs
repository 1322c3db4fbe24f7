namespace Emotion.Scoring;

/// <summary>
/// A memorable moment is a customer turn with valence at or above <c>memorable_valence</c>, not sarcastic, that shows
/// gratitude or joy (a gratitude or positive-content cue, or a model emotion in <c>positive_emotions</c>); a thanks-only
/// (non-substantive) turn counts only when the conversation is resolved. <c>after_negative_start</c> marks a moment
/// after the start turns of a conversation whose start label is -1.
/// </summary>
internal static class MemorableMoments
{
    public static IReadOnlyList<MemorableMoment> Find(PreparedTurn[] turns, ValencePoint start, bool resolved, ScoringProfile profile)
    {
        var th = profile.Options.Thresholds;
        var lastStartTurn = start.Turns.Count > 0 ? start.Turns.Max() : int.MinValue;
        var result = new List<MemorableMoment>();
        foreach (var t in turns)
        {
            if (!t.IsCustomer || !t.HasSpeech || t.Sarcastic || t.Valence < th.MemorableValence) continue;
            if (!t.Substantive && !resolved) continue;
            var reason = profile.Gratitude.IsMatch(t.Normalized) ? "gratitude"
                : profile.PositiveContent.IsMatch(t.Normalized) ? "joy"
                : profile.PositiveEmotions.Contains(t.Emotion) ? "emotion:" + t.Emotion
                : null;
            if (reason is null) continue;
            var afterNegative = start.Label == -1 && t.Source.Turn > lastStartTurn;
            result.Add(new MemorableMoment(t.Source.Turn, Math.Round(t.Valence, 4), t.Emotion, afterNegative, reason));
        }
        return result;
    }
}

/// <summary>
/// Experience index, 0-100: 100 × Σ wᵢ·cᵢ / Σ wᵢ over four components in [0, 1]:
/// end = (end score + 1) / 2; shift = (shift + 2) / 4; negative_load = 1 - negative load;
/// memorable = min(1, memorable moments / <c>memorable_cap</c>). Weights from <c>experience_index</c>
/// (defaults 0.45, 0.15, 0.30, 0.10). Rounded to 0.1.
/// </summary>
public static class ExperienceIndex
{
    /// <summary>The index and its components (reported as the 0-1 values before weighting).</summary>
    public static (double Index, ExperienceComponents Components) Compute(
        double endScore, double shift, double negativeLoad, int memorableCount, ExperienceIndexOptions weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var end = Math.Clamp((endScore + 1) / 2, 0, 1);
        var sh = Math.Clamp((shift + 2) / 4, 0, 1);
        var neg = Math.Clamp(1 - negativeLoad, 0, 1);
        var mem = Math.Clamp(memorableCount / (double)Math.Max(1, weights.MemorableCap), 0, 1);
        var sumW = weights.EndValence + weights.Shift + weights.NegativeLoad + weights.Memorable;
        var index = sumW > 0
            ? 100 * (weights.EndValence * end + weights.Shift * sh + weights.NegativeLoad * neg + weights.Memorable * mem) / sumW
            : 0;
        return (Math.Round(index, 1), new ExperienceComponents(Math.Round(end, 4), Math.Round(sh, 4), Math.Round(neg, 4), Math.Round(mem, 4)));
    }
}

/// <summary>
/// Phase emotionality per phase (in conversation order) and speaker, over turns with speech: duration-weighted mean
/// valence, minimum valence, share of negative turns, and the dominant emotion (largest total duration; ties to the
/// emotion seen first).
/// </summary>
internal static class PhaseEmotionalityCalculator
{
    public static IReadOnlyList<PhaseEmotionality> Compute(PreparedTurn[] turns, IReadOnlyList<string> phases, ScoringProfile profile)
    {
        var order = phases.Distinct(StringComparer.Ordinal)
            .OrderBy(p => profile.IndexOfPhase(p) is var ix && ix >= 0 ? ix : int.MaxValue)
            .ThenBy(p => Array.IndexOf(phases.ToArray(), p))
            .ToArray();
        var result = new List<PhaseEmotionality>();
        foreach (var phase in order)
        {
            foreach (var speaker in new[] { Speaker.Customer, Speaker.Agent })
            {
                var group = turns.Where(t => t.HasSpeech && t.Source.Speaker == speaker && phases[t.Index] == phase).ToArray();
                if (group.Length == 0) continue;
                var weight = group.Sum(t => t.Weight);
                var mean = group.Sum(t => t.Valence * t.Weight) / weight;
                var dominant = group.GroupBy(t => t.Emotion, StringComparer.Ordinal)
                    .Select(g => (Emotion: g.Key, Weight: g.Sum(t => t.Weight), First: g.Min(t => t.Index)))
                    .OrderByDescending(g => g.Weight).ThenBy(g => g.First).First().Emotion;
                result.Add(new PhaseEmotionality(
                    phase,
                    ConversationAnalyzer.SpeakerName(speaker),
                    group.Length,
                    Math.Round(group.Sum(t => Math.Max(t.Source.EndS - t.Source.StartS, 0)), 3),
                    Math.Round(mean, 4),
                    Math.Round(group.Min(t => t.Valence), 4),
                    Math.Round(group.Count(t => t.Negative) / (double)group.Length, 4),
                    dominant));
            }
        }
        return result;
    }
}
