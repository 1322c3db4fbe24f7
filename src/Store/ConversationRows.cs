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
    /// The rows with the conversation row's agent, team, campaign and queue on each phase, driver, behaviour and memorable
    /// moment row (migration 0009), so the console reads those rows by agent or campaign without a join.
    /// <see cref="ClickHouseStore.WriteAsync(IReadOnlyList{ConversationRows}, CancellationToken)"/> writes them this way.
    /// </summary>
    public ConversationRows WithDimensions()
    {
        var c = Conversation;
        return this with
        {
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
