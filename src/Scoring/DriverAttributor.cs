namespace Emotion.Scoring;

/// <summary>Drivers of one conversation with the primary driver, the top process topic and the agent focus.</summary>
public sealed record DriverAttribution(IReadOnlyList<DriverShare> Drivers, string Primary, string ProcessTopic, string AgentFocus);

/// <summary>
/// Splits the customer's negative emotion among agent, process (by topic), product and prior experience.
/// Every negative customer turn i carries mass = -valence (at least 0). Its evidence, each scored with its
/// <c>driver_weights</c> weight, is looked for in turn i, in the turns since the customer's previous turn k
/// (the agent's reply, markers, gaps) and in turn k when k was negative too (the same complaint going on):
/// <list type="bullet">
/// <item>prior_experience: a prior-experience cue in i; no agent substance yet (no substantive agent turn in or after
/// <c>agent_substance_phase</c> before i) when i has no process or product evidence.</item>
/// <item>process/topic: topic cues in i (<c>process_cue</c>), in the agent's reply or k (× <c>context_factor</c>), the topic
/// classifier on i (<c>topic_model</c> × probability, when at least <c>min_probability</c>).</item>
/// <item>product: product cues in i, or in the reply or k (× <c>context_factor</c>).</item>
/// <item>agent: interruptions (flag on a reply turn, or an interruption complaint in i), hold_time (long hold or silence
/// in the reply, in i, or a hold complaint in i), ownership, clarity (unclear flag on a reply turn, or confusion in i
/// after an agent turn), empathy (missing-empathy flag on a reply turn).</item>
/// </list>
/// The turn's mass is split in proportion to the evidence scores. A negative turn with no evidence takes the split of
/// the nearest earlier explained negative turn (the same complaint going on), else the nearest later one, else
/// <c>unexplained_driver</c> (process, topic <c>none</c>). Shares are mass / total mass and sum to 1; with no
/// negative mass all are 0 and the primary driver is <c>none</c>. Ties go to process, product, prior_experience, agent.
/// </summary>
public static class DriverAttributor
{
    private static readonly string[] TieOrder = [Drivers.Process, Drivers.Product, Drivers.PriorExperience, Drivers.Agent];

    internal static DriverAttribution Attribute(
        PreparedTurn[] turns, IReadOnlyList<string> phases, SortedSet<string>[] flags, ScoringProfile profile, ITopicClassifier? classifier)
    {
        var w = profile.Options.DriverWeights;
        var perTurn = new List<(int Turn, double Mass, Dictionary<(string Driver, string Sub), double>? Split, Dictionary<string, HashSet<int>> Evidence)>();
        var firstSubstance = FirstAgentSubstance(turns, phases, profile);

        var resolvedSplit = new Dictionary<int, Dictionary<(string Driver, string Sub), double>>();
        var corroboratedTurns = new HashSet<int>();
        var prevCustomer = -1;
        var lastSpoken = -1;
        for (var i = 0; i < turns.Length; i++)
        {
            var turn = turns[i];
            if (!turn.IsCustomer || !turn.HasSpeech) continue;
            // The agent's reply runs from the customer's previous turn; the complaint going on is the previous
            // substantive customer turn k (identity data and pleasantries between them are transparent).
            var replyFrom = lastSpoken;
            lastSpoken = i;
            if (!turn.Substantive) continue;
            var k = prevCustomer;
            prevCustomer = i;
            if (!Carries(turn)) continue;
            var mass = Math.Max(-turn.Valence, 0);
            if (mass <= 0) continue;

            var scores = new Dictionary<(string, string), double>();
            var evidence = Drivers.All.ToDictionary(d => d, _ => new HashSet<int>());
            void Add(string driver, string sub, double value, IEnumerable<int> evidenceTurns)
            {
                if (value <= 0) return;
                scores[(driver, sub)] = Math.Max(scores.GetValueOrDefault((driver, sub)), value);
                evidence[driver].UnionWith(evidenceTurns);
            }

            var reply = Enumerable.Range(replyFrom + 1, i - replyFrom - 1).Select(j => turns[j]).ToArray();
            // Context: the agent's reply, and the customer's previous turn when it was already negative (the same complaint).
            var context = reply.Where(r => r.IsAgent && r.HasSpeech).Append(k >= 0 && Carries(turns[k]) ? turns[k] : null).OfType<PreparedTurn>().ToArray();
            var norm = turn.Normalized;

            if (profile.PriorExperience.IsMatch(norm)) Add(Drivers.PriorExperience, "cue", w.PriorExperienceCue, [i]);
            // "What were you told in the previous calls?": the answer is about the prior experience.
            foreach (var c in context.Where(c => profile.PriorExperience.IsMatch(c.Normalized)))
                Add(Drivers.PriorExperience, "cue", w.PriorExperienceCue * w.ContextFactor, [i, c.Index]);

            foreach (var topic in profile.MatchTopics(norm)) Add(Drivers.Process, topic, w.ProcessCue, [i]);
            foreach (var c in context)
            {
                foreach (var topic in profile.MatchTopics(c.Normalized)) Add(Drivers.Process, topic, w.ProcessCue * w.ContextFactor, [i, c.Index]);
            }
            if (classifier?.Predict(turn.Speech) is { } predicted && predicted.Probability >= profile.Options.TopicModel.MinProbability
                && profile.Topics.Any(t => t.Name == predicted.Topic))
            {
                Add(Drivers.Process, predicted.Topic, w.TopicModel * predicted.Probability, [i]);
            }

            if (profile.Product.IsMatch(norm)) Add(Drivers.Product, "product", w.ProductCue, [i]);
            foreach (var c in context.Where(c => profile.Product.IsMatch(c.Normalized))) Add(Drivers.Product, "product", w.ProductCue * w.ContextFactor, [i, c.Index]);

            foreach (var r in reply)
            {
                var f = flags[r.Index];
                if (f.Contains("interruption")) Add(Drivers.Agent, AgentBehaviours.Interruptions, w.Interruptions, [i, r.Index]);
                if (f.Contains("long_hold") || f.Contains("long_silence")) Add(Drivers.Agent, AgentBehaviours.HoldTime, w.HoldTime, [i, r.Index]);
                if (f.Contains("missing_ownership")) Add(Drivers.Agent, AgentBehaviours.Ownership, w.Ownership, [i, r.Index]);
                if (f.Contains("unclear")) Add(Drivers.Agent, AgentBehaviours.Clarity, w.Clarity, [i, r.Index]);
                if (f.Contains("missing_empathy")) Add(Drivers.Agent, AgentBehaviours.Empathy, w.Empathy, [i, r.Index]);
            }
            if (profile.InterruptionComplaint.IsMatch(norm)) Add(Drivers.Agent, AgentBehaviours.Interruptions, w.Interruptions, [i]);
            if (flags[i].Contains("long_hold") || flags[i].Contains("long_silence") || profile.HoldComplaint.IsMatch(norm))
                Add(Drivers.Agent, AgentBehaviours.HoldTime, w.HoldTime, [i]);
            if (reply.Any(r => r.IsAgent && r.HasSpeech) && profile.Confusion.IsMatch(norm))
                Add(Drivers.Agent, AgentBehaviours.Clarity, w.Clarity, [i]);

            // Evidence beyond the fallbacks (or the customer's own words of negativity) corroborates the model's score.
            if (scores.Count > 0 || ShowsNegativity(turn, profile)) corroboratedTurns.Add(i);

            // Arriving negative before the agent did anything is prior experience, unless the turn names a process or product.
            if ((firstSubstance < 0 || firstSubstance > i) && !scores.Keys.Any(key => key.Item1 is Drivers.Process or Drivers.Product))
                Add(Drivers.PriorExperience, "before_agent", w.BeforeAgentSubstance, [i]);

            // The same complaint going on: the previous negative turn's split is shared with this turn's own evidence.
            if (k >= 0 && resolvedSplit.TryGetValue(k, out var carried))
            {
                foreach (var (key, part) in carried) Add(key.Driver, key.Sub, w.Continuation * part, [i, k]);
            }

            var total = scores.Values.Sum();
            var split = total > 0 ? scores.ToDictionary(kv => kv.Key, kv => kv.Value / total) : null;
            var earlier = split ?? perTurn.AsEnumerable().Reverse().FirstOrDefault(p => p.Split is not null).Split;
            if (earlier is not null) resolvedSplit[i] = earlier;
            perTurn.Add((i, mass, split, evidence));
        }

        // Unexplained turns borrow the split of the nearest explained one (earlier first), else the fallback driver.
        var massBy = new Dictionary<(string Driver, string Sub), double>();
        var evidenceBy = Drivers.All.ToDictionary(d => d, _ => new SortedSet<int>());
        for (var n = 0; n < perTurn.Count; n++)
        {
            var (turnIndex, mass, split, evidence) = perTurn[n];
            if (split is null)
            {
                var donor = perTurn.Take(n).Reverse().FirstOrDefault(p => p.Split is not null).Split
                    ?? perTurn.Skip(n + 1).FirstOrDefault(p => p.Split is not null).Split;
                split = donor ?? new Dictionary<(string, string), double>
                {
                    [(w.UnexplainedDriver, w.UnexplainedDriver == Drivers.Process ? Drivers.None : w.UnexplainedDriver)] = 1.0,
                };
                foreach (var d in split.Keys.Select(key => key.Driver).Distinct()) evidence[d].Add(turnIndex);
            }
            foreach (var (key, part) in split) massBy[key] = massBy.GetValueOrDefault(key) + mass * part;
            foreach (var (d, set) in evidence) evidenceBy[d].UnionWith(set);
        }

        var totalMass = massBy.Values.Sum();
        if (totalMass < profile.Options.Thresholds.MinDriverMass && corroboratedTurns.Count == 0)
        {
            // Below one clearly negative turn, and nothing but the model says so: no negative episode, no driver.
            massBy.Clear();
            totalMass = 0;
        }
        var driverMass = Drivers.All.ToDictionary(d => d, d => massBy.Where(kv => kv.Key.Driver == d).Sum(kv => kv.Value));
        var shares = RoundToOne(Drivers.All.ToDictionary(d => d, d => totalMass > 0 ? driverMass[d] / totalMass : 0));

        var results = Drivers.All.Select(d => new DriverShare(
            d,
            shares[d],
            shares[d] > 0 ? evidenceBy[d].Select(ix => turns[ix].Source.Turn).ToArray() : [],
            d == Drivers.Process ? SubShares(massBy, d, totalMass).Select(s => new TopicShare(s.Sub, s.Share)).ToArray() : [],
            d == Drivers.Agent ? SubShares(massBy, d, totalMass).Select(s => new BehaviourShare(s.Sub, s.Share)).ToArray() : [])).ToArray();

        var primary = totalMass > 0
            ? TieOrder.OrderByDescending(d => shares[d]).ThenBy(d => Array.IndexOf(TieOrder, d)).First()
            : Drivers.None;
        var topTopic = SubShares(massBy, Drivers.Process, totalMass).FirstOrDefault(s => s.Sub != Drivers.None);
        var topBehaviour = SubShares(massBy, Drivers.Agent, totalMass)
            .OrderByDescending(s => s.Share).ThenBy(s => IndexOf(AgentBehaviours.All, s.Sub)).FirstOrDefault();
        return new DriverAttribution(
            results,
            primary,
            topTopic.Share > 0 ? topTopic.Sub : Drivers.None,
            topBehaviour.Share > 0 ? topBehaviour.Sub : AgentBehaviours.None);
    }

    /// <summary>A customer turn carries negative mass when it is negative and substantive (identity data and pleasantries do not).</summary>
    private static bool Carries(PreparedTurn t) => t.Negative && t.Substantive && t.Valence < 0;

    /// <summary>The customer's own words say it is negative: distress, sarcasm, unresolved, a prior-experience, interruption or hold complaint.</summary>
    private static bool ShowsNegativity(PreparedTurn t, ScoringProfile profile) =>
        t.Sarcastic || profile.Distress.IsMatch(t.Normalized) || profile.Unresolved.IsMatch(t.Normalized)
        || profile.PriorExperience.IsMatch(t.Normalized) || profile.InterruptionComplaint.IsMatch(t.Normalized)
        || profile.HoldComplaint.IsMatch(t.Normalized);

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value) return i;
        }
        return int.MaxValue;
    }

    private static IEnumerable<(string Sub, double Share)> SubShares(Dictionary<(string Driver, string Sub), double> massBy, string driver, double total) =>
        total <= 0
            ? []
            : massBy.Where(kv => kv.Key.Driver == driver && kv.Value > 0)
                .Select(kv => (kv.Key.Sub, Math.Round(kv.Value / total, 4)))
                .OrderByDescending(s => s.Item2).ThenBy(s => s.Sub, StringComparer.Ordinal);

    /// <summary>Rounds to 4 decimals and gives the rounding remainder to the largest share, so a non-zero set sums to exactly 1.</summary>
    private static Dictionary<string, double> RoundToOne(Dictionary<string, double> shares)
    {
        var rounded = shares.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4));
        var sum = rounded.Values.Sum();
        if (sum > 0)
        {
            var largest = rounded.OrderByDescending(kv => kv.Value).First().Key;
            rounded[largest] = Math.Round(rounded[largest] + (1 - sum), 4);
        }
        return rounded;
    }

    private static int FirstAgentSubstance(PreparedTurn[] turns, IReadOnlyList<string> phases, ScoringProfile profile)
    {
        foreach (var t in turns)
        {
            if (t.IsAgent && t.Substantive && profile.IndexOfPhase(phases[t.Index]) >= profile.AgentSubstancePhaseIndex) return t.Index;
        }
        return -1;
    }
}
