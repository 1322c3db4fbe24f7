namespace Emotion.Store;

/// <summary>A row of <c>conversation_phases</c>: phase emotionality per conversation, phase and speaker.</summary>
public sealed record PhaseRow
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
    public required string Phase { get; init; }
    /// <summary>Position of the phase (opening = 0 ... closing = 4), for ordering.</summary>
    public byte PhaseOrder { get; init; }
    public required string Speaker { get; init; }
    /// <summary>Duration-weighted mean valence.</summary>
    public float MeanValence { get; init; }
    public float MinValence { get; init; }
    public float NegativeShare { get; init; }
    public string DominantEmotion { get; init; } = "";
    public uint Turns { get; init; }
    public float Seconds { get; init; }
    public ulong Version { get; init; }
}
