namespace Emotion.Scoring;

/// <summary>Case triage (request, complaint, claim) and each class's service-level targets (docs/analytics.md, "Triage").</summary>
public sealed record TriageOptions
{
    /// <summary>How many of the customer's first substantive turns say what the contact is about (<see cref="ClaimOpening"/>).</summary>
    public int OpeningTurns { get; init; } = 3;
    /// <summary>Negative substantive customer turns that make a contact a complaint (with no positive end); 0 disables.</summary>
    public int NegativeTurnsForComplaint { get; init; } = 2;
    /// <summary>The customer asks for redress anywhere in the contact: money back, a correction, a reversal, a repair.</summary>
    public CueSet Claim { get; init; } = new();
    /// <summary>In the opening turns: the contact is about something the company got wrong (a charge, a fault, a block, a loss).</summary>
    public CueSet ClaimOpening { get; init; } = new();
    /// <summary>Process topics whose cues in the opening turns also make a claim (a billing error contested).</summary>
    public IReadOnlyList<string> ClaimOpeningTopics { get; init; } = [];
    /// <summary>A prior-experience cue in the opening turns ("es la tercera vez que llamo") makes a claim: the customer chases something owed.</summary>
    public bool ClaimOpeningPriorExperience { get; init; } = true;
    /// <summary>The customer voices dissatisfaction with the company ("es un abuso", "thanks for nothing").</summary>
    public CueSet Complaint { get; init; } = new();
    /// <summary>Phrases that cancel a complaint cue in the same turn ("no me quejo", "no complaints").</summary>
    public CueSet NotComplaint { get; init; } = new();
    /// <summary>A customer turn that says the contact needs nothing: a wrong number, a thanks-only call, returning a missed call.</summary>
    public CueSet None { get; init; } = new();
    /// <summary>The agent's first turn opens a contact that asks the customer for nothing: an outbound courtesy, reminder or survey call.</summary>
    public CueSet NoneOpening { get; init; } = new();
    /// <summary>The agent's last turn closes a contact before any need was stated: the line dropped, nobody answers.</summary>
    public CueSet NoneClosing { get; init; } = new();
    /// <summary>A customer turn that states a need (asks, wants, reports a problem); after the last none cue one of these makes it a request again.</summary>
    public CueSet Need { get; init; } = new();
    /// <summary>Also none: a contact with no none cue where no customer turn states a need.</summary>
    public bool NoneWithoutNeed { get; init; }
    /// <summary>Service-level targets per class (<c>request</c>, <c>complaint</c>, <c>claim</c>).</summary>
    public IReadOnlyDictionary<string, ServiceLevelOptions> ServiceLevels { get; init; } = new Dictionary<string, ServiceLevelOptions>();
}

/// <summary>A class's service-level targets.</summary>
public sealed record ServiceLevelOptions
{
    /// <summary>Target share of the class's contacts resolved at first contact, in [0, 1].</summary>
    public double FirstContactResolution { get; init; }
    /// <summary>Hours within which a case of the class not resolved at first contact must be answered.</summary>
    public double ResponseHours { get; init; }
}

/// <summary>The client's key moments of a contact ("momentos de verdad") and how the customer's emotion around them is read.</summary>
public sealed record MomentsOfTruthOptions
{
    /// <summary>Customer turns with speech averaged before and after a moment.</summary>
    public int WindowTurns { get; init; } = 2;
    /// <summary>A turn matches an example when it holds at least this share of the example's content words.</summary>
    public double ExampleOverlap { get; init; } = 0.6;
    /// <summary>Currency words that make a number an amount of money (<see cref="MomentOptions.AmountCues"/>); a currency sign beside a digit always does.</summary>
    public CueSet MoneyWords { get; init; } = new();
    public IReadOnlyList<MomentOptions> Moments { get; init; } = [];
}

/// <summary>One moment of truth: a name, cue phrases per language, optional example sentences, who says it.</summary>
public sealed record MomentOptions
{
    public string Name { get; init; } = "";
    /// <summary><c>agent</c> (default), <c>customer</c> or <c>any</c>.</summary>
    public string Speaker { get; init; } = "agent";
    public CueSet Cues { get; init; } = new();
    /// <summary>Example sentences; a turn that shares enough of an example's content words matches (<see cref="MomentsOfTruthOptions.ExampleOverlap"/>).</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];
    /// <summary>
    /// Cue lists of this configuration that also mark the moment, by name: <c>agent_cues.identity_request</c>,
    /// <c>agent_cues.empathy</c>, <c>agent_cues.blame</c>, <c>cues.resolution</c>, <c>cues.identity</c>. The identity check then
    /// follows the same phrases as identity answers, with no second list to keep in step.
    /// </summary>
    public IReadOnlyList<string> WithCues { get; init; } = [];
    /// <summary>A timing-marker kind (<c>hold</c>, <c>silence</c>) that also marks the moment, e.g. <c>[hold 2 min]</c>.</summary>
    public string? Marker { get; init; }
    /// <summary>
    /// Regular expressions per language over the normalized turn (accents and case gone, one space between words), for
    /// what a phrase list cannot say: <c>^(listo|hecho)\b</c> (a turn that opens with it), <c>\bqueda \w+ad[oa]\b</c>.
    /// </summary>
    public CueSet Patterns { get; init; } = new();
    /// <summary>Cues that mark the moment only in a turn that also states an amount of money ("son 8 euros al mes", "$1,150 por asiento").</summary>
    public CueSet AmountCues { get; init; } = new();
    /// <summary>A turn holding one of these is not the moment, whatever else it holds ("número de pedido" for the identity check, "refund" for a price).</summary>
    public CueSet NotCues { get; init; } = new();
}

/// <summary>Contact reasons, the known events they recur after, and what would have prevented them (anticipation candidates).</summary>
public sealed record AnticipationOptions
{
    public IReadOnlyList<AnticipationEventOptions> Events { get; init; } = [];
    public IReadOnlyList<ContactReasonOptions> Reasons { get; init; } = [];
}

/// <summary>A known event a contact can follow: a bill, a cut-off, a delivery date, a payment due.</summary>
public sealed record AnticipationEventOptions
{
    public string Name { get; init; } = "";
    public CueSet Cues { get; init; } = new();
}

/// <summary>A contact reason: a process topic or a request type, the events it follows, the proactive step that prevents it.</summary>
public sealed record ContactReasonOptions
{
    public string Name { get; init; } = "";
    /// <summary>A process topic whose cues also name this reason (<c>process_topics</c>), or null for a request type.</summary>
    public string? Topic { get; init; }
    public CueSet Cues { get; init; } = new();
    /// <summary>Names of <see cref="AnticipationOptions.Events"/> this reason recurs after.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
    /// <summary>The proactive message or self-service step that would have prevented the contact, per language.</summary>
    public IReadOnlyDictionary<string, string> Prevention { get; init; } = new Dictionary<string, string>();
}
