namespace Emotion.Scoring;

/// <summary>
/// What the rules read in one conversation before any answer is chosen: the prepared turns, their phases and flags,
/// the agent behaviours, whether it was resolved, and the rule answers (customer start and end, driver attribution).
/// The learned answers take their features from it and fall back on its rule answers.
/// </summary>
internal sealed record ConversationReading(
    PreparedTurn[] Turns,
    IReadOnlyList<string> Phases,
    SortedSet<string>[] Flags,
    AgentBehaviourCounts Behaviours,
    bool Resolved,
    ValencePoint Start,
    ValencePoint End,
    DriverAttribution Drivers,
    string? Channel,
    string? Language)
{
    /// <summary>The per-turn flag that marks an agent behaviour (<c>hold_time</c> has two).</summary>
    public static IReadOnlyList<string> FlagsOf(string behaviour) => behaviour switch
    {
        AgentBehaviours.Ownership => ["missing_ownership"],
        AgentBehaviours.Interruptions => ["interruption"],
        AgentBehaviours.HoldTime => ["long_hold", "long_silence"],
        AgentBehaviours.Empathy => ["missing_empathy"],
        AgentBehaviours.Clarity => ["unclear"],
        _ => [],
    };

    /// <summary>Turn numbers (<see cref="ScoredUtterance.Turn"/>) flagged with <paramref name="behaviour"/>'s flags.</summary>
    public IReadOnlyList<int> TurnsFlagged(string behaviour)
    {
        var names = FlagsOf(behaviour);
        return Turns.Where(t => names.Any(n => Flags[t.Index].Contains(n))).Select(t => t.Source.Turn).ToArray();
    }

    /// <summary>Turn numbers of the customer's negative substantive turns (those that carry negative mass).</summary>
    public IReadOnlyList<int> NegativeCustomerTurns() =>
        Turns.Where(t => t.IsCustomer && t.HasSpeech && t.Substantive && t.Negative).Select(t => t.Source.Turn).ToArray();

    /// <summary>Whether any customer turn with speech is negative (label -1 or valence at or below the negative threshold).</summary>
    public bool CustomerEverNegative => Turns.Any(t => t.IsCustomer && t.HasSpeech && t.Negative);
}

/// <summary>The conversation-level answers chosen for one conversation (rules or learned).</summary>
internal sealed record DecidedAnswers(
    ValencePoint Start,
    ValencePoint End,
    bool Conversion,
    IReadOnlyList<DriverShare> Drivers,
    string PrimaryDriver,
    string ProcessTopic,
    string AgentFocus,
    AnswerSummary Summary);

/// <summary>The rule answers of a reading, with their evidence and no confidence.</summary>
internal static class RuleAnswers
{
    public const string Source = "rules";

    public static DecidedAnswers From(ConversationReading r)
    {
        var d = r.Drivers;
        var conversion = r.Start.Label == -1 && r.End.Label == 1;
        var summary = new AnswerSummary(
            null,
            new AnswerDetail(Label(r.Start.Label), Source, null, r.Start.Turns),
            new AnswerDetail(Label(r.End.Label), Source, null, r.End.Turns),
            new AnswerDetail(Bool(conversion), Source, null, ValenceEvidence(r)),
            new AnswerDetail(d.Primary, Source, null, DriverEvidence(d.Drivers, d.Primary)),
            new AnswerDetail(d.ProcessTopic, Source, null, TopicEvidence(r, d.Drivers, d.ProcessTopic)),
            new AnswerDetail(d.AgentFocus, Source, null, FocusEvidence(r, d.Drivers, d.AgentFocus)));
        return new DecidedAnswers(r.Start, r.End, conversion, d.Drivers, d.Primary, d.ProcessTopic, d.AgentFocus, summary);
    }

    /// <summary><c>-1</c>, <c>0</c> or <c>1</c> as written in answers.</summary>
    public static string Label(int label) => label switch { < 0 => "-1", > 0 => "1", _ => "0" };

    /// <summary><c>true</c> or <c>false</c> as written in answers.</summary>
    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The start and end turns.</summary>
    public static IReadOnlyList<int> ValenceEvidence(ConversationReading r) =>
        r.Start.Turns.Concat(r.End.Turns).Distinct().Order().ToArray();

    /// <summary>The driver's evidence turns; none for <c>none</c>.</summary>
    public static IReadOnlyList<int> DriverEvidence(IReadOnlyList<DriverShare> drivers, string driver) =>
        drivers.FirstOrDefault(x => x.Driver == driver)?.EvidenceTurns ?? [];

    /// <summary>
    /// The turns naming the topic (its cues, either speaker) among the process driver's evidence, else every turn naming
    /// it, else the process evidence; none for <c>none</c>.
    /// </summary>
    public static IReadOnlyList<int> TopicEvidence(ConversationReading r, IReadOnlyList<DriverShare> drivers, string topic, ScoringProfile? profile = null)
    {
        if (topic == Drivers.None) return [];
        var process = DriverEvidence(drivers, Drivers.Process);
        if (profile?.Topics.FirstOrDefault(t => t.Name == topic) is { Cues: { } cues })
        {
            var naming = r.Turns.Where(t => t.HasSpeech && cues.IsMatch(t.Normalized)).Select(t => t.Source.Turn).ToArray();
            var inProcess = naming.Where(process.Contains).ToArray();
            if (inProcess.Length > 0) return inProcess;
            if (naming.Length > 0) return naming;
        }
        return process;
    }

    /// <summary>The agent turns flagged with the behaviour, else the agent driver's evidence; none for <c>none</c>.</summary>
    public static IReadOnlyList<int> FocusEvidence(ConversationReading r, IReadOnlyList<DriverShare> drivers, string focus)
    {
        if (focus == AgentBehaviours.None) return [];
        var flagged = r.TurnsFlagged(focus);
        return flagged.Count > 0 ? flagged : DriverEvidence(drivers, Drivers.Agent);
    }
}
