namespace Emotion.Scoring;

/// <summary>
/// A <see cref="ScoringOptions"/> compiled for matching: one <see cref="CueMatcher"/> per cue list. Immutable and
/// thread-safe; build one per client configuration and share it.
/// </summary>
public sealed class ScoringProfile
{
    public ScoringOptions Options { get; }
    public IReadOnlyList<string> PhaseNames { get; }
    public IReadOnlyList<CueMatcher> PhaseCues { get; }
    public IReadOnlyList<(string Name, CueMatcher Cues)> Topics { get; }
    public int AgentSubstancePhaseIndex { get; }
    public IReadOnlySet<int> ResolutionPhaseIndexes { get; }
    public IReadOnlySet<string> PositiveEmotions { get; }

    public CueMatcher Pleasantry { get; }
    public CueMatcher Identity { get; }
    public CueMatcher Filler { get; }
    public CueMatcher Resolution { get; }
    public CueMatcher Unresolved { get; }
    public CueMatcher PositiveContent { get; }
    public CueMatcher Gratitude { get; }
    public CueMatcher Thanks { get; }
    public CueMatcher Sarcasm { get; }
    public CueMatcher Distress { get; }
    public CueMatcher Confusion { get; }
    public CueMatcher PriorExperience { get; }
    public CueMatcher Product { get; }
    public CueMatcher InterruptionComplaint { get; }
    public CueMatcher HoldComplaint { get; }
    public CueMatcher Empathy { get; }
    public CueMatcher Blame { get; }
    public CueMatcher Vague { get; }
    public CueMatcher IdentityRequest { get; }
    /// <summary>Triage, moments of truth and contact reasons, compiled.</summary>
    public CaseProfile Cases { get; }

    /// <summary>Compiles <paramref name="options"/>; it is validated first.</summary>
    /// <exception cref="ScoringConfigException">The options are not valid.</exception>
    public ScoringProfile(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = ScoringConfig.Validate(options);
        if (errors.Count > 0) throw new ScoringConfigException($"'{options.Name}'", errors);
        Options = options;
        PhaseNames = options.Phases.Select(p => p.Name).ToArray();
        var firstResolution = options.ResolutionPhases.Count > 0 ? options.ResolutionPhases[0] : null;
        PhaseCues = options.Phases
            .Select(p => new CueMatcher(p.Name == firstResolution ? p.Cues.AllPhrases().Concat(options.Cues.Resolution.AllPhrases()) : p.Cues.AllPhrases()))
            .ToArray();
        Topics = options.ProcessTopics.Select(t => (t.Name, new CueMatcher(t.Cues.AllPhrases()))).ToArray();
        AgentSubstancePhaseIndex = IndexOfPhase(options.AgentSubstancePhase);
        ResolutionPhaseIndexes = options.ResolutionPhases.Select(IndexOfPhase).ToHashSet();
        PositiveEmotions = options.PositiveEmotions.ToHashSet(StringComparer.OrdinalIgnoreCase);

        var c = options.Cues;
        Pleasantry = new CueMatcher(c.Pleasantry.AllPhrases());
        Identity = new CueMatcher(c.Identity.AllPhrases());
        Filler = new CueMatcher(c.FillerWords.AllPhrases());
        Resolution = new CueMatcher(c.Resolution.AllPhrases());
        Unresolved = new CueMatcher(c.Unresolved.AllPhrases());
        PositiveContent = new CueMatcher(c.PositiveContent.AllPhrases());
        Gratitude = new CueMatcher(c.Gratitude.AllPhrases());
        Thanks = new CueMatcher(c.Thanks.AllPhrases());
        Sarcasm = new CueMatcher(c.Sarcasm.AllPhrases());
        Distress = new CueMatcher(c.Distress.AllPhrases());
        Confusion = new CueMatcher(c.Confusion.AllPhrases());
        PriorExperience = new CueMatcher(c.PriorExperience.AllPhrases());
        Product = new CueMatcher(c.Product.AllPhrases());
        InterruptionComplaint = new CueMatcher(c.InterruptionComplaint.AllPhrases());
        HoldComplaint = new CueMatcher(c.HoldComplaint.AllPhrases());
        Empathy = new CueMatcher(options.AgentCues.Empathy.AllPhrases());
        Blame = new CueMatcher(options.AgentCues.Blame.AllPhrases());
        Vague = new CueMatcher(options.AgentCues.Vague.AllPhrases());
        IdentityRequest = new CueMatcher(options.AgentCues.IdentityRequest.AllPhrases());
        Cases = new CaseProfile(options, Filler);
    }

    /// <summary>The default profile.</summary>
    public static ScoringProfile Default => DefaultProfile.Value;

    private static readonly Lazy<ScoringProfile> DefaultProfile = new(() => new ScoringProfile(ScoringConfig.Default));

    /// <summary>Position of <paramref name="phase"/> in the phase list, or -1.</summary>
    public int IndexOfPhase(string? phase)
    {
        if (phase is null) return -1;
        for (var i = 0; i < PhaseNames.Count; i++)
        {
            if (string.Equals(PhaseNames[i], phase, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>Topics whose cues occur in <paramref name="normalized"/>.</summary>
    public IEnumerable<string> MatchTopics(string normalized)
    {
        foreach (var (name, cues) in Topics)
        {
            if (cues.IsMatch(normalized)) yield return name;
        }
    }

    /// <summary>True when the raw text ends with a cut-off ending ("—", "...") once trailing blanks are removed.</summary>
    public bool EndsCutOff(string speech)
    {
        var t = speech.TrimEnd();
        return t.Length > 0 && Options.AgentCues.CutOffEndings.Any(e => e.Length > 0 && t.EndsWith(e, StringComparison.Ordinal));
    }
}
