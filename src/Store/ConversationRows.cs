namespace Emotion.Store;

/// <summary>
/// Everything the store keeps about one finalized conversation, ready for
/// <see cref="ClickHouseStore.WriteAsync(ConversationRows, CancellationToken)"/>. All rows share tenant,
/// conversation id, date and version.
/// </summary>
public sealed partial record ConversationRows(
    ConversationRow Conversation,
    IReadOnlyList<UtteranceRow> Utterances,
    IReadOnlyList<PhaseRow> Phases,
    IReadOnlyList<DriverRow> Drivers,
    IReadOnlyList<BehaviourRow> Behaviours,
    IReadOnlyList<MemorableMomentRow> MemorableMoments,
    IReadOnlyList<AlertRow> Alerts,
    IReadOnlyList<MomentOfTruthRow>? MomentsOfTruth = null,
    CaseTriageRow? Triage = null)
{
    /// <summary>
    /// The rows as the console reads them (migration 0009): the conversation row's agent, team, campaign and queue on each
    /// phase, driver, behaviour and memorable moment row, so those rows are read by agent or campaign without a join; and
    /// on the conversation row how many rows of each of those tables it has, which <c>analysis_days</c> compares with the
    /// rows written. <see cref="ClickHouseStore.WriteAsync(IReadOnlyList{ConversationRows}, CancellationToken)"/> writes them this way.
    /// </summary>
    public ConversationRows WithConsoleColumns()
    {
        var c = Conversation;
        static ushort N(int count) => (ushort)Math.Min(ushort.MaxValue, count);
        return this with
        {
            Conversation = c with { PhaseRows = N(Phases.Count), DriverRows = N(Drivers.Count), BehaviourRows = N(Behaviours.Count), MomentRows = N(MemorableMoments.Count) },
            Phases = [.. Phases.Select(r => r with { AgentId = c.AgentId, TeamId = c.TeamId, Campaign = c.Campaign, Queue = c.Queue })],
            Drivers = [.. Drivers.Select(r => r with { AgentId = c.AgentId, TeamId = c.TeamId, Campaign = c.Campaign, Queue = c.Queue })],
            Behaviours = [.. Behaviours.Select(r => r with { AgentId = c.AgentId, TeamId = c.TeamId, Campaign = c.Campaign, Queue = c.Queue })],
            MemorableMoments = [.. MemorableMoments.Select(r => r with { AgentId = c.AgentId, TeamId = c.TeamId, Campaign = c.Campaign, Queue = c.Queue })],
        };
    }

    /// <summary>Total rows over all tables.</summary>
    public int RowCount =>
        1 + Utterances.Count + Phases.Count + Drivers.Count + Behaviours.Count + MemorableMoments.Count + Alerts.Count
        + (MomentsOfTruth?.Count ?? 0) + (Triage is null ? 0 : 1);
}
