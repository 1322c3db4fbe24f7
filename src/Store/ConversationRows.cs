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
    /// <summary>Total rows over all tables.</summary>
    public int RowCount =>
        1 + Utterances.Count + Phases.Count + Drivers.Count + Behaviours.Count + MemorableMoments.Count + Alerts.Count
        + (MomentsOfTruth?.Count ?? 0) + (Triage is null ? 0 : 1);
}
