using System.Text.RegularExpressions;

namespace Emotion.Scoring;

/// <summary>
/// The triage, moments-of-truth and anticipation settings of a <see cref="ScoringOptions"/> compiled for matching.
/// Immutable and thread-safe; part of <see cref="ScoringProfile"/>.
/// </summary>
public sealed class CaseProfile
{
    public CueMatcher Claim { get; }
    public CueMatcher ClaimOpening { get; }
    public CueMatcher Complaint { get; }
    public CueMatcher NotComplaint { get; }
    public CueMatcher None { get; }
    public CueMatcher NoneOpening { get; }
    public CueMatcher NoneClosing { get; }
    public CueMatcher Need { get; }
    /// <summary>The cues of <see cref="TriageOptions.ClaimOpeningTopics"/>, as one matcher.</summary>
    public CueMatcher ClaimOpeningTopics { get; }
    public IReadOnlyList<CompiledMoment> Moments { get; }
    /// <summary>Currency words (<see cref="MomentsOfTruthOptions.MoneyWords"/>).</summary>
    public CueMatcher MoneyWords { get; }
    public IReadOnlyDictionary<string, CueMatcher> Events { get; }
    public IReadOnlyList<CompiledReason> Reasons { get; }

    internal CaseProfile(ScoringOptions options, CueMatcher filler)
    {
        var t = options.Triage;
        Claim = new CueMatcher(t.Claim.AllPhrases());
        ClaimOpening = new CueMatcher(t.ClaimOpening.AllPhrases());
        Complaint = new CueMatcher(t.Complaint.AllPhrases());
        NotComplaint = new CueMatcher(t.NotComplaint.AllPhrases());
        None = new CueMatcher(t.None.AllPhrases());
        NoneOpening = new CueMatcher(t.NoneOpening.AllPhrases());
        NoneClosing = new CueMatcher(t.NoneClosing.AllPhrases());
        Need = new CueMatcher(t.Need.AllPhrases());
        ClaimOpeningTopics = new CueMatcher(options.ProcessTopics
            .Where(p => t.ClaimOpeningTopics.Contains(p.Name, StringComparer.Ordinal))
            .SelectMany(p => p.Cues.AllPhrases()));
        Moments = options.MomentsOfTruth.Moments.Select(m => new CompiledMoment(
            m,
            new CueMatcher(m.Cues.AllPhrases().Concat(m.WithCues.SelectMany(n => NamedCues(options, n)?.AllPhrases() ?? []))),
            m.Examples.Select(e => (e, ContentWords(TextNormalizer.Normalize(e), filler))).Where(x => x.Item2.Count > 0).ToArray(),
            ParseMarker(m.Marker))
        {
            Patterns = m.Patterns.AllPhrases().Select(CompilePattern).ToArray(),
            AmountCues = new CueMatcher(m.AmountCues.AllPhrases()),
            NotCues = new CueMatcher(m.NotCues.AllPhrases()),
        }).ToArray();
        MoneyWords = new CueMatcher(options.MomentsOfTruth.MoneyWords.AllPhrases());
        Events = options.Anticipation.Events.ToDictionary(e => e.Name, e => new CueMatcher(e.Cues.AllPhrases()), StringComparer.Ordinal);
        // A reason tied to a process topic the client removed is skipped with it.
        Reasons = options.Anticipation.Reasons
            .Where(r => r.Topic is null || options.ProcessTopics.Any(p => p.Name == r.Topic))
            .Select(r =>
            {
                var topic = r.Topic is null ? null : options.ProcessTopics.First(p => p.Name == r.Topic);
                var topicCues = topic is null ? CueMatcher.Empty : new CueMatcher(topic.Cues.AllPhrases());
                return new CompiledReason(r, new CueMatcher(r.Cues.AllPhrases()), topicCues);
            }).ToArray();
    }

    /// <summary>Words of a normalized text that carry content: not filler, longer than two letters, not numbers.</summary>
    public static IReadOnlySet<string> ContentWords(string normalized, CueMatcher filler)
    {
        ArgumentNullException.ThrowIfNull(filler);
        var rest = filler.RemoveAll(normalized);
        return rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 2 && !w.All(char.IsDigit))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The cue lists a moment may borrow (<see cref="MomentOptions.WithCues"/>); null for an unknown name.</summary>
    public static CueSet? NamedCues(ScoringOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        return name switch
        {
            "agent_cues.identity_request" => options.AgentCues.IdentityRequest,
            "agent_cues.empathy" => options.AgentCues.Empathy,
            "agent_cues.blame" => options.AgentCues.Blame,
            "cues.resolution" => options.Cues.Resolution,
            "cues.identity" => options.Cues.Identity,
            _ => null,
        };
    }

    /// <summary>
    /// A moment's pattern, compiled once. The non-backtracking engine matches in time linear in the turn, so a client's
    /// pattern can neither hang a stage nor need a timeout (a timeout fired on this loaded machine under CPU starvation).
    /// </summary>
    public static Regex CompilePattern(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static MarkerKind? ParseMarker(string? marker) => marker?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "hold" => MarkerKind.Hold,
        "silence" => MarkerKind.Silence,
        _ => null,
    };
}

/// <summary>A moment of truth compiled: its cues, its examples' content words, and the marker kind that also marks it.</summary>
public sealed record CompiledMoment(
    MomentOptions Options,
    CueMatcher Cues,
    IReadOnlyList<(string Example, IReadOnlySet<string> Words)> Examples,
    MarkerKind? Marker)
{
    /// <summary>Regular expressions over the normalized turn (<see cref="MomentOptions.Patterns"/>).</summary>
    public IReadOnlyList<Regex> Patterns { get; init; } = [];
    /// <summary>Cues that count only beside an amount of money (<see cref="MomentOptions.AmountCues"/>).</summary>
    public CueMatcher AmountCues { get; init; } = CueMatcher.Empty;
    /// <summary>Cues that veto the moment in a turn (<see cref="MomentOptions.NotCues"/>).</summary>
    public CueMatcher NotCues { get; init; } = CueMatcher.Empty;
}

/// <summary>A contact reason compiled: its own cues and the cues of its process topic.</summary>
public sealed record CompiledReason(ContactReasonOptions Options, CueMatcher Cues, CueMatcher TopicCues);
