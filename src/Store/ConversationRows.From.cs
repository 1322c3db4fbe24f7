using System.Text.Json;
using Emotion.Scoring;

namespace Emotion.Store;

public sealed partial record ConversationRows
{
    /// <summary>
    /// Maps a conversation's analysis to rows. <paramref name="input"/> supplies what the analysis does not repeat
    /// (texts, class probabilities, emotion confidence); without it those columns are empty.
    /// </summary>
    public static ConversationRows From(ConversationAnalysis analysis, ConversationInput? input, ConversationMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(metadata);
        var tenant = FirstNonEmpty(metadata.Tenant, analysis.Tenant, input?.Tenant) ?? "default";
        var id = analysis.ConversationId;
        var started = AsUtc(metadata.StartedAt);
        var date = DateOnly.FromDateTime(started);
        var ended = metadata.EndedAt is { } e ? AsUtc(e) : started.AddSeconds(Math.Max(0, analysis.DurationS));
        var finalized = metadata.FinalizedAt is { } f ? AsUtc(f) : ended;
        var scoredAt = metadata.ScoredAt is { } s ? AsUtc(s) : finalized;
        var version = metadata.Version;
        var inputByTurn = new Dictionary<int, ScoredUtterance>();
        if (input is not null)
        {
            foreach (var u in input.Utterances) inputByTurn.TryAdd(u.Turn, u);
        }
        var language = FirstNonEmpty(analysis.Language, input?.Language);

        var utterances = new List<UtteranceRow>();
        if (metadata.IncludeUtterances)
        {
            foreach (var u in analysis.Utterances)
            {
                // The pipeline passes each segment as it was scored; analyze and tests pass the scored input only.
                var source = metadata.Utterances is not null && metadata.Utterances.TryGetValue(u.Turn, out var known)
                    ? known
                    : SourceOf(u, inputByTurn.GetValueOrDefault(u.Turn), metadata, started);
                var reading = new UtteranceReading(u.Phase, (float)(u.Valence ?? 0), (sbyte)(u.Label ?? 0), u.Emotion ?? "");
                utterances.Add(UtteranceRows.Build(tenant, id, date, source, language, metadata.ModelVersion, scoredAt, version, reading));
            }
        }

        var phaseOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in analysis.Phases) phaseOrder.TryAdd(p.Phase, phaseOrder.Count);
        var phases = analysis.Phases.Select(p => new PhaseRow
        {
            Tenant = tenant,
            ConversationId = id,
            Date = date,
            Phase = p.Phase,
            PhaseOrder = (byte)Math.Min(255, phaseOrder[p.Phase]),
            Speaker = p.Speaker,
            MeanValence = (float)p.MeanValence,
            MinValence = (float)p.MinValence,
            NegativeShare = (float)p.NegativeShare,
            DominantEmotion = p.DominantEmotion,
            Turns = (uint)Math.Max(0, p.Turns),
            Seconds = (float)p.DurationS,
            Version = version,
        }).ToList();

        var drivers = new List<DriverRow>();
        foreach (var d in analysis.Drivers)
        {
            var evidence = Turns(d.EvidenceTurns);
            if (d.Driver == Scoring.Drivers.Process && d.Topics.Count > 0)
            {
                foreach (var t in d.Topics)
                {
                    drivers.Add(new DriverRow
                    {
                        Tenant = tenant, ConversationId = id, Date = date, Driver = d.Driver,
                        Share = (float)t.Share, Topic = t.Topic, EvidenceTurns = evidence, Version = version,
                    });
                }
            }
            else
            {
                drivers.Add(new DriverRow
                {
                    Tenant = tenant, ConversationId = id, Date = date, Driver = d.Driver,
                    Share = (float)d.Share, Topic = d.Driver == Scoring.Drivers.Process ? "none" : "",
                    EvidenceTurns = evidence, Version = version,
                });
            }
        }

        var b = analysis.AgentBehaviours;
        var behaviours = new List<BehaviourRow>
        {
            Behaviour(AgentBehaviours.Interruptions, b.Interruptions, 0, "interruption"),
            Behaviour(AgentBehaviours.HoldTime, b.LongHolds, b.HoldSeconds, "long_hold"),
            Behaviour("long_silence", b.LongSilences, 0, "long_silence"),
            Behaviour(AgentBehaviours.Empathy, b.MissingEmpathy, 0, "missing_empathy"),
            Behaviour(AgentBehaviours.Ownership, b.MissingOwnership, 0, "missing_ownership"),
            Behaviour(AgentBehaviours.Clarity, b.UnclearAnswers, 0, "unclear"),
        };

        var moments = analysis.MemorableMoments.Select(m => new MemorableMomentRow
        {
            Tenant = tenant,
            ConversationId = id,
            Date = date,
            Turn = (uint)Math.Max(0, m.Turn),
            Valence = (float)m.Valence,
            Emotion = m.Emotion,
            Text = inputByTurn.TryGetValue(m.Turn, out var u) ? u.Text : "",
            AfterNegativeStart = m.AfterNegativeStart,
            Version = version,
        }).ToList();

        var alerts = !metadata.IncludeAlerts
            ? []
            : analysis.Alerts.Select(a =>
            {
                var produced = metadata.ProducedAt is not null && metadata.ProducedAt.TryGetValue(a.Turn, out var p)
                    ? AsUtc(p)
                    : started.AddSeconds(Math.Max(0, a.AtS));
                var delay = a.DelayMs is { } dm && dm >= 0 ? (ulong)Math.Round(dm) : 0UL;
                var alerted = produced.AddMilliseconds(delay);
                return new AlertRow
                {
                    Tenant = tenant,
                    ConversationId = id,
                    Date = date,
                    Turn = (uint)Math.Max(0, a.Turn),
                    Rule = a.Rule,
                    Reason = a.Reason,
                    ValenceTrend = (float)(a.Slope ?? a.Ewma),
                    Source = AlertRow.Analysis,
                    ProducedAt = produced,
                    ProducedAtMs = UnixMs(produced),
                    AlertedAt = alerted,
                    AlertedAtMs = UnixMs(alerted),
                    DelayMs = delay,
                    Version = version,
                };
            }).ToList();

        double Share(string driver) => analysis.Drivers.Where(d => d.Driver == driver).Sum(d => d.Share);
        var conversation = new ConversationRow
        {
            Tenant = tenant,
            ConversationId = id,
            Date = date,
            AgentId = FirstNonEmpty(analysis.AgentId, input?.AgentId) ?? "",
            TeamId = FirstNonEmpty(analysis.TeamId, input?.TeamId) ?? "",
            Campaign = FirstNonEmpty(analysis.Campaign, input?.Campaign) ?? "",
            Queue = metadata.Queue ?? "",
            Channel = FirstNonEmpty(analysis.Channel, input?.Channel) ?? "",
            Language = FirstNonEmpty(analysis.Language, input?.Language) ?? "",
            StartedAt = started,
            EndedAt = ended,
            DurationS = (float)analysis.DurationS,
            Turns = (uint)analysis.Utterances.Count,
            CustomerStartLabel = (sbyte)analysis.CustomerStart.Label,
            CustomerStartScore = (float)analysis.CustomerStart.Score,
            CustomerEndLabel = (sbyte)analysis.CustomerEnd.Label,
            CustomerEndScore = (float)analysis.CustomerEnd.Score,
            NegativeToPositive = analysis.NegativeToPositive,
            StartedNegative = analysis.CustomerStart.Label < 0,
            Shift = (float)analysis.Shift,
            DriverAgent = (float)Share(Scoring.Drivers.Agent),
            DriverProcess = (float)Share(Scoring.Drivers.Process),
            DriverProduct = (float)Share(Scoring.Drivers.Product),
            DriverPriorExperience = (float)Share(Scoring.Drivers.PriorExperience),
            PrimaryDriver = analysis.PrimaryDriver,
            ProcessTopic = analysis.ProcessTopic,
            AgentFocus = analysis.AgentFocus,
            ExperienceIndex = (float)analysis.ExperienceIndex,
            MemorableMoments = (ushort)Math.Min(ushort.MaxValue, analysis.MemorableMoments.Count),
            NegativeLoad = (float)analysis.NegativeLoad,
            Alerts = (ushort)Math.Min(ushort.MaxValue, analysis.Alerts.Count),
            FinalizedReason = metadata.FinalizedReason,
            FinalizedAt = finalized,
            AnalysisJson = analysis.ToJson(),
            ModelVersion = metadata.ModelVersion,
            Version = version,
        };

        var momentsOfTruth = (analysis.MomentsOfTruth ?? []).Select(m => new MomentOfTruthRow
        {
            Tenant = tenant,
            ConversationId = id,
            Date = date,
            Moment = m.Moment,
            Turn = (uint)Math.Max(0, m.Turn),
            AtS = (float)Math.Max(0, m.AtS),
            Speaker = m.Speaker,
            Cue = m.Cue,
            BeforeValence = (float?)m.Before,
            AfterValence = (float?)m.After,
            Shift = (float?)m.Shift,
            Version = version,
        }).ToList();

        var triage = analysis.Triage is not { } caseTriage
            ? null
            : new CaseTriageRow
            {
                Tenant = tenant,
                ConversationId = id,
                Date = date,
                CaseClass = caseTriage.Class,
                Reason = caseTriage.Reason,
                EvidenceTurns = Turns(caseTriage.EvidenceTurns),
                FirstContact = caseTriage.FirstContact,
                Resolved = caseTriage.Resolved,
                ResolvedFirstContact = caseTriage.ResolvedFirstContact,
                FcrTarget = (float?)caseTriage.Target?.FirstContactResolution,
                ResponseHours = (float?)caseTriage.Target?.ResponseHours,
                ContactReason = analysis.ContactReason?.Reason ?? "",
                ContactReasonKind = analysis.ContactReason?.Kind ?? "",
                KnownEvent = analysis.ContactReason?.Event ?? "",
                Version = version,
            };

        return new ConversationRows(conversation, utterances, phases, drivers, behaviours, moments, alerts, momentsOfTruth, triage);

        BehaviourRow Behaviour(string name, int count, double seconds, string flag) => new()
        {
            Tenant = tenant,
            ConversationId = id,
            Date = date,
            Behaviour = name,
            Count = (uint)Math.Max(0, count),
            Seconds = (float)seconds,
            EvidenceTurns = [.. analysis.Utterances.Where(u => u.Flags.Contains(flag)).Select(u => (uint)Math.Max(0, u.Turn))],
            Version = version,
        };
    }

    /// <summary>The analysis stored with a conversation row, or null when it is empty or unreadable.</summary>
    public static ConversationAnalysis? ReadAnalysis(ConversationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (string.IsNullOrWhiteSpace(row.AnalysisJson)) return null;
        try
        {
            return ConversationAnalysis.FromJson(row.AnalysisJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static uint[] Turns(IReadOnlyList<int> turns) => [.. turns.Where(t => t >= 0).Select(t => (uint)t)];

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static DateTime AsUtc(DateTime t) => UtteranceRows.AsUtc(t);

    /// <summary>A segment known only from the scored input (no emotion distribution, no own language).</summary>
    private static UtteranceSource SourceOf(UtteranceResult u, ScoredUtterance? scored, ConversationMetadata metadata, DateTime started)
    {
        var produced = metadata.ProducedAt is not null && metadata.ProducedAt.TryGetValue(u.Turn, out var p)
            ? AsUtc(p)
            : started.AddSeconds(Math.Max(0, u.StartS));
        var segmentId = metadata.SegmentIds is not null && metadata.SegmentIds.TryGetValue(u.Turn, out var seg)
            ? seg
            : u.Turn.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var scores = scored is null
            ? null
            : new UtteranceScores(scored.Valence, (sbyte)scored.Label, scored.Negative, scored.Neutral, scored.Positive, scored.Emotion,
                scored.EmotionConfidence, [], []);
        return new UtteranceSource(segmentId, (uint)Math.Max(0, u.Turn), u.Speaker, Ms(u.StartS), Ms(u.EndS), scored?.Text ?? "", null, true,
            produced, scores);
    }

    private static ulong Ms(double seconds) => seconds <= 0 ? 0UL : (ulong)Math.Round(seconds * 1000);

    private static ulong UnixMs(DateTime utc) => UtteranceRows.UnixMs(utc);
}
