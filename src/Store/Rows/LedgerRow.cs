namespace Emotion.Store;

/// <summary>
/// A row of <c>pipeline_ledger</c>: for a finalized conversation and one Kafka partition it read, the highest offset
/// its stored rows incorporate and how many messages they incorporate in all (<see cref="Messages"/>). After a restart
/// or a rebalance the pipeline reads a message again from the committed offset; the ledger tells it that the message
/// is already in a finalized conversation (skip it) or that it is a late one (reopen that conversation from its rows).
/// Identity: (tenant, conversation_id, topic, partition); the latest <see cref="Version"/> wins.
/// </summary>
public sealed record LedgerRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    public required string Topic { get; init; }
    public int Partition { get; init; }
    public long LastOffset { get; init; }
    /// <summary>Messages the finalized rows incorporate (the rows' version is 1 + this).</summary>
    public ulong Messages { get; init; }
    public DateTime FinalizedAt { get; init; }
    public ulong Version { get; init; }
}
