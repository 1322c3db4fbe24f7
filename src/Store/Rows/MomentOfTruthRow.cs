namespace Emotion.Store;

/// <summary>
/// A row of <c>conversation_moments</c>: one moment of truth located in a contact, with the customer's valence around it.
/// Identity: (tenant, conversation_id, moment, turn).
/// </summary>
public sealed record MomentOfTruthRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>The configured moment (<c>identity_check</c>, <c>price_disclosure</c>, <c>payment_plan_offer</c>, <c>transfer</c>, <c>hold</c>, <c>resolution_statement</c>...).</summary>
    public required string Moment { get; init; }
    public uint Turn { get; init; }
    /// <summary>Seconds from the start of the contact.</summary>
    public float AtS { get; init; }
    public string Speaker { get; init; } = "";
    /// <summary>The cue, <c>example:...</c> or <c>marker:hold</c> that matched.</summary>
    public string Cue { get; init; } = "";
    /// <summary>Mean valence of the customer's turns just before; null with none.</summary>
    public float? BeforeValence { get; init; }
    /// <summary>Mean valence of the customer's turns just after; null with none.</summary>
    public float? AfterValence { get; init; }
    /// <summary>After minus before; null when either is missing.</summary>
    public float? Shift { get; init; }
    public ulong Version { get; init; }
}
