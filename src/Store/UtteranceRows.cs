namespace Emotion.Store;

/// <summary>What the model said about one utterance, as the row stores it.</summary>
/// <param name="EmotionLabels">The model's emotion classes, aligned with <paramref name="EmotionProbs"/>.</param>
public sealed record UtteranceScores(
    float Valence,
    sbyte Label,
    float Negative,
    float Neutral,
    float Positive,
    string Emotion,
    float EmotionConfidence,
    IReadOnlyList<string> EmotionLabels,
    IReadOnlyList<float> EmotionProbs);

/// <summary>One transcript segment as the row stores it. <see cref="Scores"/> is null for a turn with no speech.</summary>
/// <param name="Lang">The segment's own language; null: the conversation's.</param>
public sealed record UtteranceSource(
    string SegmentId,
    uint Turn,
    string Speaker,
    ulong StartMs,
    ulong EndMs,
    string Text,
    string? Lang,
    bool IsFinal,
    DateTime ProducedAt,
    UtteranceScores? Scores);

/// <summary>What the conversation's analysis adds to a finalized utterance: its phase, and its valence read in context.</summary>
public sealed record UtteranceReading(string Phase, float Valence, sbyte Label, string Emotion);

/// <summary>
/// The one place that builds <see cref="UtteranceRow"/>: the live row written as a segment is scored and the
/// finalized row that replaces it carry the same columns from the same segment; the finalized row adds the
/// analysis' reading (<see cref="UtteranceReading"/>) and a higher version.
/// </summary>
public static class UtteranceRows
{
    /// <summary>Builds the row of <paramref name="source"/>.</summary>
    /// <param name="conversationLanguage">Used when the segment carries no language.</param>
    /// <param name="reading">The analysis' phase and valence (finalized rows); null for a live row.</param>
    /// <param name="phase">Phase of a live row (the one the producer attached), ignored when <paramref name="reading"/> is given.</param>
    public static UtteranceRow Build(string tenant, string conversationId, DateOnly date, UtteranceSource source, string? conversationLanguage,
        string modelVersion, DateTime scoredAt, ulong version, UtteranceReading? reading = null, string? phase = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var s = source.Scores;
        var produced = AsUtc(source.ProducedAt);
        var scored = AsUtc(scoredAt);
        return new UtteranceRow
        {
            Tenant = tenant,
            ConversationId = conversationId,
            Date = date,
            SegmentId = source.SegmentId,
            Turn = source.Turn,
            Speaker = source.Speaker,
            StartMs = source.StartMs,
            EndMs = source.EndMs,
            Text = source.Text,
            Lang = FirstNonEmpty(source.Lang, conversationLanguage) ?? "",
            Phase = reading?.Phase ?? phase ?? "",
            Valence = reading?.Valence ?? s?.Valence ?? 0,
            Label = reading?.Label ?? s?.Label ?? 0,
            PNegative = s?.Negative ?? 0,
            PNeutral = s?.Neutral ?? 1,
            PPositive = s?.Positive ?? 0,
            Emotion = FirstNonEmpty(reading?.Emotion, s?.Emotion) ?? "",
            EmotionConfidence = s?.EmotionConfidence ?? 0,
            EmotionLabels = s?.EmotionLabels ?? [],
            EmotionProbs = s?.EmotionProbs ?? [],
            IsFinal = source.IsFinal,
            ModelVersion = modelVersion,
            ProducedAt = produced,
            ProducedAtMs = UnixMs(produced),
            ScoredAt = scored,
            ScoredAtMs = UnixMs(scored),
            Version = version,
        };
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    internal static DateTime AsUtc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };

    internal static ulong UnixMs(DateTime utc) => utc <= DateTime.UnixEpoch ? 0UL : (ulong)(utc - DateTime.UnixEpoch).TotalMilliseconds;
}
