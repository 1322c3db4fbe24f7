namespace Emotion.Scoring;

/// <summary>Cue phrases per language code (<c>es</c>, <c>en</c>, ...); every language is matched, whatever the conversation's.</summary>
public sealed class CueSet : Dictionary<string, IReadOnlyList<string>>
{
    public CueSet() : base(StringComparer.OrdinalIgnoreCase) { }

    /// <summary>All phrases of every language.</summary>
    public IEnumerable<string> AllPhrases() => Values.SelectMany(v => v);
}

/// <summary>
/// A client's scoring configuration. The defaults are <c>config/scoring.default.json</c> (embedded in this assembly);
/// a client file is merged over them by <see cref="ScoringConfig.Load"/>. Property names are snake_case in JSON.
/// </summary>
public sealed record ScoringOptions
{
    /// <summary>Name of the configuration (client), echoed in logs.</summary>
    public string Name { get; init; } = "default";
    public ThresholdOptions Thresholds { get; init; } = new();
    /// <summary>Phases in conversation order; phases only move forward through this list.</summary>
    public IReadOnlyList<PhaseOptions> Phases { get; init; } = [];
    /// <summary>Relative positions (0-1) where the positional fallback moves to the next phase; one fewer than phases.</summary>
    public IReadOnlyList<double> PhasePositionBounds { get; init; } = [];
    /// <summary>In the first phase, a third-phase cue is held back when a second-phase cue comes within this many turns (0: never).</summary>
    public int PhaseLookaheadTurns { get; init; } = 3;
    /// <summary>Phases in which a resolution cue counts as the problem being resolved.</summary>
    public IReadOnlyList<string> ResolutionPhases { get; init; } = [];
    /// <summary>Agent turns from this phase on are "substance": a customer negative before any is prior experience.</summary>
    public string AgentSubstancePhase { get; init; } = "exploration";
    public CueOptions Cues { get; init; } = new();
    public AgentCueOptions AgentCues { get; init; } = new();
    public IReadOnlyList<TopicOptions> ProcessTopics { get; init; } = [];
    public DriverWeightOptions DriverWeights { get; init; } = new();
    public ExperienceIndexOptions ExperienceIndex { get; init; } = new();
    public AlertOptions Alerts { get; init; } = new();
    public TopicModelOptions TopicModel { get; init; } = new();
    /// <summary>Model emotion labels that count as a positive peak (memorable moments).</summary>
    public IReadOnlyList<string> PositiveEmotions { get; init; } = [];
    /// <summary>Emotion reported for a sarcastic turn the model labelled with a positive emotion.</summary>
    public string SarcasmEmotion { get; init; } = "anger";
    /// <summary>Channels where turns are typed: a gap between turns is typing and reading time, not a silence.</summary>
    public IReadOnlyList<string> TextChannels { get; init; } = [];
    /// <summary>The learned conversation-level answers (<see cref="AnswerModel"/>) instead of the rule answers.</summary>
    public AnswerOptions Answers { get; init; } = new();
    /// <summary>Case triage: request, complaint or claim, and each class's service-level targets.</summary>
    public TriageOptions Triage { get; init; } = new();
    /// <summary>The client's moments of truth, located in each contact with the customer's emotion around them.</summary>
    public MomentsOfTruthOptions MomentsOfTruth { get; init; } = new();
    /// <summary>Contact reasons, the known events they follow and what would have prevented them.</summary>
    public AnticipationOptions Anticipation { get; init; } = new();
}

/// <summary>Whether the conversation-level answers come from the learned answer models or from the rules.</summary>
public sealed record AnswerOptions
{
    /// <summary>
    /// Learned answers (customer start and end, conversion, drivers, process topic, agent focus) from the answer models
    /// in <see cref="AnswerModel.DefaultDirectory"/> when they exist; false: the rules alone.
    /// </summary>
    public bool Enabled { get; init; } = true;
}

/// <summary>Numeric thresholds.</summary>
public sealed record ThresholdOptions
{
    /// <summary>A turn with valence at or below this (or model label -1) is negative; a label -1 start/end score too.</summary>
    public double NegativeValence { get; init; } = -0.25;
    /// <summary>A start/end score at or above this is label +1.</summary>
    public double PositiveValence { get; init; } = 0.25;
    /// <summary>A customer turn at or above this valence with gratitude/joy is a memorable moment.</summary>
    public double MemorableValence { get; init; } = 0.6;
    /// <summary>A hold marker this long or longer is a long hold.</summary>
    public double HoldSeconds { get; init; } = 60;
    /// <summary>A gap between turns, or a silence marker, this long or longer is a long silence.</summary>
    public double SilenceGapSeconds { get; init; } = 20;
    /// <summary>An agent turn starting more than this before the customer's turn ended is an interruption.</summary>
    public double OverlapToleranceSeconds { get; init; } = 0.3;
    /// <summary>How many substantive customer turns make the start (first N) and the end (last N).</summary>
    public int SubstantiveTurns { get; init; } = 2;
    /// <summary>Words left after removing pleasantries and filler that make a turn substantive.</summary>
    public int MinSubstantiveWords { get; init; } = 2;
    /// <summary>A turn with an identity cue and at most this many words is identity data only.</summary>
    public int IdentityMaxWords { get; init; } = 12;
    /// <summary>
    /// A contact whose customer negative mass (sum of -valence over the negative substantive customer turns) is below
    /// this has no driver: all shares 0, primary driver <c>none</c>. One mildly negative turn in a calm call is not a
    /// negative episode; one clearly negative turn (valence at or below -this) is. 0 disables.
    /// </summary>
    public double MinDriverMass { get; init; } = 0.75;
}

/// <summary>One phase and its cue phrases.</summary>
public sealed record PhaseOptions
{
    public string Name { get; init; } = "";
    public CueSet Cues { get; init; } = new();
}

/// <summary>One process topic with cue phrases.</summary>
public sealed record TopicOptions
{
    public string Name { get; init; } = "";
    public CueSet Cues { get; init; } = new();
}

/// <summary>Customer-side and general cue phrases.</summary>
public sealed record CueOptions
{
    public CueSet Pleasantry { get; init; } = new();
    public CueSet Identity { get; init; } = new();
    public CueSet FillerWords { get; init; } = new();
    public CueSet Resolution { get; init; } = new();
    public CueSet Unresolved { get; init; } = new();
    public CueSet PositiveContent { get; init; } = new();
    public CueSet Gratitude { get; init; } = new();
    /// <summary>Plain thanks: an end that is positive through thanks alone needs a resolution.</summary>
    public CueSet Thanks { get; init; } = new();
    public CueSet Sarcasm { get; init; } = new();
    public CueSet Distress { get; init; } = new();
    public CueSet Confusion { get; init; } = new();
    public CueSet PriorExperience { get; init; } = new();
    public CueSet Product { get; init; } = new();
    public CueSet InterruptionComplaint { get; init; } = new();
    public CueSet HoldComplaint { get; init; } = new();
}

/// <summary>Agent-side cue phrases.</summary>
public sealed record AgentCueOptions
{
    public CueSet Empathy { get; init; } = new();
    public CueSet Blame { get; init; } = new();
    public CueSet Vague { get; init; } = new();
    /// <summary>An agent asking for identity data ("me indica su dni", "can I get your name"): the customer's short answer is identity data only.</summary>
    public CueSet IdentityRequest { get; init; } = new();
    /// <summary>Raw endings (not normalized) that mark a customer turn as cut off, e.g. "—" or "...".</summary>
    public IReadOnlyList<string> CutOffEndings { get; init; } = [];
}

/// <summary>Evidence weights for driver attribution.</summary>
public sealed record DriverWeightOptions
{
    public double PriorExperienceCue { get; init; } = 1.0;
    public double BeforeAgentSubstance { get; init; } = 1.0;
    public double ProcessCue { get; init; } = 1.0;
    public double ProductCue { get; init; } = 1.0;
    public double TopicModel { get; init; } = 1.0;
    /// <summary>Factor on topic/product cues found in the turns just before the negative turn rather than in it.</summary>
    public double ContextFactor { get; init; } = 0.5;
    public double Interruptions { get; init; } = 1.0;
    public double HoldTime { get; init; } = 1.0;
    public double Ownership { get; init; } = 1.0;
    public double Clarity { get; init; } = 0.8;
    public double Empathy { get; init; } = 0.6;
    /// <summary>
    /// Weight of the previous customer turn's split on a negative turn that continues a negative turn (the same
    /// complaint going on): it is shared with the new turn's own evidence instead of being replaced by it.
    /// </summary>
    public double Continuation { get; init; } = 1.0;
    /// <summary>Driver for negative mass with no evidence anywhere in the conversation.</summary>
    public string UnexplainedDriver { get; init; } = "process";
}

/// <summary>Weights of the experience index components.</summary>
public sealed record ExperienceIndexOptions
{
    public double EndValence { get; init; } = 0.45;
    public double Shift { get; init; } = 0.15;
    public double NegativeLoad { get; init; } = 0.30;
    public double Memorable { get; init; } = 0.10;
    /// <summary>Memorable moments that give the full memorable component.</summary>
    public int MemorableCap { get; init; } = 1;
}

/// <summary>The live alert rule.</summary>
public sealed record AlertOptions
{
    /// <summary>Weight of the newest customer valence in the moving average.</summary>
    public double EwmaAlpha { get; init; } = 0.5;
    /// <summary>Fire when the average is at or below this (with the newest turn negative).</summary>
    public double EwmaThreshold { get; init; } = -0.35;
    /// <summary>Customer turns needed before the average or the slope can fire.</summary>
    public int MinCustomerTurns { get; init; } = 2;
    /// <summary>Customer turns in the least-squares slope.</summary>
    public int SlopeWindow { get; init; } = 3;
    /// <summary>Fire when the slope (valence per customer turn) is at or below this (with the newest turn negative).</summary>
    public double SlopeThreshold { get; init; } = -0.25;
    /// <summary>One turn at or below this fires at once; null disables.</summary>
    public double? SevereValence { get; init; } = -0.9;
    /// <summary>After an alert, no new one until the average rises above this.</summary>
    public double RearmThreshold { get; init; } = -0.1;
}

/// <summary>A labeled example for a client's topic classifier.</summary>
public sealed record TopicExample
{
    public string Text { get; init; } = "";
    public string Topic { get; init; } = "";
}

/// <summary>The client's own topic classifier, trained with Microsoft.ML where examples are given.</summary>
public sealed record TopicModelOptions
{
    public IReadOnlyList<TopicExample> Examples { get; init; } = [];
    /// <summary>A predicted topic counts as evidence only with at least this probability.</summary>
    public double MinProbability { get; init; } = 0.5;
    public int Seed { get; init; } = 1;
}
