namespace Emotion.Store;

/// <summary>What the store needs about a conversation beyond its analysis, for <see cref="ConversationRows.From"/>.</summary>
public sealed record ConversationMetadata
{
    /// <summary>Tenant (client); when null, the analysis' tenant, else <c>default</c>.</summary>
    public string? Tenant { get; init; }

    public string? Queue { get; init; }

    /// <summary>When the conversation started (UTC). Its date is the partition of every row, so a replay must give the same value.</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When it ended; default <see cref="StartedAt"/> + the analysis' duration.</summary>
    public DateTime? EndedAt { get; init; }

    /// <summary><c>ended</c> or <c>idle_timeout</c>.</summary>
    public string FinalizedReason { get; init; } = "ended";

    /// <summary>When the pipeline finalized it; default <see cref="EndedAt"/>.</summary>
    public DateTime? FinalizedAt { get; init; }

    public string ModelVersion { get; init; } = "";

    /// <summary>
    /// Version of every row written for this finalization; must grow when a conversation is re-finalized with new
    /// data (e.g. the Kafka offset of the message that completed it, or the finalization time in ms). A replay of the
    /// same data may reuse it or give a higher one: the rows are identical either way.
    /// </summary>
    public required ulong Version { get; init; }

    /// <summary>Segment id per turn; turns missing here get their turn number as the segment id.</summary>
    public IReadOnlyDictionary<int, string>? SegmentIds { get; init; }

    /// <summary>Production time per turn (UTC); missing turns get <see cref="StartedAt"/> + their start offset.</summary>
    public IReadOnlyDictionary<int, DateTime>? ProducedAt { get; init; }

    /// <summary>
    /// Each turn's segment as it was scored (id, own language, finality, production time, the model's full
    /// distribution); turns missing here are built from the scored input, <see cref="SegmentIds"/> and <see cref="ProducedAt"/>.
    /// </summary>
    public IReadOnlyDictionary<int, UtteranceSource>? Utterances { get; init; }

    /// <summary>When the utterances were scored; default <see cref="FinalizedAt"/>.</summary>
    public DateTime? ScoredAt { get; init; }

    /// <summary>Whether to include utterance rows (false when the pipeline already wrote them as they were scored).</summary>
    public bool IncludeUtterances { get; init; } = true;

    /// <summary>Whether to include the analysis' alerts (false when the live alerter already wrote them).</summary>
    public bool IncludeAlerts { get; init; } = true;
}
