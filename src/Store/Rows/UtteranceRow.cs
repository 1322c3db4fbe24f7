namespace Emotion.Store;

/// <summary>
/// A row of <c>utterances</c>: one scored transcript segment. Identity: (tenant, conversation_id, segment_id);
/// a partial and its final share segment_id and the final carries the higher <see cref="Version"/>.
/// </summary>
public sealed record UtteranceRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    /// <summary>The conversation's start date (UTC); the partition, so it must be the same for every row of a conversation.</summary>
    public required DateOnly Date { get; init; }
    public required string SegmentId { get; init; }
    public uint Turn { get; init; }
    /// <summary><c>agent</c> or <c>customer</c>.</summary>
    public required string Speaker { get; init; }
    public ulong StartMs { get; init; }
    public ulong EndMs { get; init; }
    public string Text { get; init; } = "";
    public string Lang { get; init; } = "";
    public string Phase { get; init; } = "";
    public float Valence { get; init; }
    /// <summary>-1, 0 or 1.</summary>
    public sbyte Label { get; init; }
    public float PNegative { get; init; }
    public float PNeutral { get; init; }
    public float PPositive { get; init; }
    public string Emotion { get; init; } = "";
    public float EmotionConfidence { get; init; }
    /// <summary>Emotion labels, parallel to <see cref="EmotionProbs"/>.</summary>
    public IReadOnlyList<string> EmotionLabels { get; init; } = [];
    public IReadOnlyList<float> EmotionProbs { get; init; } = [];
    public bool IsFinal { get; init; } = true;
    public string ModelVersion { get; init; } = "";
    /// <summary>When the producer emitted the segment (UTC, whole seconds in the column; see <see cref="ProducedAtMs"/>).</summary>
    public DateTime ProducedAt { get; init; }
    /// <summary><see cref="ProducedAt"/> in Unix milliseconds.</summary>
    public ulong ProducedAtMs { get; init; }
    public DateTime ScoredAt { get; init; }
    public ulong ScoredAtMs { get; init; }
    /// <summary>Supplied by the writer; the highest version of a key survives deduplication.</summary>
    public ulong Version { get; init; }
}
