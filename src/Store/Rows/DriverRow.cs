namespace Emotion.Store;

/// <summary>
/// A row of <c>conversation_drivers</c>: a driver's share of the customer's negative emotion. Identity:
/// (tenant, conversation_id, driver, topic). The process driver has one row per topic; the others one row with topic "".
/// </summary>
public sealed record DriverRow
{
    public const string Agent = "agent";
    public const string Process = "process";
    public const string Product = "product";
    public const string PriorExperience = "prior_experience";

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
    /// <summary><c>agent</c>, <c>process</c>, <c>product</c> or <c>prior_experience</c>.</summary>
    public required string Driver { get; init; }
    /// <summary>Part of the conversation's negative mass in [0, 1]; a conversation's rows sum to 1 (all 0 when nothing was negative).</summary>
    public float Share { get; init; }
    /// <summary>For <c>process</c>: the topic (fees, billing_error, transfers..., <c>none</c> when unknown); "" for other drivers.</summary>
    public string Topic { get; init; } = "";
    public IReadOnlyList<uint> EvidenceTurns { get; init; } = [];
    public ulong Version { get; init; }
}
