namespace Emotion.Scoring;

/// <summary>Predicts a process topic from text; the Microsoft.ML one is <see cref="TopicClassifier"/>.</summary>
public interface ITopicClassifier
{
    /// <summary>The most likely topic and its probability, or null when the text is empty.</summary>
    (string Topic, double Probability)? Predict(string text);
}

/// <summary>
/// Turns a scored conversation into its analytics: phases, phase emotionality, customer start and end, conversion,
/// drivers, agent focus, experience index, memorable moments and the live alerts a replay fires. Pure: the same
/// input gives the same result. Thread-safe when the topic classifier is.
/// </summary>
public sealed class ConversationAnalyzer
{
    private readonly ScoringProfile _profile;
    private readonly ITopicClassifier? _topics;

    public ConversationAnalyzer(ScoringProfile profile, ITopicClassifier? topicClassifier = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profile = profile;
        _topics = topicClassifier;
    }

    /// <summary>An analyzer for <paramref name="options"/>, training its topic classifier when the options give examples.</summary>
    public static ConversationAnalyzer Create(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var profile = new ScoringProfile(options);
        var classifier = options.TopicModel.Examples.Count > 0
            ? TopicClassifierTrainer.Train(options.TopicModel.Examples, options.TopicModel.Seed)
            : null;
        return new ConversationAnalyzer(profile, classifier);
    }

    public ScoringProfile Profile => _profile;

    /// <summary>Analyzes one conversation; utterances are taken in list order.</summary>
    public ConversationAnalysis Analyze(ConversationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var turns = input.Utterances.Select((u, i) => PreparedTurn.Create(u, i, _profile)).ToArray();
        var identityAnswers = MarkIdentityAnswers(turns);
        var phases = PhaseInferer.Infer(input.Utterances, turns.Select(t => t.Normalized).ToArray(), _profile);
        var flags = turns.Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToArray();
        var behaviours = AgentBehaviourDetector.Detect(turns, _profile, flags, input.Channel);
        var resolved = ResolutionCheck(turns, phases, flags);

        var (start, end) = CustomerValence.StartAndEnd(turns, resolved, _profile);
        var conversion = start.Label == -1 && end.Label == 1;
        var shift = Math.Round(end.Score - start.Score, 4);

        var drivers = DriverAttributor.Attribute(turns, phases, flags, _profile, _topics);
        var memorable = MemorableMoments.Find(turns, start, resolved, _profile);
        var negativeLoad = NegativeLoad(turns);
        var (index, components) = ExperienceIndex.Compute(end.Score, shift, negativeLoad, memorable.Count, _profile.Options.ExperienceIndex);

        var monitor = new LiveAlertMonitor(input.ConversationId, _profile);
        var alerts = new List<LiveAlert>();
        foreach (var t in turns)
        {
            if (monitor.Observe(t) is { } alert) alerts.Add(alert);
        }

        foreach (var t in turns)
        {
            if (!t.HasSpeech) flags[t.Index].Add("no_speech");
            if (t.Sarcastic) flags[t.Index].Add("sarcasm");
            if (t.Negative) flags[t.Index].Add("negative");
            if (t.EmpathyReread) flags[t.Index].Add("empathy_reread");
            if (t.PositiveReread) flags[t.Index].Add("positive_reread");
            if (identityAnswers.Contains(t.Index)) flags[t.Index].Add("identity_answer");
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
            t.Markers)).ToArray();

        var duration = turns.Length == 0 ? 0 : turns.Max(t => t.Source.EndS) - turns.Min(t => t.Source.StartS);
        return new ConversationAnalysis(
            input.ConversationId, input.Tenant, input.AgentId, input.TeamId, input.Campaign, input.Language, input.Channel,
            Math.Round(duration, 3),
            utterances,
            PhaseEmotionalityCalculator.Compute(turns, phases, _profile),
            start,
            end,
            resolved,
            conversion,
            shift,
            Math.Round(negativeLoad, 4),
            drivers.Drivers,
            drivers.Primary,
            drivers.ProcessTopic,
            drivers.AgentFocus,
            behaviours,
            index,
            components,
            memorable,
            alerts);
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
