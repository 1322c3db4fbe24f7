namespace Emotion.Scoring;

/// <summary>
/// One conversation as the answer models read it: named numeric features computed from the rule reading (the turn
/// model's valences and class probabilities by speaker and position, the first and last substantive customer turns,
/// negative turn counts, the behaviour flags, cue hits per driver and per process topic, phase shares, the rule
/// answers themselves) and four texts (the customer's start turns, end turns, all customer speech, all agent speech),
/// normalized like every cue.
/// </summary>
public sealed record AnswerFeatureVector(IReadOnlyList<string> Names, float[] Values, string StartText, string EndText, string CustomerText, string AgentText);

/// <summary>Computes <see cref="AnswerFeatureVector"/>s; the feature names are fixed by the code and recorded with every trained model.</summary>
internal static class AnswerFeatures
{
    /// <summary>Turns read at each end of the customer's substantive turns.</summary>
    private const int EdgeTurns = 3;
    private const int PhaseSlots = 5;

    public static AnswerFeatureVector From(ConversationReading r, ScoringProfile profile, IReadOnlyList<string> topicNames)
    {
        var f = new Builder();
        var turns = r.Turns;
        var th = profile.Options.Thresholds;
        var customer = turns.Where(t => t.IsCustomer && t.HasSpeech).ToArray();
        var agent = turns.Where(t => t.IsAgent && t.HasSpeech).ToArray();
        var substantive = customer.Where(t => t.Substantive).ToArray();
        var edge = substantive.Length > 0 ? substantive : customer;
        var n = Math.Max(turns.Length, 1);

        // The conversation.
        f.Add("turns", turns.Length);
        f.Add("log_duration", Math.Log(1 + Math.Max(0, turns.Length == 0 ? 0 : turns.Max(t => t.Source.EndS) - turns.Min(t => t.Source.StartS))));
        f.Add("text_channel", r.Channel is not null && profile.Options.TextChannels.Contains(r.Channel, StringComparer.OrdinalIgnoreCase));
        f.Add("lang_es", string.Equals(r.Language, "es", StringComparison.OrdinalIgnoreCase));
        f.Add("lang_en", string.Equals(r.Language, "en", StringComparison.OrdinalIgnoreCase));

        // Start and end turns as the rules read them, and the turns around them.
        for (var i = 0; i < EdgeTurns; i++) TurnBlock(f, $"start{i + 1}", i < edge.Length ? edge[i] : null, n, profile);
        for (var i = 0; i < EdgeTurns; i++) TurnBlock(f, $"end{i + 1}", i < edge.Length ? edge[edge.Length - 1 - i] : null, n, profile);
        TurnBlock(f, "first_customer", customer.FirstOrDefault(), n, profile);
        TurnBlock(f, "last_customer", customer.LastOrDefault(), n, profile);
        TurnBlock(f, "last_agent", agent.LastOrDefault(), n, profile);
        var k = Math.Min(2, Math.Max(1, edge.Length / 2));
        f.Add("start2_min", edge.Length > 0 ? edge.Take(k).Min(t => t.Valence) : 0);
        f.Add("start2_mean", edge.Length > 0 ? edge.Take(k).Average(t => t.Valence) : 0);
        f.Add("end2_max", edge.Length > 0 ? edge.TakeLast(k).Max(t => t.Valence) : 0);
        f.Add("end2_mean", edge.Length > 0 ? edge.TakeLast(k).Average(t => t.Valence) : 0);
        f.Add("end2_min", edge.Length > 0 ? edge.TakeLast(k).Min(t => t.Valence) : 0);
        f.Add("rule_start_label", r.Start.Label);
        f.Add("rule_start_score", r.Start.Score);
        f.Add("rule_end_label", r.End.Label);
        f.Add("rule_end_score", r.End.Score);
        f.Add("rule_conversion", r.Start.Label == -1 && r.End.Label == 1);
        f.Add("resolved", r.Resolved);
        f.Add("resolution_turns", turns.Count(t => r.Flags[t.Index].Contains("resolution")));
        f.Add("unresolved_turns", turns.Count(t => r.Flags[t.Index].Contains("unresolved")));
        f.Add("unresolved_last3", turns.TakeLast(3).Count(t => r.Flags[t.Index].Contains("unresolved")));
        f.Add("agent_resolution_last3", agent.TakeLast(3).Count(t => profile.Resolution.IsMatch(t.Normalized)));

        // The customer's and the agent's valence over the whole conversation.
        SpeakerBlock(f, "customer", customer, th);
        SpeakerBlock(f, "agent", agent, th);
        f.Add("customer_substantive", substantive.Length);
        f.Add("customer_negative_substantive", substantive.Count(t => t.Negative));
        f.Add("customer_ever_negative", r.CustomerEverNegative);
        var carrying = substantive.Where(t => t.Negative && t.Valence < 0).ToArray();
        f.Add("negative_mass", carrying.Sum(t => -t.Valence));
        var firstNeg = customer.FirstOrDefault(t => t.Negative);
        var lastNeg = customer.LastOrDefault(t => t.Negative);
        f.Add("first_negative_position", firstNeg is null ? -1 : firstNeg.Index / (double)n);
        f.Add("last_negative_position", lastNeg is null ? -1 : lastNeg.Index / (double)n);
        f.Add("first_negative_phase", firstNeg is null ? -1 : profile.IndexOfPhase(r.Phases[firstNeg.Index]));
        var firstSubstance = agent.FirstOrDefault(t => t.Substantive && profile.IndexOfPhase(r.Phases[t.Index]) >= profile.AgentSubstancePhaseIndex);
        f.Add("negative_before_agent_substance", firstNeg is not null && (firstSubstance is null || firstNeg.Index < firstSubstance.Index));

        // Cue hits: over all customer turns, and over the negative ones.
        CueBlock(f, "customer", customer, profile);
        CueBlock(f, "customer_negative", customer.Where(t => t.Negative).ToArray(), profile);
        f.Add("agent_empathy", agent.Count(t => profile.Empathy.IsMatch(t.Normalized)));
        f.Add("agent_blame", agent.Count(t => profile.Blame.IsMatch(t.Normalized)));
        f.Add("agent_vague", agent.Count(t => profile.Vague.IsMatch(t.Normalized)));
        f.Add("agent_product", agent.Count(t => profile.Product.IsMatch(t.Normalized)));
        f.Add("agent_prior_experience", agent.Count(t => profile.PriorExperience.IsMatch(t.Normalized)));
        f.Add("agent_empathy_reread", agent.Count(t => t.EmpathyReread));
        f.Add("customer_positive_reread", customer.Count(t => t.PositiveReread));

        // Agent behaviours: counts, and flags on the agent's reply before a negative customer turn.
        var b = r.Behaviours;
        f.Add("interruptions", b.Interruptions);
        f.Add("long_holds", b.LongHolds);
        f.Add("log_hold_seconds", Math.Log(1 + b.HoldSeconds));
        f.Add("long_silences", b.LongSilences);
        f.Add("missing_empathy", b.MissingEmpathy);
        f.Add("missing_ownership", b.MissingOwnership);
        f.Add("unclear_answers", b.UnclearAnswers);
        foreach (var behaviour in AgentBehaviours.All)
        {
            f.Add("before_negative_" + behaviour, BeforeNegative(r, behaviour));
        }

        // The rule attribution.
        foreach (var d in r.Drivers.Drivers) f.Add("rule_share_" + d.Driver, d.Share);
        foreach (var d in Drivers.All.Append(Drivers.None)) f.Add("rule_primary_" + d, r.Drivers.Primary == d);
        var behaviourShares = r.Drivers.Drivers.First(d => d.Driver == Drivers.Agent).Behaviours;
        foreach (var behaviour in AgentBehaviours.All)
        {
            f.Add("rule_behaviour_" + behaviour, behaviourShares.FirstOrDefault(x => x.Behaviour == behaviour)?.Share ?? 0);
            f.Add("rule_focus_" + behaviour, r.Drivers.AgentFocus == behaviour);
        }
        f.Add("rule_focus_none", r.Drivers.AgentFocus == AgentBehaviours.None);

        // Process topics, by the learned topic list: cue hits in the customer's turns, the negative ones, the agent's, and the rule share.
        var topicShares = r.Drivers.Drivers.First(d => d.Driver == Drivers.Process).Topics;
        foreach (var topic in topicNames)
        {
            var cues = profile.Topics.FirstOrDefault(t => t.Name == topic).Cues ?? CueMatcher.Empty;
            f.Add("topic_customer_" + topic, customer.Count(t => cues.IsMatch(t.Normalized)));
            f.Add("topic_customer_negative_" + topic, customer.Count(t => t.Negative && cues.IsMatch(t.Normalized)));
            f.Add("topic_agent_" + topic, agent.Count(t => cues.IsMatch(t.Normalized)));
            f.Add("topic_first_customer_" + topic, substantive.Take(3).Count(t => cues.IsMatch(t.Normalized)));
            f.Add("rule_topic_share_" + topic, topicShares.FirstOrDefault(x => x.Topic == topic)?.Share ?? 0);
            f.Add("rule_topic_" + topic, r.Drivers.ProcessTopic == topic);
        }
        f.Add("rule_topic_none", r.Drivers.ProcessTopic == Drivers.None);

        // Phases: share of turns, and of the customer's negative turns, per phase position.
        for (var p = 0; p < PhaseSlots; p++)
        {
            var name = p < profile.PhaseNames.Count ? profile.PhaseNames[p] : null;
            var inPhase = turns.Where(t => name is not null && string.Equals(r.Phases[t.Index], name, StringComparison.OrdinalIgnoreCase)).ToArray();
            f.Add($"phase{p}_share", inPhase.Length / (double)n);
            f.Add($"phase{p}_customer_negative", inPhase.Count(t => t.IsCustomer && t.HasSpeech && t.Negative));
            var customerInPhase = inPhase.Where(t => t.IsCustomer && t.HasSpeech).ToArray();
            f.Add($"phase{p}_customer_mean", customerInPhase.Length > 0 ? customerInPhase.Average(t => t.Valence) : 0);
        }

        static string Join(IEnumerable<PreparedTurn> ts) => string.Join(" | ", ts.Select(t => t.Normalized));
        return new AnswerFeatureVector(
            f.Names, f.Values.ToArray(),
            Join(edge.Take(2)), Join(edge.TakeLast(2)), Join(customer), Join(agent));
    }

    /// <summary>The feature names for <paramref name="topicNames"/> (the same whatever the conversation).</summary>
    public static IReadOnlyList<string> Names(ScoringProfile profile, IReadOnlyList<string> topicNames)
    {
        var empty = new ConversationReading(
            [], [], [], new AgentBehaviourCounts(0, 0, 0, 0, 0, 0, 0), false, new ValencePoint(0, 0, []), new ValencePoint(0, 0, []),
            new DriverAttribution(
                Drivers.All.Select(d => new DriverShare(d, 0, [], [], [])).ToArray(), Drivers.None, Drivers.None, AgentBehaviours.None),
            null, null);
        return From(empty, profile, topicNames).Names;
    }

    private static void TurnBlock(Builder f, string prefix, PreparedTurn? t, int n, ScoringProfile profile)
    {
        var has = t is not null;
        f.Add(prefix + "_present", has);
        f.Add(prefix + "_valence", t?.Valence ?? 0);
        f.Add(prefix + "_p_negative", t?.Source.Negative ?? 0);
        f.Add(prefix + "_p_neutral", t?.Source.Neutral ?? 0);
        f.Add(prefix + "_p_positive", t?.Source.Positive ?? 0);
        f.Add(prefix + "_label", t?.Label ?? 0);
        f.Add(prefix + "_emotion_confidence", t?.Source.EmotionConfidence ?? 0);
        f.Add(prefix + "_negative_emotion", t is not null && t.Emotion is "anger" or "sadness" or "fear" or "disgust");
        f.Add(prefix + "_positive_emotion", t is not null && profile.PositiveEmotions.Contains(t.Emotion));
        f.Add(prefix + "_position", t is null ? -1 : t.Index / (double)n);
        f.Add(prefix + "_log_words", t is null ? 0 : Math.Log(1 + TextNormalizer.WordCount(t.Normalized)));
        f.Add(prefix + "_substantive", t?.Substantive ?? false);
        f.Add(prefix + "_sarcasm", t?.Sarcastic ?? false);
        f.Add(prefix + "_reread", t is not null && (t.PositiveReread || t.EmpathyReread));
        var norm = t?.Normalized ?? "";
        f.Add(prefix + "_distress", profile.Distress.IsMatch(norm));
        f.Add(prefix + "_unresolved", profile.Unresolved.IsMatch(norm));
        f.Add(prefix + "_resolution", profile.Resolution.IsMatch(norm));
        f.Add(prefix + "_positive_content", profile.PositiveContent.IsMatch(norm));
        f.Add(prefix + "_gratitude", profile.Gratitude.IsMatch(norm));
        f.Add(prefix + "_thanks", profile.Thanks.IsMatch(norm));
        f.Add(prefix + "_confusion", profile.Confusion.IsMatch(norm));
        f.Add(prefix + "_prior_experience", profile.PriorExperience.IsMatch(norm));
        f.Add(prefix + "_product", profile.Product.IsMatch(norm));
        f.Add(prefix + "_topic", profile.MatchTopics(norm).Any());
    }

    private static void SpeakerBlock(Builder f, string prefix, PreparedTurn[] ts, ThresholdOptions th)
    {
        f.Add(prefix + "_turns", ts.Length);
        f.Add(prefix + "_negative", ts.Count(t => t.Negative));
        f.Add(prefix + "_positive", ts.Count(t => t.Valence >= th.PositiveValence));
        f.Add(prefix + "_negative_share", ts.Length > 0 ? ts.Count(t => t.Negative) / (double)ts.Length : 0);
        f.Add(prefix + "_min_valence", ts.Length > 0 ? ts.Min(t => t.Valence) : 0);
        f.Add(prefix + "_max_valence", ts.Length > 0 ? ts.Max(t => t.Valence) : 0);
        f.Add(prefix + "_mean_valence", ts.Length > 0 ? ts.Average(t => t.Valence) : 0);
        f.Add(prefix + "_mean_p_negative", ts.Length > 0 ? ts.Average(t => t.Source.Negative) : 0);
        f.Add(prefix + "_max_p_negative", ts.Length > 0 ? ts.Max(t => t.Source.Negative) : 0);
        f.Add(prefix + "_mean_p_positive", ts.Length > 0 ? ts.Average(t => t.Source.Positive) : 0);
        f.Add(prefix + "_max_p_positive", ts.Length > 0 ? ts.Max(t => t.Source.Positive) : 0);
    }

    private static void CueBlock(Builder f, string prefix, PreparedTurn[] ts, ScoringProfile profile)
    {
        f.Add(prefix + "_distress", ts.Count(t => profile.Distress.IsMatch(t.Normalized)));
        f.Add(prefix + "_prior_experience", ts.Count(t => profile.PriorExperience.IsMatch(t.Normalized)));
        f.Add(prefix + "_product", ts.Count(t => profile.Product.IsMatch(t.Normalized)));
        f.Add(prefix + "_topic", ts.Count(t => profile.MatchTopics(t.Normalized).Any()));
        f.Add(prefix + "_sarcasm", ts.Count(t => t.Sarcastic));
        f.Add(prefix + "_unresolved", ts.Count(t => profile.Unresolved.IsMatch(t.Normalized)));
        f.Add(prefix + "_confusion", ts.Count(t => profile.Confusion.IsMatch(t.Normalized)));
        f.Add(prefix + "_interruption_complaint", ts.Count(t => profile.InterruptionComplaint.IsMatch(t.Normalized)));
        f.Add(prefix + "_hold_complaint", ts.Count(t => profile.HoldComplaint.IsMatch(t.Normalized)));
        f.Add(prefix + "_gratitude", ts.Count(t => profile.Gratitude.IsMatch(t.Normalized)));
        f.Add(prefix + "_positive_content", ts.Count(t => profile.PositiveContent.IsMatch(t.Normalized)));
        f.Add(prefix + "_thanks", ts.Count(t => profile.Thanks.IsMatch(t.Normalized)));
        f.Add(prefix + "_resolution", ts.Count(t => profile.Resolution.IsMatch(t.Normalized)));
    }

    /// <summary>Negative customer turns whose agent reply (the turns since the customer's previous turn) carries the behaviour's flag.</summary>
    private static int BeforeNegative(ConversationReading r, string behaviour)
    {
        var names = ConversationReading.FlagsOf(behaviour);
        var count = 0;
        var from = 0;
        foreach (var t in r.Turns)
        {
            if (!t.IsCustomer || !t.HasSpeech) continue;
            if (t.Negative)
            {
                for (var j = from; j <= t.Index; j++)
                {
                    if (names.Any(x => r.Flags[j].Contains(x)))
                    {
                        count++;
                        break;
                    }
                }
            }
            from = t.Index + 1;
        }
        return count;
    }

    private sealed class Builder
    {
        public List<string> Names { get; } = [];
        public List<float> Values { get; } = [];

        public void Add(string name, double value)
        {
            Names.Add(name);
            Values.Add(double.IsFinite(value) ? (float)value : 0f);
        }

        public void Add(string name, bool value) => Add(name, value ? 1.0 : 0.0);
    }
}
