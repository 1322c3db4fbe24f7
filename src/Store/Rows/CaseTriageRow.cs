namespace Emotion.Store;

/// <summary>
/// A row of <c>conversation_triage</c>: a contact's case class (claim, complaint, request, none), its first-contact
/// resolution, its class's service-level targets, and its contact reason with the known event before it. Identity:
/// (tenant, conversation_id).
/// </summary>
public sealed record CaseTriageRow
{
    public required string Tenant { get; init; }
    public required string ConversationId { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary><c>claim</c>, <c>complaint</c>, <c>request</c> or <c>none</c>.</summary>
    public required string CaseClass { get; init; }
    /// <summary>The rule that decided the class.</summary>
    public string Reason { get; init; } = "";
    public IReadOnlyList<uint> EvidenceTurns { get; init; } = [];
    public bool FirstContact { get; init; }
    public bool Resolved { get; init; }
    public bool ResolvedFirstContact { get; init; }
    /// <summary>The class's target share resolved at first contact; null when the configuration has none.</summary>
    public float? FcrTarget { get; init; }
    /// <summary>The class's response time target in hours; null when the configuration has none.</summary>
    public float? ResponseHours { get; init; }
    /// <summary>The contact reason (<c>anticipation.reasons</c>), "" when none matched.</summary>
    public string ContactReason { get; init; } = "";
    /// <summary><c>topic</c> or <c>request</c>; "" with no reason.</summary>
    public string ContactReasonKind { get; init; } = "";
    /// <summary>The known event named in the contact (bill, cut_off, delivery_date, payment_due...), "" with none.</summary>
    public string KnownEvent { get; init; } = "";
    public ulong Version { get; init; }
}
