namespace Emotion.Scoring;

/// <summary>Predicts a process topic from text; the Microsoft.ML one is <see cref="TopicClassifier"/>.</summary>
public interface ITopicClassifier
{
    /// <summary>The most likely topic and its probability, or null when the text is empty.</summary>
    (string Topic, double Probability)? Predict(string text);
}

/// <summary>
/// Turns a scored conversation into its analytics: phases, phase emotionality, customer start and end, conversion,
/// drivers, agent focus, experience index, memorable moments, the live alerts a replay fires, the case triage
/// (claim, complaint, request), the moments of truth and the contact reason. Pure: the same
/// input gives the same result. Thread-safe when the topic classifier is.
/// </summary>
public sealed class ConversationAnalyzer
{
    private readonly ScoringProfile _profile;
    private readonly ITopicClassifier? _topics;
    private readonly Task<AnswerModel>? _answersLoad;

    /// <summary>
    /// An analyzer with the rules of <paramref name="profile"/>; with <paramref name="answers"/>, the conversation-level
    /// answers (customer start and end, conversion, drivers, process topic, agent focus) are the learned ones.
    /// </summary>
    public ConversationAnalyzer(ScoringProfile profile, ITopicClassifier? topicClassifier = null, AnswerModel? answers = null)
        : this(profile, topicClassifier, answers is null ? null : Task.FromResult(answers))
    {
    }

    /// <summary>
    /// An analyzer whose learned answer models may still be loading (<see cref="Create(ScoringOptions, string?)"/> starts
    /// the load on the thread pool, so a process can consume while Microsoft.ML loads); the first analysis waits for it.
    /// </summary>
    private ConversationAnalyzer(ScoringProfile profile, ITopicClassifier? topicClassifier, Task<AnswerModel>? answersLoad)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _topics = topicClassifier;
        _answersLoad = answersLoad;
    }

    /// <summary>
    /// An analyzer for <paramref name="options"/>, training its topic classifier when the options give examples. With
    /// <c>answers.enabled</c> (the default) it loads the learned answer models from <see cref="AnswerModel.DefaultDirectory"/>
    /// (rules alone when that directory does not exist).
    /// </summary>
    public static ConversationAnalyzer Create(ScoringOptions options) =>
        Create(options, options?.Answers.Enabled == true ? AnswerModel.DefaultDirectory() : null);

    /// <summary>
    /// An analyzer for <paramref name="options"/> with the learned answer models in <paramref name="answersDirectory"/>
    /// (null: rules alone).
    /// </summary>
    /// <exception cref="InvalidDataException">The directory holds no usable answer models.</exception>
    public static ConversationAnalyzer Create(ScoringOptions options, string? answersDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = new ScoringProfile(options);
        var classifier = options.TopicModel.Examples.Count > 0
            ? TopicClassifierTrainer.Train(options.TopicModel.Examples, options.TopicModel.Seed)
            : null;
        if (answersDirectory is null) return new ConversationAnalyzer(profile, classifier);
        // What is wrong with the directory (no manifest, other features, a missing file) is said here, at once; the
        // slow part (Microsoft.ML loading six models: about 3 s at start-up on a busy 2-core machine) runs meanwhile.
        var manifest = AnswerModel.ReadManifest(answersDirectory);
        return new ConversationAnalyzer(profile, classifier, Task.Run(() => AnswerModel.Load(answersDirectory, manifest)));
    }

    public ScoringProfile Profile => _profile;

    /// <summary>The learned answer models in use, or null when the answers come from the rules.</summary>
    public AnswerModel? Answers => _answersLoad?.GetAwaiter().GetResult();

    /// <summary>
    /// Completes when the learned answer models are loaded (at once when there are none); faults with the load's
    /// error. A host awaits it to report the load and to fail early on a broken model file.
    /// </summary>
    public Task Ready => _answersLoad ?? Task.CompletedTask;

    /// <summary>Analyzes one conversation; utterances are taken in list order.</summary>
    public ConversationAnalysis Analyze(ConversationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var r = Read(input);
        var turns = r.Turns;
        var flags = r.Flags;
        var phases = r.Phases;
        var model = Answers;
        var answers = model is null ? RuleAnswers.From(r) : model.Decide(r, _profile);
        var audio = input.Acoustics is { } acoustics ? AudioReading.Summarize(acoustics, r.Behaviours) : null;
        if (audio is not null) answers = AudioReading.Adjust(answers, audio);
        var start = answers.Start;
        var end = answers.End;
        var shift = Math.Round(end.Score - start.Score, 4);

        var memorable = MemorableMoments.Find(turns, start, r.Resolved, _profile);
        var negativeLoad = NegativeLoad(turns);
        var (index, components) = ExperienceIndex.Compute(end.Score, shift, negativeLoad, memorable.Count, _profile.Options.ExperienceIndex);

        var monitor = new LiveAlertMonitor(input.ConversationId, _profile);
        var alerts = new List<LiveAlert>();
        foreach (var t in turns)
        {
            if (monitor.Observe(t) is { } alert) alerts.Add(alert);
        }

        var utterances = turns.Select(t => new UtteranceResult(
            t.Source.Turn,
            SpeakerName(t.Source.Speaker),
            t.Source.StartS,
            t.Source.EndS,
            t.HasSpeech ? Math.Round(t.Valence, 4) : null,
            t.HasSpeech ? t.Label : null,
            t.HasSpeech ? t.Emotion : null,
            phases[t.Index],
            t.Substantive,
            flags[t.Index].ToArray(),
            t.Markers)
        {
            PNegative = t.HasSpeech ? Math.Round(t.Source.Negative, 4) : null,
            PNeutral = t.HasSpeech ? Math.Round(t.Source.Neutral, 4) : null,
            PPositive = t.HasSpeech ? Math.Round(t.Source.Positive, 4) : null,
        }).ToArray();

        var duration = turns.Length == 0 ? 0 : turns.Max(t => t.Source.EndS) - turns.Min(t => t.Source.StartS);
        return new ConversationAnalysis(
            input.ConversationId, input.Tenant, input.AgentId, input.TeamId, input.Campaign, input.Language, input.Channel,
            Math.Round(duration, 3),
            utterances,
            PhaseEmotionalityCalculator.Compute(turns, phases, _profile),
            start,
            end,
            r.Resolved,
            answers.Conversion,
            shift,
            Math.Round(negativeLoad, 4),
            answers.Drivers,
            answers.PrimaryDriver,
            answers.ProcessTopic,
            answers.AgentFocus,
            r.Behaviours,
            index,
            components,
            memorable,
            alerts,
            answers.Summary,
            CaseTriageClassifier.Classify(turns, r.Resolved, end, _profile),
            MomentsOfTruthLocator.Locate(turns, _profile),
            ContactReasonFinder.Find(turns, _profile),
            audio);
    }

    /// <summary>The answer models' features of one conversation, for the process topics <paramref name="topicNames"/> the models know.</summary>
    public AnswerFeatureVector Features(ConversationInput input, IReadOnlyList<string> topicNames)
    {
        ArgumentNullException.ThrowIfNull(topicNames);
        return AnswerFeatures.From(Read(input), _profile, topicNames);
    }

    /// <summary>
    /// The rule reading of a conversation: prepared turns, phases, flags, behaviours, resolution, and the rule answers
    /// (customer start and end, drivers). Learned answers and their features start from it.
    /// </summary>
    internal ConversationReading Read(ConversationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var turns = input.Utterances.Select((u, i) => PreparedTurn.Create(u, i, _profile)).ToArray();
        var identityAnswers = MarkIdentityAnswers(turns);
        var phases = PhaseInferer.Infer(input.Utterances, turns.Select(t => t.Normalized).ToArray(), _profile);
        var flags = turns.Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToArray();
        var behaviours = AgentBehaviourDetector.Detect(turns, _profile, flags, input.Channel, input.Acoustics);
        var resolved = ResolutionCheck(turns, phases, flags);
        var (start, end) = CustomerValence.StartAndEnd(turns, resolved, _profile);
        var drivers = DriverAttributor.Attribute(turns, phases, flags, _profile, _topics);
        foreach (var t in turns)
        {
            if (!t.HasSpeech) flags[t.Index].Add("no_speech");
            if (t.Sarcastic) flags[t.Index].Add("sarcasm");
            if (t.Negative) flags[t.Index].Add("negative");
            if (t.EmpathyReread) flags[t.Index].Add("empathy_reread");
            if (t.PositiveReread) flags[t.Index].Add("positive_reread");
            if (identityAnswers.Contains(t.Index)) flags[t.Index].Add("identity_answer");
        }
        return new ConversationReading(turns, phases, flags, behaviours, resolved, start, end, drivers, input.Channel, input.Language);
    }

    /// <summary>
    /// A short customer turn (at most <c>identity_max_words</c> words, no content cue) that answers an agent's identity
    /// request ("me indica su dni", "can I get your name") is identity data only: not substantive. Names and numbers
    /// are not the customer's emotion, whatever the model reads in them. Returns the indexes changed.
    /// </summary>
    private HashSet<int> MarkIdentityAnswers(PreparedTurn[] turns)
    {
        var changed = new HashSet<int>();
        PreparedTurn? previous = null;
        for (var i = 0; i < turns.Length; i++)
        {
            var t = turns[i];
            if (!t.HasSpeech) continue;
            if (t.IsCustomer && t.Substantive && previous is { IsAgent: true } && _profile.IdentityRequest.IsMatch(previous.Normalized)
                && TextNormalizer.WordCount(t.Normalized) <= _profile.Options.Thresholds.IdentityMaxWords
                && !PreparedTurn.HasContentCue(t.Normalized, _profile))
            {
                turns[i] = t with { Substantive = false };
                changed.Add(i);
            }
            previous = turns[i];
        }
        return changed;
    }

    /// <summary>Speaker as written in results.</summary>
    public static string SpeakerName(Speaker speaker) => speaker == Speaker.Agent ? "agent" : "customer";

    /// <summary>
    /// Resolved: some turn in a resolution phase has a resolution cue, and no turn after the last such cue (either
    /// speaker) has an unresolved cue ("igual no me sirve", "still not fixed", "no podemos").
    /// </summary>
    private bool ResolutionCheck(PreparedTurn[] turns, IReadOnlyList<string> phases, SortedSet<string>[] flags)
    {
        var lastResolution = -1;
        var lastUnresolved = -1;
        var resolutionPhases = _profile.Options.ResolutionPhases;
        foreach (var t in turns)
        {
            if (!t.HasSpeech) continue;
            if (_profile.Unresolved.IsMatch(t.Normalized))
            {
                lastUnresolved = t.Index;
                flags[t.Index].Add("unresolved");
            }
            else if (_profile.Resolution.IsMatch(t.Normalized) && resolutionPhases.Contains(phases[t.Index], StringComparer.OrdinalIgnoreCase))
            {
                lastResolution = t.Index;
                flags[t.Index].Add("resolution");
            }
        }
        return lastResolution >= 0 && lastUnresolved < lastResolution;
    }

    /// <summary>Σ |valence|·duration over negative customer turns / Σ duration over customer turns with speech; 0 with none.</summary>
    private static double NegativeLoad(PreparedTurn[] turns)
    {
        double neg = 0, all = 0;
        foreach (var t in turns)
        {
            if (!t.IsCustomer || !t.HasSpeech) continue;
            all += t.Weight;
            if (t.Negative) neg += Math.Max(-t.Valence, 0) * t.Weight;
        }
        return all > 0 ? Math.Clamp(neg / all, 0, 1) : 0;
    }
}
