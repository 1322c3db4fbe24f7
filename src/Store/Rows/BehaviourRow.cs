namespace Emotion.Store;

/// <summary>
/// A row of <c>agent_behaviours</c>: how often an agent behaviour was a problem in a conversation. Higher is worse for
/// every behaviour: <c>empathy</c> counts missing empathy, <c>ownership</c> missing ownership, <c>clarity</c> unclear answers.
/// </summary>
public sealed record BehaviourRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>The conversation's agent, team, campaign and queue, copied from its row (<see cref="ConversationRows.WithConsoleColumns"/>).</summary>
    public string AgentId { get; init; } = "";
    /// <inheritdoc cref="AgentId"/>
    public string TeamId { get; init; } = "";
    /// <inheritdoc cref="AgentId"/>
    public string Campaign { get; init; } = "";
    /// <inheritdoc cref="AgentId"/>
    public string Queue { get; init; } = "";
    /// <summary><c>interruptions</c>, <c>hold_time</c>, <c>long_silence</c>, <c>empathy</c>, <c>ownership</c> or <c>clarity</c>.</summary>
    public required string Behaviour { get; init; }
    public uint Count { get; init; }
    public float Seconds { get; init; }
    public IReadOnlyList<uint> EvidenceTurns { get; init; } = [];
    public ulong Version { get; init; }
}
