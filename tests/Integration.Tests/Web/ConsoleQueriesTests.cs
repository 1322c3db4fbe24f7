using Emotion.Integration.Tests.Store;
using Emotion.Store;
using Emotion.Web;

namespace Emotion.Integration.Tests.Web;

/// <summary>
/// The console's reads on the tables of migration 0008 against a real ClickHouse: the words table answers the text
/// search, and the daily sums give the same figures as the deduplicated rows even when conversations were written
/// again (the days that <c>conversation_days</c> marks are read from the base table).
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
}
