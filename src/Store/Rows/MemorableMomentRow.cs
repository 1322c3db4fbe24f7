namespace Emotion.Store;

/// <summary>A row of <c>memorable_moments</c>: a strongly positive customer peak.</summary>
public sealed record MemorableMomentRow
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
    public uint Turn { get; init; }
    public float Valence { get; init; }
    public string Emotion { get; init; } = "";
    public string Text { get; init; } = "";
    public bool AfterNegativeStart { get; init; }
    public ulong Version { get; init; }
}
