namespace Emotion.Store;

/// <summary>
/// A row of <c>conversations</c>: a finalized conversation's metadata and per-contact results.
/// Identity: (tenant, conversation_id). Its <see cref="Version"/> also selects which phase, driver, behaviour and
/// moment rows are current, so write those first and this row last.
/// </summary>
public sealed record ConversationRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    /// <summary>Start date (UTC); partition key.</summary>
    public required DateOnly Date { get; init; }
    public string AgentId { get; init; } = "";
    public string TeamId { get; init; } = "";
    public string Campaign { get; init; } = "";
    public string Queue { get; init; } = "";
    public string Channel { get; init; } = "";
    public string Language { get; init; } = "";
    public DateTime StartedAt { get; init; }
    public DateTime EndedAt { get; init; }
    public float DurationS { get; init; }
    public uint Turns { get; init; }
    public sbyte CustomerStartLabel { get; init; }
    public float CustomerStartScore { get; init; }
    public sbyte CustomerEndLabel { get; init; }
    public float CustomerEndScore { get; init; }
    /// <summary>Customer started negative and ended positive.</summary>
    public bool NegativeToPositive { get; init; }
    public bool StartedNegative { get; init; }
    /// <summary>Customer end score minus start score.</summary>
    public float Shift { get; init; }
    public float DriverAgent { get; init; }
    public float DriverProcess { get; init; }
    public float DriverProduct { get; init; }
    public float DriverPriorExperience { get; init; }
    public string PrimaryDriver { get; init; } = "";
    public string ProcessTopic { get; init; } = "";
    /// <summary>The behaviour the agent should work on in this contact (e.g. <c>ownership</c>), or <c>none</c>.</summary>
    public string AgentFocus { get; init; } = "";
    /// <summary>0-100.</summary>
    public float ExperienceIndex { get; init; }
    public ushort MemorableMoments { get; init; }
    public float NegativeLoad { get; init; }
    public ushort Alerts { get; init; }
    /// <summary><c>ended</c> or <c>idle_timeout</c> (or another reason the tracker gives).</summary>
    public string FinalizedReason { get; init; } = "";
    public DateTime FinalizedAt { get; init; }
    /// <summary>The whole analysis as JSON, for the conversation report.</summary>
    public string AnalysisJson { get; init; } = "";
    public string ModelVersion { get; init; } = "";
    /// <summary>
    /// How many rows of <c>conversation_phases</c> this version has (written by <see cref="ConversationRows.WithConsoleColumns"/>;
    /// <c>analysis_days</c> compares it with the rows written, migration 0009).
    /// </summary>
    public ushort PhaseRows { get; init; }
    /// <summary>How many rows of <c>conversation_drivers</c> this version has (<see cref="PhaseRows"/>).</summary>
    public ushort DriverRows { get; init; }
    /// <summary>How many rows of <c>agent_behaviours</c> this version has (<see cref="PhaseRows"/>).</summary>
    public ushort BehaviourRows { get; init; }
    /// <summary>How many rows of <c>memorable_moments</c> this version has (<see cref="PhaseRows"/>).</summary>
    public ushort MomentRows { get; init; }
    public ulong Version { get; init; }
}
