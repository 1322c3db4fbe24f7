using Emotion.Integration.Tests.Pipeline;
using Emotion.Integration.Tests.Store;
using Emotion.Store;
using Emotion.Web;

namespace Emotion.Integration.Tests.Web;

/// <summary>
/// The console's reads on the tables of migrations 0008 and 0009 against a real ClickHouse: the words table answers the
/// text search, the daily sums give the same figures as the deduplicated rows even when conversations were written
/// again (the days that <c>conversation_days</c> marks are read from the base table), and so do the analysis rows read
/// by their own agent and campaign (the days that <c>analysis_days</c> marks are merged and joined).
/// </summary>
public sealed class ConsoleQueriesTests
{
    private static readonly DateOnly D1 = new(2025, 3, 3), D2 = new(2025, 3, 4), D3 = new(2025, 3, 5);

    [Fact]
    public async Task Daily_sums_match_the_deduplicated_rows_when_conversations_are_written_again()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var q = new ConsoleQueries(db.Store);
        await db.Store.WriteConversationsAsync(
        [
            Rows.Conversation("c1", "a1", D1, startedNegative: true, experienceIndex: 40, negativeLoad: 1, driverAgent: 0.5f),
            Rows.Conversation("c2", "a2", D1, experienceIndex: 80),
            Rows.Conversation("c3", "a1", D2, experienceIndex: 60),
            Rows.Conversation("c4", "a2", D3, startedNegative: true, converted: true, experienceIndex: 70, negativeLoad: 2, driverAgent: 0.25f),
        ]);
        // c1 re-finalized with another campaign and index (a newer version); c3 replayed as it was.
        await db.Store.WriteConversationsAsync(
        [
            Rows.Conversation("c1", "a1", D1, startedNegative: true, converted: true, experienceIndex: 90, negativeLoad: 1, driverAgent: 0.5f, version: 2, campaign: "loans"),
            Rows.Conversation("c3", "a1", D2, experienceIndex: 60),
        ]);

        var scope = await q.ScopeAsync(Rows.Tenant, D1, D3);
        Assert.Equal([D1, D2], scope.Dirty!.Select(d => d.Date));

        var periods = (await q.QueuePeriodsAsync(scope, null, ReportPeriod.Day)).Select(p => (p.Campaign, p.Period, p.Contacts, p.EiSum, p.Converted)).ToList();
        Assert.Equal([("cards", D1, 1L, 80.0, 0L), ("loans", D1, 1L, 90.0, 1L), ("cards", D2, 1L, 60.0, 0L), ("cards", D3, 1L, 70.0, 1L)], periods);
        // The same figures when every day is deduplicated (FINAL), and from the daily sums alone on a clean day.
        var final = (await q.QueuePeriodsAsync(scope with { Dirty = null }, null, ReportPeriod.Day)).Select(p => (p.Campaign, p.Period, p.Contacts, p.EiSum, p.Converted)).ToList();
        Assert.Equal(periods, final);
        var clean = await q.QueuePeriodsAsync(new DayScope(Rows.Tenant, D3, D3, []), null, ReportPeriod.Day);
        Assert.Equal((1L, 70.0), (Assert.Single(clean).Contacts, clean[0].EiSum));

        var team = Assert.Single(await q.TeamStatsAsync(scope, "T"));
        Assert.Equal((4L, 2L, 2L), (team.Contacts, team.StartedNegativeN, team.Converted));
        Assert.Equal(0.5 * 1 + 0.25 * 2, team.AgentLoad, 5);
        Assert.Equal(90 + 80 + 60 + 70, team.EiSum, 5);

        var list = await q.SearchAsync(new ExplorerFilter { Tenant = Rows.Tenant }, 10);
        Assert.Equal(4, list.Total);
        Assert.Equal(["c1", "c2", "c3", "c4"], list.Items.Select(i => i.ConversationId).Order(StringComparer.Ordinal));
        Assert.Equal(90, list.Items.Single(i => i.ConversationId == "c1").ExperienceIndex);
        var loans = await q.SearchAsync(new ExplorerFilter { Tenant = Rows.Tenant, Campaign = "loans" }, 10);
        Assert.Equal(["c1"], loans.Items.Select(i => i.ConversationId));
    }

    /// <summary>A conversation row with its analysis rows (no utterances, events or alerts), as the store writes them.</summary>
    private static ConversationRows Of(ConversationRow c, PhaseRow[] phases, BehaviourRow[] behaviours, DriverRow[] drivers, MemorableMomentRow[] moments) =>
        new(c, [], phases, drivers, behaviours, moments, []);

    [Fact]
    public async Task Analysis_rows_read_as_stored_match_the_merged_rows_after_a_retried_write_and_a_refinalization()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var q = new ConsoleQueries(db.Store);
        var c1 = Of(Rows.Conversation("c1", "a1", D1, experienceIndex: 40),
            [Rows.Phase("c1", D1, "opening", -0.5f), Rows.Phase("c1", D1, "closing", 0.2f)], [Rows.Behaviour("c1", D1, "empathy", 2)],
            [Rows.ProcessDriver("c1", D1, "billing", 0.6f)], [Rows.Moment("c1", D1, 5, 0.9f)]);
        var c2 = Of(Rows.Conversation("c2", "a2", D2, experienceIndex: 60),
            [Rows.Phase("c2", D2, "opening", 0.1f)], [Rows.Behaviour("c2", D2, "empathy", 1)],
            [Rows.ProcessDriver("c2", D2, "billing", 0.3f)], [Rows.Moment("c2", D2, 3, 0.8f)]);
        var c3 = Of(Rows.Conversation("c3", "a1", D3, experienceIndex: 70),
            [Rows.Phase("c3", D3, "opening", -0.2f)], [Rows.Behaviour("c3", D3, "empathy", 0)],
            [Rows.ProcessDriver("c3", D3, "billing", 0.4f)], [Rows.Moment("c3", D3, 7, 0.95f)]);
        await db.Store.WriteAsync([c1, c2, c3]);
        // c1 finalized again (version 2) in another campaign, without its moment and with another process; c2's analysis
        // rows written a second time without its conversation row (a write retried after the conversation row failed).
        await db.Store.WriteAsync(Of(Rows.Conversation("c1", "a1", D1, experienceIndex: 40, version: 2, campaign: "loans"),
            [Rows.Phase("c1", D1, "opening", -0.1f, version: 2)], [Rows.Behaviour("c1", D1, "empathy", 1, version: 2)],
            [Rows.ProcessDriver("c1", D1, "refunds", 0.5f, version: 2)], []));
        var again = c2.WithConsoleColumns();
        await db.Store.WritePhasesAsync(again.Phases);
        await db.Store.WriteBehavioursAsync(again.Behaviours);
        await db.Store.WriteDriversAsync(again.Drivers);
        await db.Store.WriteMemorableMomentsAsync(again.MemorableMoments);

        // The analysis rows carry their conversation's values as written.
        var stored = await PipelineEnv.QueryAsync(db.Store, "SELECT agent_id, team_id, campaign, queue FROM conversation_phases WHERE conversation_id = 'c3'");
        var row = Assert.Single(stored);
        Assert.Equal("a1|T|cards|q1", string.Join("|", new[] { "agent_id", "team_id", "campaign", "queue" }.Select(k => row.GetProperty(k).GetString())));

        Assert.Equal([D1], (await q.ScopeAsync(Rows.Tenant, D1, D3)).Dirty!.Select(d => d.Date));
        string[] all = [StoreTables.Phases, StoreTables.Behaviours, StoreTables.Drivers, StoreTables.MemorableMoments];
        var scope = await q.ScopeAsync(Rows.Tenant, D1, D3, all);
        Assert.Equal([D1, D2], scope.Dirty!.Select(d => d.Date));
        foreach (var table in all)
            Assert.Equal([D1, D2], (await q.ScopeAsync(Rows.Tenant, D1, D3, [table])).Dirty!.Select(d => d.Date));

        // Processes and moments: the current version only, each row once, with the campaign of the current conversation row.
        var processes = await q.ProcessesAsync(Rows.Tenant, null, D1, D3, scope.Dirty);
        Assert.Equal([("refunds", 0.5, 1L), ("billing", 0.7, 2L)], processes.Select(p => (p.Topic, Math.Round(p.Weight, 5), p.Contacts)).OrderBy(p => p.Topic != "refunds"));
        Assert.Equal(["refunds"], (await q.ProcessesAsync(Rows.Tenant, "loans", D1, D3, scope.Dirty)).Select(p => p.Topic));
        var moments = await q.MomentsAsync(Rows.Tenant, null, D1, D3, 5, scope.Dirty);
        Assert.Equal([("c3", 7u, "cards"), ("c2", 3u, "cards")], moments.Select(m => (m.ConversationId, m.Turn, m.Campaign)));

        // The coaching gaps: the same as the report's views over FINAL (ReportQueries), and as every day merged here.
        var filter = new ReportFilter { Tenant = Rows.Tenant, TeamId = "T", From = D1, To = D3, Period = ReportPeriod.Month, Examples = 3 };
        var reference = await new ReportQueries(db.Store).GetAgentReportAsync(filter);
        foreach (var dirty in new[] { scope.Dirty, null })
        {
            var report = await q.AgentReportAsync(filter, dirty);
            Assert.Equal(Gaps(reference).Phases, Gaps(report).Phases);
            Assert.Equal(Gaps(reference).Behaviours, Gaps(report).Behaviours);
        }
        Assert.Contains(Gaps(reference).Phases, g => g.StartsWith("a1 opening -0.15 ", StringComparison.Ordinal));
        Assert.Contains(Gaps(reference).Behaviours, g => g.StartsWith("a2 empathy 1 ", StringComparison.Ordinal));

        // On a clean day nothing is merged: the stored rows alone give the answer.
        var clean = await q.MomentsAsync(Rows.Tenant, null, D3, D3, 5, []);
        Assert.Equal(("c3", "cards"), (Assert.Single(clean).ConversationId, clean[0].Campaign));
    }

    [Fact]
    public async Task Quality_reads_give_the_report_quadrants_and_the_qa_and_survey_points_from_one_statement()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var q = new ConsoleQueries(db.Store);
        await db.Store.WriteConversationsAsync(
        [
            Rows.Conversation("c1", "a1", D1, experienceIndex: 90), Rows.Conversation("c2", "a1", D1, experienceIndex: 30),
            Rows.Conversation("c3", "a2", D2, experienceIndex: 70), Rows.Conversation("c4", "a2", D2, experienceIndex: 20),
            Rows.Conversation("c5", "a2", D3, experienceIndex: 65, campaign: "loans"), Rows.Conversation("c6", "a1", D3, experienceIndex: 50),
        ]);
        await db.Store.WriteEventsAsync(
        [
            Rows.Qa("c1", D1, 85), Rows.Qa("c2", D1, 90), Rows.Qa("c3", D2, 40), Rows.Qa("c4", D2, 55), Rows.Qa("c5", D3, 80),
            Rows.Qa("c4", D3, 82, version: 2), // a later QA score replaces the first
            new ConversationEventRow { Tenant = Rows.Tenant, ConversationId = "c6", Date = D3, Kind = ConversationEventRow.SurveyKind, Nps = 9, Csat = 4.5f, ReceivedAt = D3.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc), Version = 1 },
        ]);
        foreach (var campaign in new[] { null, "loans" })
        {
            var filter = new ReportFilter { Tenant = Rows.Tenant, Campaign = campaign, From = D1, To = D3, Period = ReportPeriod.Week };
            var reference = await new ReportQueries(db.Store).GetQuadrantsAsync(filter);
            var quality = await q.QualityAsync(filter, null);
            var clean = await q.QualityAsync(filter, []);
            foreach (var got in new[] { quality, clean })
            {
                Assert.Equal(
                    reference.Select(r => $"{r.Campaign} {r.Period} {r.Quadrant} {r.Contacts} {Math.Round(r.MeanQaScore, 3)} {Math.Round(r.MeanExperienceIndex, 3)} {string.Join(',', r.Examples)}"),
                    got.Quadrants.Select(r => $"{r.Campaign} {r.Period} {r.Quadrant} {r.Contacts} {Math.Round(r.MeanQaScore, 3)} {Math.Round(r.MeanExperienceIndex, 3)} {string.Join(',', r.Examples)}"));
            }
            if (campaign is null)
            {
                Assert.Equal(4, reference.Count);
                Assert.Equal([(85.0, 90.0), (90.0, 30.0), (40.0, 70.0), (82.0, 20.0), (80.0, 65.0)], quality.QaPoints.Select(p => (p.Qa, p.ExperienceIndex)));
                Assert.Equal((50.0, 9.0, 4.5), (Assert.Single(quality.Surveys).ExperienceIndex, quality.Surveys[0].Nps!.Value, quality.Surveys[0].Csat!.Value));
            }
            else
            {
                Assert.Equal(("loans", Quadrants.HighQaHighExperience), (Assert.Single(quality.Quadrants).Campaign, quality.Quadrants[0].Quadrant));
                Assert.Empty(quality.Surveys);
            }
        }
    }

    private static (List<string> Phases, List<string> Behaviours) Gaps(AgentReport r) => (
        [.. r.PhaseGaps.Select(g => $"{g.AgentId} {g.Phase} {Math.Round(g.AgentMeanValence, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)} {Math.Round(g.TeamMeanValence, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)} {g.Conversations} {string.Join(',', g.Examples)}").Order(StringComparer.Ordinal)],
        [.. r.BehaviourGaps.Select(g => $"{g.AgentId} {g.Behaviour} {Math.Round(g.AgentPerContact, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)} {Math.Round(g.TeamPerContact, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)} {g.Conversations} {string.Join(',', g.Examples)}").Order(StringComparer.Ordinal)]);

    [Fact]
    public async Task Text_search_finds_the_turns_that_say_every_word_in_the_callers_tenant_only()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var q = new ConsoleQueries(db.Store);
        await db.Store.WriteUtterancesAsync(
        [
            Rows.Utterance("c1", D1, 1, text: "Hola, me COBRARON dos veces la cuota"),
            Rows.Utterance("c1", D1, 2, text: "lo reviso ahora"),
            Rows.Utterance("c2", D1, 1, text: "quiero la factura de marzo"),
            Rows.Utterance("c3", D2, 1, text: "son dos cuotas"),
            Rows.Utterance("c3", D2, 2, text: "veces"),
            Rows.Utterance("c9", D1, 1, text: "me cobraron dos veces") with { Tenant = "t2" },
        ]);
        await db.Store.WriteConversationsAsync(
        [
            Rows.Conversation("c1", "a1", D1), Rows.Conversation("c2", "a1", D1), Rows.Conversation("c3", "a1", D2),
            Rows.Conversation("c9", "a1", D1) with { Tenant = "t2" },
        ]);

        async Task<string[]> Find(string text, string? tenant = Rows.Tenant) =>
            [.. (await q.SearchAsync(new ExplorerFilter { Tenant = tenant, Text = text }, 10)).Items.Select(i => i.ConversationId).Order(StringComparer.Ordinal)];

        Assert.Equal(["c1"], await Find("cobraron dos veces"));
        Assert.Equal(["c1"], await Find("¿Veces, COBRARON?"));
        Assert.Equal(["c1", "c3"], await Find("cuota"));
        Assert.Equal(["c2"], await Find("factura"));
        Assert.Empty(await Find("actura"));
        // Every word in one turn: c3 says "dos" and "veces" in two turns.
        Assert.Equal(["c1"], await Find("dos veces"));
        Assert.Empty(await Find("factura veces"));
        Assert.Equal(["c1", "c9"], await Find("cobraron", tenant: null));
        Assert.Equal(1, (await q.SearchAsync(new ExplorerFilter { Tenant = Rows.Tenant, Text = "cobraron" }, 10)).Total);
    }
    [Fact]
    public async Task Capped_text_search_lists_the_same_pages_as_the_exact_one_and_counts_exactly_below_the_cap()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var q = new ConsoleQueries(db.Store);
        // 30 finalized conversations, one a day, that all say "gracias"; every fifth also "factura" and runs in the
        // loans campaign; one more says "gracias" on the newest day but is not finalized (no conversation row).
        var days = Enumerable.Range(0, 30).Select(i => D1.AddDays(i)).ToList();
        await db.Store.WriteUtterancesAsync(
        [
            .. days.Select((d, i) => Rows.Utterance($"c{i:00}", d, 1, text: i % 5 == 0 ? "muchas gracias por la factura" : "gracias")),
            Rows.Utterance("live", days[^1], 1, text: "gracias"),
        ]);
        await db.Store.WriteConversationsAsync([.. days.Select((d, i) => Rows.Conversation($"c{i:00}", "a1", d, campaign: i % 5 == 0 ? "loans" : "cards"))]);

        async Task<(string[] Ids, long Total)> Search(ExplorerFilter f, int page, long cap)
        {
            var (items, total) = await q.SearchAsync(f with { Page = page }, 4, cap);
            return ([.. items.Select(i => i.ConversationId)], total);
        }

        foreach (var f in new[]
        {
            new ExplorerFilter { Tenant = Rows.Tenant, Text = "gracias" },
            new ExplorerFilter { Tenant = null, Text = "gracias" },
            new ExplorerFilter { Tenant = Rows.Tenant, Text = "gracias", Campaign = "loans" },
            new ExplorerFilter { Tenant = Rows.Tenant, Text = "gracias factura" },
            new ExplorerFilter { Tenant = Rows.Tenant, Text = "gracias", From = days[3], To = days[20] },
        })
        {
            var exactTotal = (await Search(f, 0, 1_000)).Total;
            for (var page = 0; page < 9; page++)
            {
                var exact = await Search(f, page, 1_000);
                var capped = await Search(f, page, 5);
                Assert.Equal(exact.Ids, capped.Ids);
                Assert.Equal(exactTotal, exact.Total);
                // Exact up to the cap, "more than the cap" (cap + 1) above it.
                Assert.Equal(Math.Min(exactTotal, 6), capped.Total);
            }
        }
        var all = await Search(new ExplorerFilter { Tenant = Rows.Tenant, Text = "gracias" }, 0, 1_000);
        Assert.Equal(30L, all.Total);
        Assert.Equal(["c29", "c28", "c27", "c26"], all.Ids);
        Assert.Equal(6, (await Search(new ExplorerFilter { Tenant = Rows.Tenant, Text = "gracias", Campaign = "loans" }, 0, 1_000)).Total);
    }

    [Fact]
    public async Task Conversation_page_reads_the_same_rows_as_the_store_after_a_replay_and_a_refinalization()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var q = new ConsoleQueries(db.Store);
        // c1: finalized, then finalized again (version 2) with other analysis rows; its turns written twice (a replay),
        // one turn's text replaced by a newer version; a QA score and a survey received on later days.
        await db.Store.WriteAsync(Of(Rows.Conversation("c1", "a1", D1, experienceIndex: 40),
            [Rows.Phase("c1", D1, "opening", -0.5f), Rows.Phase("c1", D1, "closing", 0.2f)], [Rows.Behaviour("c1", D1, "empathy", 2)],
            [Rows.ProcessDriver("c1", D1, "billing", 0.6f)], [Rows.Moment("c1", D1, 5, 0.9f)]));
        await db.Store.WriteAsync(Of(Rows.Conversation("c1", "a1", D1, experienceIndex: 55, version: 2, campaign: "loans"),
            [Rows.Phase("c1", D1, "opening", -0.1f, version: 2)], [Rows.Behaviour("c1", D1, "empathy", 1, version: 2)],
            [Rows.ProcessDriver("c1", D1, "refunds", 0.5f, version: 2)], [Rows.Moment("c1", D1, 3, 0.7f, version: 2)]));
        UtteranceRow[] turns = [Rows.Utterance("c1", D1, 1, text: "me cobraron dos veces"), Rows.Utterance("c1", D1, 2, text: "lo reviso")];
        await db.Store.WriteUtterancesAsync(turns);
        await db.Store.WriteUtterancesAsync([.. turns, Rows.Utterance("c1", D1, 2, version: 2, text: "lo reviso ahora mismo")]);
        await db.Store.WriteEventsAsync([Rows.Qa("c1", D2, 0.8f), Rows.Qa("c1", D3, 0.9f, version: 2)]);
        // The same id in another tenant, and another conversation of the tenant.
        await db.Store.WriteAsync(Of(Rows.Conversation("c1", "a9", D2) with { Tenant = "t0" }, [], [], [], []));
        await db.Store.WriteAsync(Of(Rows.Conversation("c2", "a2", D2), [Rows.Phase("c2", D2, "opening", 0.1f)], [], [], []));

        static string Json(StoredConversation? s) => s is null ? "null" : System.Text.Json.JsonSerializer.Serialize(new
        {
            s.Conversation, s.Utterances, s.Phases, s.Drivers, s.Behaviours, s.MemorableMoments, s.Alerts, s.Events,
        });
        foreach (var (tenant, id) in new[] { (Rows.Tenant, "c1"), ((string?)null, "c1"), (Rows.Tenant, "c2"), ("t0", "c2"), (Rows.Tenant, "missing") })
            Assert.Equal(Json(await db.Store.ReadConversationAsync(tenant, id)), Json(await q.ConversationAsync(tenant, id)));

        var c1 = await q.ConversationAsync(Rows.Tenant, "c1");
        Assert.NotNull(c1);
        Assert.Equal((2UL, "loans"), (c1.Conversation.Version, c1.Conversation.Campaign));
        Assert.Equal(["opening"], c1.Phases.Select(p => p.Phase));
        Assert.Equal([3u], c1.MemorableMoments.Select(m => m.Turn));
        Assert.Equal(["me cobraron dos veces", "lo reviso ahora mismo"], c1.Utterances.Select(u => u.Text));
        Assert.Equal(0.9f, Assert.Single(c1.Events).QaScore);
        Assert.Equal("a9", (await q.ConversationAsync(null, "c1"))!.Conversation.AgentId);
    }
}
