namespace Emotion.Store;

/// <summary>
/// A row of <c>conversation_events</c>: a survey (<c>kind = survey</c>: NPS, CSAT) or a QA score (<c>kind = qa_score</c>).
/// Identity: (tenant, conversation_id, kind); reads take the highest version.
/// </summary>
public sealed record ConversationEventRow
{
    public const string SurveyKind = "survey";
    public const string QaScoreKind = "qa_score";

    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    /// <summary>The event's date (UTC); partition key.</summary>
    public required DateOnly Date { get; init; }
    public required string Kind { get; init; }
    /// <summary>0-10.</summary>
    public sbyte? Nps { get; init; }
    public float? Csat { get; init; }
    /// <summary>0-100.</summary>
    public float? QaScore { get; init; }
    public DateTime ReceivedAt { get; init; }
    public ulong Version { get; init; }
}
