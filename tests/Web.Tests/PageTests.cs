using System.Text.RegularExpressions;
using Emotion.Access;
using Emotion.Store;
using Emotion.Web;
using Emotion.Web.Pages;

namespace Emotion.Web.Tests;

/// <summary>The pages and charts render from data alone (no server): encoding, marks on the curve, both languages.</summary>
public sealed class PageTests
{
    private static readonly FilterChoices NoChoices = new([], [], [], [], [], []);

    private static ConversationListItem Item(string id, string agent = "ag-1") =>
        new("acme", id, new DateTime(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc), agent, "t1", "cards", "q1", 120, 10, 72, "process", "fees", true, true, 1, -0.6, 0.5);

    [Fact]
    public void Explorer_encodes_every_value_it_shows()
    {
        var html = ExplorerPage.Render(Ui.Es, new ExplorerFilter { Text = "\"><script>x</script>" }, false, NoChoices,
            [Item("<script>alert(1)</script>", "<b>agent</b>")], 1, 50, 12);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>agent", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("/conversation/%3Cscript%3Ealert%281%29%3C%2Fscript%3E?tenant=acme", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Explorer_speaks_the_readers_language()
    {
        var es = ExplorerPage.Render(Ui.Es, new ExplorerFilter(), false, NoChoices, [Item("c-1")], 1, 50, 12);
        var en = ExplorerPage.Render(Ui.En, new ExplorerFilter(), false, NoChoices, [Item("c-1")], 1, 50, 12);
        Assert.Contains("Causa principal", es, StringComparison.Ordinal);
        Assert.Contains("proceso · comisiones", es, StringComparison.Ordinal);
        Assert.Contains("Primary driver", en, StringComparison.Ordinal);
        Assert.Contains("process · fees", en, StringComparison.Ordinal);
    }

    [Fact]
    public void Explorer_shows_a_count_above_the_cap_as_more_than_the_cap_in_both_languages()
    {
        string Count(Ui ui, long total) =>
            Regex.Match(ExplorerPage.Render(ui, new ExplorerFilter { Text = "gracias" }, false, NoChoices, [Item("c-1")], total, 50, 12),
                "data-testid=\"result-count\"><strong[^>]*>([^<]*)</strong>").Groups[1].Value;
        Assert.Equal("10.000+", Count(Ui.Es, ConsoleQueries.CountCap + 1));
        Assert.Equal("10,000+", Count(Ui.En, ConsoleQueries.CountCap + 1));
        Assert.Equal("10.000", Count(Ui.Es, ConsoleQueries.CountCap));
        Assert.Equal("9,999", Count(Ui.En, 9_999));
    }

    [Fact]
    public void Curve_has_a_point_per_turn_phase_bands_alerts_and_moments()
    {
        string[] phases = ["opening", "opening", "exploration", "exploration", "resolution", "closing"];
        var turns = Enumerable.Range(0, 6).Select(i => new CurveTurn((uint)i, i % 2 == 0 ? "agent" : "customer", -0.8 + i * 0.3, phases[i], "t" + i, "neutral")).ToList();
        var svg = Svg.Curve(Ui.Es, turns, [(3u, "severe_turn")], [5u]);
        Assert.Equal(3, Regex.Count(svg, "class=\"pt customer\""));
        Assert.Equal(3, Regex.Count(svg, "class=\"pt agent\""));
        Assert.Equal(4, Regex.Count(svg, "<rect class=\"band"));
        Assert.Single(Regex.Matches(svg, "data-testid=\"curve-alert\""));
        Assert.Single(Regex.Matches(svg, "data-testid=\"curve-moment\""));
        Assert.Contains("href=\"#turn-3\"", svg, StringComparison.Ordinal);
        // Coordinates are written with a dot whatever the reader's language.
        Assert.DoesNotMatch(new Regex("cx=\"\\d+,\\d"), svg);
    }

    [Fact]
    public void Conversation_page_highlights_the_evidence_turns_of_the_drivers()
    {
        var day = new DateOnly(2026, 3, 10);
        var conv = new ConversationRow { Tenant = "acme", ConversationId = "c-1", Date = day, PrimaryDriver = "process", ProcessTopic = "fees", ExperienceIndex = 40 };
        var utterances = Enumerable.Range(0, 4).Select(i => new UtteranceRow
        {
            Tenant = "acme", ConversationId = "c-1", Date = day, SegmentId = "s" + i, Turn = (uint)i, Speaker = i % 2 == 0 ? "agent" : "customer",
            Text = "turn " + i, Phase = "exploration", Valence = i == 1 ? -0.8f : 0.1f,
        }).ToList();
        DriverRow[] drivers =
        [
            new() { Tenant = "acme", ConversationId = "c-1", Date = day, Driver = "process", Topic = "fees", Share = 0.97f, EvidenceTurns = [1] },
            new() { Tenant = "acme", ConversationId = "c-1", Date = day, Driver = "agent", Share = 0.01f, EvidenceTurns = [3] },
        ];
        var html = ConversationPage.Render(Ui.Es, new StoredConversation(conv, utterances, [], drivers, [], [], [], []));
        Assert.Contains("id=\"turn-1\" class=\"customer evidence\" data-testid=\"evidence-turn\"", html, StringComparison.Ordinal);
        // A 1 % remainder is not evidence of anything.
        Assert.Contains("id=\"turn-3\" class=\"customer\"", html, StringComparison.Ordinal);
        Assert.Contains("proceso · comisiones", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Pearson_is_one_on_a_rising_line_and_undefined_without_variance()
    {
        Assert.Equal(1, ClientPage.Pearson([(0, 1), (1, 3), (2, 5)]), 9);
        Assert.Equal(-1, ClientPage.Pearson([(0, 5), (1, 3), (2, 1)]), 9);
        Assert.True(double.IsNaN(ClientPage.Pearson([(1, 2), (1, 3)])));
    }

    [Fact]
    public void Ui_is_Spanish_unless_English_is_asked_for()
    {
        Assert.Same(Ui.Es, Ui.For(null));
        Assert.Same(Ui.Es, Ui.For("fr"));
        Assert.Same(Ui.En, Ui.For("EN"));
        Assert.Equal("0,50", Ui.Es.Num(0.5));
        Assert.Equal("0.50", Ui.En.Num(0.5));
        Assert.Equal("–", Ui.Es.Pct(null));
    }
}

/// <summary>What each read sends to ClickHouse: the caller's tenant in every WHERE, values as quoted literals.</summary>
public sealed class QueryTests
{
    [Fact]
    public void Explorer_search_is_restricted_to_the_tenant_in_the_list_and_in_the_text_search()
    {
        var sql = ConsoleQueries.SearchSql(new ExplorerFilter { Tenant = "acme", Text = "cobraron", Campaign = "cards" }, 50);
        // The page's keys, the words, and the rows read for the page's keys.
        Assert.Equal(3, Regex.Count(sql, "tenant = 'acme'"));
        Assert.Contains("FROM utterance_words WHERE word LIKE 'cobraron%' AND tenant = 'acme'", sql, StringComparison.Ordinal);
        Assert.Contains("campaign = 'cards'", sql, StringComparison.Ordinal);
        Assert.Contains("LIMIT 0, 50", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_that_look_like_SQL_stay_values()
    {
        var sql = ConsoleQueries.SearchSql(new ExplorerFilter { Tenant = "acme", Agent = "x' OR 1=1 --", Text = "a'b" }, 50);
        Assert.Contains("agent_id = 'x\\' OR 1=1 --'", sql, StringComparison.Ordinal);
        // A search is split into words (letters and digits): the quote never reaches the statement.
        Assert.Contains("word LIKE 'a%'", sql, StringComparison.Ordinal);
        Assert.Contains("max(word LIKE 'b%')", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("a'b", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_search_is_looked_up_as_its_distinct_lower_cased_words()
    {
        Assert.Equal(["cobraron", "dos", "veces"], ConsoleQueries.SearchWords("¿Me COBRARON dos veces? dos"));
        // Words of one or two characters count only when the search has nothing longer.
        Assert.Equal(["soluciona"], ConsoleQueries.SearchWords("no me soluciona"));
        Assert.Equal(["no", "me"], ConsoleQueries.SearchWords("No me"));
        Assert.Equal(["facturación", "ñandú", "123"], ConsoleQueries.SearchWords("Facturación, Ñandú: 123"));
        Assert.Empty(ConsoleQueries.SearchWords(" %_' -- "));
        Assert.Equal(ConsoleQueries.MaxSearchWords, ConsoleQueries.SearchWords("aaa bbb ccc ddd eee fff ggg hhh iii jjj").Count);
    }

    [Fact]
    public void A_search_without_a_word_finds_nothing()
    {
        var sql = ConsoleQueries.SearchSql(new ExplorerFilter { Tenant = "acme", Text = "%%" }, 50);
        Assert.Contains("WHERE 0", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("LIKE", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_over_every_tenant_reads_without_a_tenant_condition()
    {
        Assert.DoesNotContain("tenant =", ConsoleQueries.SearchSql(new ExplorerFilter(), 50), StringComparison.Ordinal);
        Assert.DoesNotContain("tenant =", ConsoleQueries.InProgressSql(null, 30), StringComparison.Ordinal);
        Assert.Contains("tenant = 'acme'", ConsoleQueries.InProgressSql("acme", 30), StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_asking_for_another_tenant_reads_a_tenant_nobody_has()
    {
        var client = new Caller("c", Role.Client, "acme");
        Assert.Equal("acme", ConsoleEndpoints.Scoped(client, null));
        Assert.Equal("acme", ConsoleEndpoints.Scoped(client, "acme"));
        Assert.Equal(ConsoleEndpoints.ReportAccessNoTenant, ConsoleEndpoints.Scoped(client, "globex"));
        var admin = new Caller("a", Role.Admin, null);
        Assert.Null(ConsoleEndpoints.Scoped(admin, null));
        Assert.Equal("globex", ConsoleEndpoints.Scoped(admin, "globex"));
    }

    [Theory]
    [InlineData("/conversations?q=x", "/conversations?q=x")]
    [InlineData("/", "/")]
    [InlineData("//evil.example/", null)]
    [InlineData("/\\evil.example/", null)]
    [InlineData("https://evil.example/", null)]
    [InlineData("", null)]
    public void Sign_in_returns_only_to_a_path_of_this_site(string back, string? expected) =>
        Assert.Equal(expected, ConsoleEndpoints.LocalPath(back));

    [Theory]
    [InlineData(Role.Supervisor, true)]
    [InlineData(Role.QaAnalyst, true)]
    [InlineData(Role.Admin, true)]
    [InlineData(Role.Coach, false)]
    [InlineData(Role.Client, false)]
    public void The_live_view_is_for_supervisors(Role role, bool allowed) => Assert.Equal(allowed, Roles.MayRead(role, ReadKind.Live));
}
