using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emotion.Scoring;

/// <summary>Driver names as written in results.</summary>
public static class Drivers
{
    public const string Agent = "agent";
    public const string Process = "process";
    public const string Product = "product";
    public const string PriorExperience = "prior_experience";
    public const string None = "none";

    /// <summary>The four drivers in the order results list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Agent, Process, Product, PriorExperience];
}

/// <summary>Agent behaviour names as written in results (<c>agent_focus</c>, driver behaviours).</summary>
public static class AgentBehaviours
{
    public const string Empathy = "empathy";
    public const string Interruptions = "interruptions";
    public const string Ownership = "ownership";
    public const string Clarity = "clarity";
    public const string HoldTime = "hold_time";
    public const string None = "none";

    /// <summary>The behaviours in tie-break order for <c>agent_focus</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [Ownership, Interruptions, HoldTime, Empathy, Clarity];
}

/// <summary>One utterance in the result.</summary>
/// <param name="Valence">Valence used by every metric (the model's, sign-flipped for sarcasm); null for a turn with no speech.</param>
/// <param name="Label">-1, 0 or 1 from <paramref name="Valence"/>'s model label (sarcasm makes it -1 or 0); null with no speech.</param>
/// <param name="Substantive">Whether the turn can be a customer start/end turn (not greeting, pleasantry or identity data only).</param>
/// <param name="Flags">Any of <c>no_speech</c>, <c>sarcasm</c>, <c>negative</c>, <c>interruption</c>, <c>long_hold</c>, <c>long_silence</c>,
/// <c>missing_empathy</c>, <c>missing_ownership</c>, <c>unclear</c>, <c>resolution</c>, <c>unresolved</c>.</param>
public sealed record UtteranceResult(
    int Turn,
    string Speaker,
    double StartS,
    double EndS,
    double? Valence,
    int? Label,
    string? Emotion,
    string Phase,
    bool Substantive,
    IReadOnlyList<string> Flags,
    IReadOnlyList<TimingMarker> Markers)
{
    /// <summary>The turn model's class probabilities (negative, neutral, positive) as it gave them, before any per-turn
    /// rule (sarcasm, re-reads) changed <see cref="Valence"/> or <see cref="Label"/>; null with no speech.</summary>
    public double? PNegative { get; init; }

    /// <inheritdoc cref="PNegative"/>
    public double? PNeutral { get; init; }

    /// <inheritdoc cref="PNegative"/>
    public double? PPositive { get; init; }
}

/// <summary>Emotionality of one phase for one speaker.</summary>
/// <param name="MeanValence">Duration-weighted mean valence of the speaker's turns with speech in the phase.</param>
/// <param name="NegativeShare">Share of those turns that are negative.</param>
/// <param name="DominantEmotion">Emotion with the largest total duration in those turns.</param>
public sealed record PhaseEmotionality(
    string Phase,
    string Speaker,
    int Turns,
    double DurationS,
    double MeanValence,
    double MinValence,
    double NegativeShare,
    string DominantEmotion);

/// <summary>Customer valence at the start or the end.</summary>
/// <param name="Label">-1, 0 or 1.</param>
/// <param name="Score">Mean valence of the turns (the end score is capped at 0 when a positive end is not accepted).</param>
/// <param name="Turns">The substantive customer turns used.</param>
public sealed record ValencePoint(int Label, double Score, IReadOnlyList<int> Turns);

/// <summary>A process topic's part of the negative mass.</summary>
public sealed record TopicShare(string Topic, double Share);

/// <summary>An agent behaviour's part of the negative mass.</summary>
public sealed record BehaviourShare(string Behaviour, double Share);

/// <summary>One driver's share of the customer's negative emotion.</summary>
/// <param name="Share">Part of the conversation's negative mass; the four shares sum to 1 when there is any.</param>
/// <param name="EvidenceTurns">Negative customer turns attributed and turns holding the evidence.</param>
/// <param name="Topics">Process only: topics (<c>none</c> for process mass without a topic), shares of the whole negative mass.</param>
/// <param name="Behaviours">Agent only: behaviours, shares of the whole negative mass.</param>
public sealed record DriverShare(
    string Driver,
    double Share,
    IReadOnlyList<int> EvidenceTurns,
    IReadOnlyList<TopicShare> Topics,
    IReadOnlyList<BehaviourShare> Behaviours);

/// <summary>Counts of agent behaviours detected in the whole conversation, whatever the customer felt.</summary>
public sealed record AgentBehaviourCounts(
    int Interruptions,
    int LongHolds,
    double HoldSeconds,
    int LongSilences,
    int MissingEmpathy,
    int MissingOwnership,
    int UnclearAnswers);

/// <summary>The 0-1 components of the experience index (before weighting).</summary>
public sealed record ExperienceComponents(double EndValence, double Shift, double NegativeLoad, double Memorable);

/// <summary>A strongly positive customer peak.</summary>
public sealed record MemorableMoment(int Turn, double Valence, string Emotion, bool AfterNegativeStart, string Reason);

/// <summary>A live alert: the customer's valence trend turned negative at this turn.</summary>
/// <param name="Reason"><c>ewma_below</c>, <c>falling_trend</c> or <c>severe_turn</c>, with the numbers.</param>
/// <param name="DelayMs">Measured from the segment being produced to the alert, when the caller gave the production time.</param>
public sealed record LiveAlert(
    string ConversationId,
    int Turn,
    double AtS,
    string Rule,
    string Reason,
    double Valence,
    double Ewma,
    double? Slope,
    double? DelayMs);

/// <summary>One conversation-level answer: its value, where it came from, how sure it is and the turns that support it.</summary>
/// <param name="Answer">The answer as written in its own field (<c>-1</c>, <c>true</c>, <c>process</c>, <c>fees</c>, <c>none</c>).</param>
/// <param name="Source"><c>learned</c> (the answer models) or <c>rules</c> (cue phrases and weights of the configuration).</param>
/// <param name="Confidence">The learned model's probability of this answer; null for a rule answer.</param>
/// <param name="EvidenceTurns">Turns that support it: the start or end turns, the negative customer turns and the turns holding the
/// driver's or topic's cues, the agent turns flagged with the focus behaviour; empty for <c>none</c>.</param>
public sealed record AnswerDetail(string Answer, string Source, double? Confidence, IReadOnlyList<int> EvidenceTurns);

/// <summary>The conversation-level answers with their source, confidence and evidence (<c>answers</c> in results).</summary>
/// <param name="Model">The learned answer models' version (e.g. <c>answers-v1</c>); null when every answer comes from the rules.</param>
public sealed record AnswerSummary(
    string? Model,
    AnswerDetail CustomerStart,
    AnswerDetail CustomerEnd,
    AnswerDetail NegativeToPositive,
    AnswerDetail PrimaryDriver,
    AnswerDetail ProcessTopic,
    AnswerDetail AgentFocus);

/// <summary>Case classes of the triage (<c>triage.class</c> in results).</summary>
public static class CaseClasses
{
    /// <summary>Asks for redress: money back, a correction, a reversal, a repair.</summary>
    public const string Claim = "claim";
    /// <summary>Voices dissatisfaction with the company without a demand for redress.</summary>
    public const string Complaint = "complaint";
    /// <summary>Asks for information, a procedure or a service.</summary>
    public const string Request = "request";
    /// <summary>No case: the customer said nothing of substance.</summary>
    public const string None = "none";

    /// <summary>The classes in precedence order.</summary>
    public static IReadOnlyList<string> All { get; } = [Claim, Complaint, Request, None];
}

/// <summary>The contact's case class, why, and whether it was resolved at first contact.</summary>
/// <param name="Class"><see cref="CaseClasses"/>: claim, complaint, request or none.</param>
/// <param name="Reason">The rule that decided it, e.g. <c>claim cue 'refund'</c>.</param>
/// <param name="EvidenceTurns">Turns that hold the deciding cues (or the negative turns for a complaint read from emotion).</param>
/// <param name="FirstContact">No customer turn says the customer contacted before about this (prior-experience cues).</param>
/// <param name="ResolvedFirstContact">Resolved in this contact, and it was the first contact.</param>
/// <param name="Target">The class's service-level targets from the configuration, or null when it has none.</param>
public sealed record CaseTriage(
    string Class,
    string Reason,
    IReadOnlyList<int> EvidenceTurns,
    bool FirstContact,
    bool Resolved,
    bool ResolvedFirstContact,
    ServiceLevelTarget? Target);

/// <summary>A class's service-level targets as configured.</summary>
public sealed record ServiceLevelTarget(double FirstContactResolution, double ResponseHours);

/// <summary>One moment of truth located in a contact, with the customer's valence around it.</summary>
/// <param name="Moment">The configured moment's name (<c>identity_check</c>, <c>price_disclosure</c>...).</param>
/// <param name="Turn">The turn where it happens (the first of a run of turns that match it).</param>
/// <param name="Cue">The cue phrase, <c>example:</c> and the example, or <c>marker:hold</c> that matched.</param>
/// <param name="Before">Mean valence of the customer's last turns with speech before the moment; null with none.</param>
/// <param name="After">Mean valence of the customer's first turns with speech after the moment; null with none.</param>
/// <param name="Shift">After minus before; null when either is missing.</param>
public sealed record MomentOfTruth(
    string Moment,
    int Turn,
    double AtS,
    string Speaker,
    string Cue,
    double? Before,
    double? After,
    double? Shift,
    IReadOnlyList<int> BeforeTurns,
    IReadOnlyList<int> AfterTurns);

/// <summary>Why the customer got in touch, for anticipation: a process topic or a request type, and the known event before it.</summary>
/// <param name="Reason">The configured reason (<c>anticipation.reasons</c>).</param>
/// <param name="Kind"><c>topic</c> (a process topic's cues) or <c>request</c> (the reason's own cues).</param>
/// <param name="Turn">The customer turn that names it first.</param>
/// <param name="Event">The first of the reason's known events named in the contact (either speaker), or null.</param>
public sealed record ContactReason(string Reason, string Kind, int Turn, string? Event);

/// <summary>Everything <c>emotion analyze</c> reports for one conversation.</summary>
public sealed record ConversationAnalysis(
    string ConversationId,
    string? Tenant,
    string? AgentId,
    string? TeamId,
    string? Campaign,
    string? Language,
    string? Channel,
    double DurationS,
    IReadOnlyList<UtteranceResult> Utterances,
    IReadOnlyList<PhaseEmotionality> Phases,
    ValencePoint CustomerStart,
    ValencePoint CustomerEnd,
    bool Resolved,
    bool NegativeToPositive,
    double Shift,
    double NegativeLoad,
    IReadOnlyList<DriverShare> Drivers,
    string PrimaryDriver,
    string ProcessTopic,
    string AgentFocus,
    AgentBehaviourCounts AgentBehaviours,
    double ExperienceIndex,
    ExperienceComponents ExperienceComponents,
    IReadOnlyList<MemorableMoment> MemorableMoments,
    IReadOnlyList<LiveAlert> Alerts,
    AnswerSummary? Answers = null,
    CaseTriage? Triage = null,
    IReadOnlyList<MomentOfTruth>? MomentsOfTruth = null,
    ContactReason? ContactReason = null,
    AudioSummary? Audio = null)
{
    /// <summary>One line of JSON (snake_case).</summary>
    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? ScoringJsonContext.Indented.ConversationAnalysis : ScoringJsonContext.Default.ConversationAnalysis);

    /// <summary>Reads a result written by <see cref="ToJson"/>.</summary>
    public static ConversationAnalysis? FromJson(string json) =>
        JsonSerializer.Deserialize(json, ScoringJsonContext.Default.ConversationAnalysis);
}

/// <summary>Source-generated snake_case JSON for results.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ConversationAnalysis))]
[JsonSerializable(typeof(LiveAlert))]
[JsonSerializable(typeof(CalibrationReport))]
public sealed partial class ScoringJsonContext : JsonSerializerContext
{
    private static ScoringJsonContext? _indented;

    /// <summary>The same context writing indented JSON.</summary>
    public static ScoringJsonContext Indented => _indented ??= new ScoringJsonContext(new JsonSerializerOptions(Default.Options) { WriteIndented = true });
}
