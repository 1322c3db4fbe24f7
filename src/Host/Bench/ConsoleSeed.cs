using Emotion.Ingest.Replay;
using Emotion.Store;

namespace Emotion.Host.Bench;

/// <summary>
/// Synthetic but coherent finalized conversations written straight into ClickHouse (no model, no Kafka), so the console
/// can be measured on real volumes: tenants, campaigns, queues, teams and agents over 26 weeks, each conversation with
/// its utterances (texts drawn from the sample calls), phases, drivers, behaviours, moments, alerts, surveys and QA
/// scores. Deterministic for a seed.
/// </summary>
internal static class ConsoleSeed
{
    private static readonly string[] Tenants = ["banco-andino", "telco-sur", "energia-norte", "northwind-bank"];
    private static readonly string[] Campaigns = ["reclamos", "cobranzas", "atencion-general"];
    private static readonly string[] Queues = ["general", "prioridad"];
    private static readonly string[] Phases = ["opening", "identification", "exploration", "resolution", "closing"];
    private static readonly string[] Topics = ["fees", "billing_error", "account_blocked", "payment_plan", "policy", "documentation", "wait_time"];
    private static readonly string[] Behaviours = ["interruptions", "hold_time", "long_silence", "empathy", "ownership", "clarity"];

    /// <summary>Writes <paramref name="conversations"/> conversations of <paramref name="turns"/> turns over the 26 weeks up to <paramref name="lastDay"/> (default today, UTC).</summary>
    public static async Task SeedAsync(ClickHouseStore store, int conversations, int turns, int seed, Action<int> progress, CancellationToken ct, DateOnly? lastDay = null)
    {
        var root = Commands.CommonOptions.FindRepoRoot() ?? Directory.GetCurrentDirectory();
        var samples = File.ReadLines(Path.Combine(root, "samples", "conversations.jsonl")).Where(l => l.Trim().Length > 0).Select(ConversationFile.Parse).ToList();
        var agentTexts = samples.SelectMany(s => s.Turns).Where(t => t.Speaker == "agent").Select(t => t.Text).ToArray();
        var customerTexts = samples.SelectMany(s => s.Turns).Where(t => t.Speaker != "agent").Select(t => t.Text).ToArray();
        var rnd = new Random(seed);
        var today = lastDay ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var first = today.AddDays(-26 * 7 + 1);
        // Each agent has a skill that moves its customers' end valence; agents belong to a team of a tenant.
        var agents = Enumerable.Range(0, Tenants.Length * 32).Select(i => (Tenant: Tenants[i % Tenants.Length], Team: $"team-{i % Tenants.Length}-{i / Tenants.Length % 4}",
            Agent: $"ag-{i:000}", Skill: rnd.NextDouble() * 0.8 - 0.4)).ToArray();
        const int chunk = 2000;
        for (var start = 0; start < conversations; start += chunk)
        {
            var batch = new List<ConversationRows>(chunk);
            var events = new List<ConversationEventRow>();
            for (var n = start; n < Math.Min(conversations, start + chunk); n++)
            {
                var (rows, ev) = One(rnd, n, turns, agents[rnd.Next(agents.Length)], first, today, agentTexts, customerTexts);
                batch.Add(rows);
                events.AddRange(ev);
            }
            await store.WriteAsync(batch, ct).ConfigureAwait(false);
            await store.WriteEventsAsync(events, ct).ConfigureAwait(false);
            progress(Math.Min(conversations, start + chunk));
        }
    }

    private static (ConversationRows, List<ConversationEventRow>) One(Random rnd, int n, int turns, (string Tenant, string Team, string Agent, double Skill) a,
        DateOnly first, DateOnly today, string[] agentTexts, string[] customerTexts)
    {
        var tenant = a.Tenant;
        var id = $"seed-{n:0000000}";
        var date = first.AddDays(rnd.Next(today.DayNumber - first.DayNumber + 1));
        var started = date.ToDateTime(new TimeOnly(8 + rnd.Next(12), rnd.Next(60), rnd.Next(60)), DateTimeKind.Utc);
        var campaign = Campaigns[rnd.Next(Campaigns.Length)];
        var queue = Queues[rnd.Next(Queues.Length)];
        var startV = Math.Clamp(rnd.NextDouble() * 1.3 - 0.95, -1, 1);
        var endV = Math.Clamp(startV * 0.2 + 0.35 + a.Skill + (rnd.NextDouble() - 0.5) * 0.9, -1, 1);
        const ulong version = 1;
        var utterances = new List<UtteranceRow>(turns);
        var t = 0.0;
        var vals = new double[turns];
        for (var k = 0; k < turns; k++)
        {
            var agent = k % 2 == 0;
            var pos = turns == 1 ? 1 : k / (double)(turns - 1);
            var v = agent ? Math.Clamp(0.1 + a.Skill * 0.5 + (rnd.NextDouble() - 0.5) * 0.4, -1, 1)
                          : Math.Clamp(startV + (endV - startV) * pos + (rnd.NextDouble() - 0.5) * 0.5, -1, 1);
            vals[k] = v;
            var dur = 2 + rnd.NextDouble() * 8;
            var label = (sbyte)(v <= -0.25 ? -1 : v >= 0.25 ? 1 : 0);
            utterances.Add(new UtteranceRow
            {
                Tenant = tenant, ConversationId = id, Date = date, SegmentId = $"{id}-{k + 1}", Turn = (uint)k, Speaker = agent ? "agent" : "customer",
                StartMs = (ulong)(t * 1000), EndMs = (ulong)((t + dur) * 1000),
                Text = agent ? agentTexts[rnd.Next(agentTexts.Length)] : customerTexts[rnd.Next(customerTexts.Length)],
                Lang = tenant == "northwind-bank" ? "en" : "es", Phase = Phases[Math.Min(4, (int)(pos * 5))], Valence = (float)v, Label = label,
                PNegative = (float)Math.Max(0, -v), PPositive = (float)Math.Max(0, v), PNeutral = (float)(1 - Math.Abs(v)),
                Emotion = v <= -0.5 ? "anger" : v <= -0.25 ? "sadness" : v >= 0.6 ? "gratitude" : v >= 0.3 ? "joy" : "neutral",
                EmotionConfidence = 0.7f, IsFinal = true, ModelVersion = "seed", ProducedAt = started.AddSeconds(t), ProducedAtMs = (ulong)new DateTimeOffset(started.AddSeconds(t)).ToUnixTimeMilliseconds(),
                ScoredAt = started.AddSeconds(t), ScoredAtMs = (ulong)new DateTimeOffset(started.AddSeconds(t)).ToUnixTimeMilliseconds(), Version = version,
            });
            t += dur + rnd.NextDouble() * 2;
        }
        var customer = vals.Where((_, k) => k % 2 == 1).ToArray();
        var s0 = customer.Take(2).Average();
        var s1 = customer.TakeLast(2).Average();
        var startedNegative = s0 <= -0.25;
        var converted = startedNegative && s1 >= 0.25;
        var negLoad = customer.Where(v => v < 0).Sum(v => -v);
        var shares = Enumerable.Range(0, 4).Select(_ => rnd.NextDouble() * rnd.NextDouble()).ToArray();
        shares[1] += 0.4; // process drivers lead, as in the sample calls
        var sum = shares.Sum();
        for (var k = 0; k < 4; k++) shares[k] /= sum;
        var driverNames = new[] { DriverRow.Agent, DriverRow.Process, DriverRow.Product, DriverRow.PriorExperience };
        var primary = negLoad <= 0.05 ? "none" : driverNames[Array.IndexOf(shares, shares.Max())];
        var topic = Topics[rnd.Next(Topics.Length)];
        var evidence = Enumerable.Range(0, turns).Where(k => k % 2 == 1 && vals[k] < -0.25).Select(k => (uint)k).ToArray();
        var drivers = negLoad <= 0.05 ? new List<DriverRow>() : driverNames.Select((d, k) => new DriverRow
        {
            Tenant = tenant, ConversationId = id, Date = date, Driver = d, Share = (float)shares[k], Topic = d == DriverRow.Process ? topic : "",
            EvidenceTurns = evidence, Version = version,
        }).ToList();
        var behaviours = Behaviours.Select(b => new BehaviourRow
        {
            Tenant = tenant, ConversationId = id, Date = date, Behaviour = b,
            Count = (uint)(rnd.NextDouble() < 0.25 - a.Skill * 0.3 ? 1 + rnd.Next(2) : 0), Version = version,
        }).ToList();
        var phases = new List<PhaseRow>();
        for (var p = 0; p < 5; p++)
        {
            foreach (var speaker in new[] { "agent", "customer" })
            {
                var pv = utterances.Where(u => u.Phase == Phases[p] && u.Speaker == speaker).Select(u => (double)u.Valence).ToList();
                if (pv.Count == 0) continue;
                phases.Add(new PhaseRow
                {
                    Tenant = tenant, ConversationId = id, Date = date, Phase = Phases[p], PhaseOrder = (byte)p, Speaker = speaker,
                    MeanValence = (float)pv.Average(), MinValence = (float)pv.Min(), NegativeShare = (float)(pv.Count(v => v <= -0.25) / (double)pv.Count),
                    DominantEmotion = pv.Average() < -0.25 ? "anger" : pv.Average() > 0.3 ? "joy" : "neutral", Turns = (uint)pv.Count, Seconds = pv.Count * 6, Version = version,
                });
            }
        }
        var peak = Enumerable.Range(0, turns).Where(k => k % 2 == 1).MaxBy(k => vals[k]);
        var moments = vals[peak] >= 0.7 ? new List<MemorableMomentRow>
        {
            new() { Tenant = tenant, ConversationId = id, Date = date, Turn = (uint)peak, Valence = (float)vals[peak], Emotion = "gratitude", Text = utterances[peak].Text, AfterNegativeStart = startedNegative, Version = version },
        } : [];
        var alertTurn = Enumerable.Range(0, turns).Where(k => k % 2 == 1 && vals[k] <= -0.7).Select(k => (int?)k).FirstOrDefault();
        var alerts = alertTurn is { } at ? new List<AlertRow>
        {
            new() { Tenant = tenant, ConversationId = id, Date = date, Turn = (uint)at, Rule = "severe_turn", Reason = "seed", ValenceTrend = (float)vals[at], Source = AlertRow.Live,
                ProducedAt = started, AlertedAt = started, Version = version },
        } : [];
        var ei = Math.Clamp(50 + 30 * s1 + 10 * (s1 - s0) - 4 * negLoad + 6 * moments.Count, 0, 100);
        var conversation = new ConversationRow
        {
            Tenant = tenant, ConversationId = id, Date = date, AgentId = a.Agent, TeamId = a.Team, Campaign = campaign, Queue = queue, Channel = "call",
            Language = tenant == "northwind-bank" ? "en" : "es", StartedAt = started, EndedAt = started.AddSeconds(t), DurationS = (float)t, Turns = (uint)turns,
            CustomerStartLabel = (sbyte)(s0 <= -0.25 ? -1 : s0 >= 0.25 ? 1 : 0), CustomerStartScore = (float)s0,
            CustomerEndLabel = (sbyte)(s1 <= -0.25 ? -1 : s1 >= 0.25 ? 1 : 0), CustomerEndScore = (float)s1,
            NegativeToPositive = converted, StartedNegative = startedNegative, Shift = (float)(s1 - s0),
            DriverAgent = drivers.Count == 0 ? 0 : (float)shares[0], DriverProcess = drivers.Count == 0 ? 0 : (float)shares[1],
            DriverProduct = drivers.Count == 0 ? 0 : (float)shares[2], DriverPriorExperience = drivers.Count == 0 ? 0 : (float)shares[3],
            PrimaryDriver = primary, ProcessTopic = primary == "process" ? topic : "none",
            AgentFocus = primary == "agent" ? Behaviours[rnd.Next(Behaviours.Length)] : "none", ExperienceIndex = (float)ei,
            MemorableMoments = (ushort)moments.Count, NegativeLoad = (float)negLoad, Alerts = (ushort)alerts.Count, FinalizedReason = "ended",
            FinalizedAt = started.AddSeconds(t), ModelVersion = "seed", Version = version,
        };
        var events = new List<ConversationEventRow>();
        if (rnd.NextDouble() < 0.3)
        {
            var nps = (sbyte)Math.Clamp(Math.Round(ei / 10 + (rnd.NextDouble() - 0.5) * 4), 0, 10);
            events.Add(new ConversationEventRow { Tenant = tenant, ConversationId = id, Date = date, Kind = ConversationEventRow.SurveyKind, Nps = nps, Csat = (float)Math.Clamp(Math.Round(1 + ei / 25), 1, 5), ReceivedAt = started, Version = version });
        }
        if (rnd.NextDouble() < 0.4)
            events.Add(new ConversationEventRow { Tenant = tenant, ConversationId = id, Date = date, Kind = ConversationEventRow.QaScoreKind, QaScore = (float)Math.Clamp(60 + a.Skill * 40 + rnd.NextDouble() * 35, 0, 100), ReceivedAt = started, Version = version });
        return (new ConversationRows(conversation, utterances, phases, drivers, behaviours, moments, alerts), events);
    }
}
