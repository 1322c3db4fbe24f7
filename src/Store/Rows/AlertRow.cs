namespace Emotion.Store;

/// <summary>
/// A row of <c>alerts</c>: a conversation turning negative. Identity: (tenant, conversation_id, rule, turn).
/// <see cref="DelayMs"/> = alerted − produced (how late the supervisor heard of it).
/// </summary>
public sealed record AlertRow
{
    public const string Live = "live";
    public const string Analysis = "analysis";

    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    public uint Turn { get; init; }
    public required string Rule { get; init; }
    public string Reason { get; init; } = "";
    /// <summary>Slope or change of the customer's valence that triggered the rule.</summary>
    public float ValenceTrend { get; init; }
    /// <summary><c>live</c> (raised while the call was running) or <c>analysis</c> (found when it was finalized).</summary>
    public string Source { get; init; } = Live;
    public DateTime ProducedAt { get; init; }
    public ulong ProducedAtMs { get; init; }
    public DateTime AlertedAt { get; init; }
    public ulong AlertedAtMs { get; init; }
    public ulong DelayMs { get; init; }
    public ulong Version { get; init; }
}
