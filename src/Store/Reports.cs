namespace Emotion.Store;

/// <summary>Reporting period; periods start on the day, the Monday, or the first of the month (UTC).</summary>
public enum ReportPeriod
{
    Day,
    Week,
    Month,
}

/// <summary>Filters shared by the reports. Dates are conversation start dates (UTC), both ends inclusive.</summary>
public sealed record ReportFilter
{
    public string? Tenant { get; init; }
    public string? Campaign { get; init; }
    public string? TeamId { get; init; }
    public string? AgentId { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public ReportPeriod Period { get; init; } = ReportPeriod.Week;
    /// <summary>Example conversations or moments listed per item.</summary>
    public int Examples { get; init; } = 3;
}

/// <summary>An agent's numbers for one period.</summary>
/// <param name="ConversionRate">Converted / started negative; null when no contact started negative.</param>
/// <param name="AgentNegativeShare">Share of the customers' negative emotion attributed to the agent (weighted by negative load); null when there was none.</param>
public sealed record AgentPeriodStats(
    string Tenant, string TeamId, string AgentId, DateOnly Period,
    long Contacts, long StartedNegative, long Converted, double? ConversionRate,
    double? AgentNegativeShare, double? MeanExperienceIndex);

/// <summary>Agent's mean customer valence in a phase against the team's (same tenant, team and period; the team includes the agent).</summary>
public sealed record PhaseGap(
    string Tenant, string TeamId, string AgentId, DateOnly Period, string Phase,
    double AgentMeanValence, double TeamMeanValence, double Gap, long Conversations,
    IReadOnlyList<string> Examples);

/// <summary>Agent's problems per contact for a behaviour against the team's; a positive gap is worse.</summary>
public sealed record BehaviourGap(
    string Tenant, string TeamId, string AgentId, DateOnly Period, string Behaviour,
    double AgentPerContact, double TeamPerContact, double Gap, long Conversations,
    IReadOnlyList<string> Examples);

/// <summary>Something an agent should work on: a phase (<c>Kind = phase</c>, negative gap) or a behaviour (<c>behaviour</c>, positive gap).</summary>
public sealed record FocusArea(string Kind, string Name, double Gap, IReadOnlyList<string> Examples);

/// <summary>An agent's focus areas in one period, worst first.</summary>
public sealed record AgentFocus(string Tenant, string TeamId, string AgentId, DateOnly Period, IReadOnlyList<FocusArea> Areas);

/// <summary>The agent report.</summary>
public sealed record AgentReport(
    IReadOnlyList<AgentPeriodStats> Stats,
    IReadOnlyList<PhaseGap> PhaseGaps,
    IReadOnlyList<BehaviourGap> BehaviourGaps,
    IReadOnlyList<AgentFocus> Focus);

/// <summary>A client's (tenant's) numbers per campaign and period.</summary>
/// <param name="Trend">Mean experience index minus the previous period's; null when the previous period has no contacts.</param>
public sealed record ClientPeriodStats(
    string Tenant, string Campaign, DateOnly Period, long Contacts, double MeanExperienceIndex,
    double? PreviousMeanExperienceIndex, double? Trend, long StartedNegative, long Converted, double? ConversionRate,
    long MemorableMoments, double? MeanNps);

/// <summary>A process topic ranked by its summed driver share.</summary>
public sealed record ProcessDriverStat(string Tenant, string Campaign, DateOnly Period, string Topic, double ShareSum, long Contacts);

/// <summary>A memorable moment given as an example.</summary>
public sealed record MomentExample(
    string Tenant, string Campaign, DateOnly Period, string ConversationId, uint Turn, double Valence,
    string Emotion, string Text, bool AfterNegativeStart);

/// <summary>The client report.</summary>
public sealed record ClientReport(
    IReadOnlyList<ClientPeriodStats> Stats,
    IReadOnlyList<ProcessDriverStat> TopProcessDrivers,
    IReadOnlyList<MomentExample> MemorableMoments);

/// <summary>Thresholds for the process-quality vs experience quadrants.</summary>
public sealed record QuadrantThresholds(double QaScore = 80, double ExperienceIndex = 60);

/// <summary>One quadrant: contacts whose QA score and experience index are at or above (high) or below (low) the thresholds.</summary>
public sealed record QuadrantStat(
    string Tenant, string Campaign, DateOnly Period, string Quadrant, long Contacts,
    double MeanQaScore, double MeanExperienceIndex, IReadOnlyList<string> Examples);

/// <summary>A conversation with its experience index and its latest survey answers and QA score (null: none).</summary>
public sealed record QualityRow(
    string Tenant, string Campaign, string ConversationId, DateOnly Date, double ExperienceIndex, double? Nps, double? Csat, double? Qa);

/// <summary>Quadrant names.</summary>
public static class Quadrants
{
    public const string HighQaHighExperience = "high_qa_high_experience";
    public const string HighQaLowExperience = "high_qa_low_experience";
    public const string LowQaHighExperience = "low_qa_high_experience";
    public const string LowQaLowExperience = "low_qa_low_experience";
}
