using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Emotion.Host.Pipeline;
using Emotion.Integration.Tests.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Replay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;

namespace Emotion.Integration.Tests.Web;

/// <summary>
/// Issue 11, point 6: the console in a real browser (Debian's chromium through Playwright) on the demo data: sign-in per
/// role, a conversation found and its curve and evidence turns, an agent's focus example, a live alert arriving after
/// segments are produced with kcat, and a client who cannot reach another tenant's pages. Each screen is kept as a
/// screenshot (docs/img/console-*.png when EMOTION_CONSOLE_SCREENSHOTS=docs/img).
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleFixture f) : IClassFixture<ConsoleFixture>
{
    [Theory]
    [InlineData("qa-andino", "explorer", "/conversations")]
    [InlineData("coach-andino", "coaching", "/coaching")]
    [InlineData("client-andino", "client", "/client")]
    [InlineData("super-andino", "live", "/live")]
    public async Task Each_role_signs_in_and_lands_on_its_own_page(string user, string nav, string path)
    {
        var page = await f.SignInAsync(user);
        Assert.EndsWith(path, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("on", await page.GetAttributeAsync($"[data-nav={nav}]", "class") ?? "", StringComparison.Ordinal);
        Assert.Contains(ConsoleFixture.Tenant, await page.InnerTextAsync("[data-testid=who]"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_login_page_is_in_Spanish_by_default()
    {
        var context = await f.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = f.BaseUrl, ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/conversations");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        Assert.Equal("es", await page.GetAttributeAsync("html", "lang"));
        await ConsoleFixture.ScreenshotAsync(page, "login");
        await page.FillAsync("#f-user", "qa-andino");
        await page.FillAsync("#f-password", "not the password");
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-testid=login-error]");
        await context.CloseAsync();
    }

    [Fact]
    public async Task QA_analyst_finds_a_demo_conversation_and_sees_its_curve_and_evidence_turns()
    {
        var page = await f.SignInAsync("qa-andino");
        await page.FillAsync("#f-q", "cobraron dos veces");
        await page.ClickAsync("[data-testid=search]");
        await page.WaitForSelectorAsync("[data-testid=result][data-id=es-001]");
        // Only the analyst's tenant: no other tenant's sample call is listed (the sample calls of banco-andino are es-*).
        var ids = await page.Locator("[data-testid=result]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.All(ids, id => Assert.True(id.StartsWith("es-", StringComparison.Ordinal) || id.StartsWith("seed-", StringComparison.Ordinal), id));
        await page.GotoAsync("/conversations");
        await ConsoleFixture.ScreenshotAsync(page, "explorer");

        await page.GotoAsync("/conversations?q=" + Uri.EscapeDataString("cobraron dos veces"));
        await page.ClickAsync("[data-testid=result][data-id=es-001] a");
        await page.WaitForSelectorAsync("[data-testid=curve]");
        Assert.Contains("es-001", await page.InnerTextAsync("[data-testid=conversation-id]"), StringComparison.Ordinal);
        var customerPoints = await page.Locator("[data-testid=curve] circle.pt.customer").CountAsync();
        var agentPoints = await page.Locator("[data-testid=curve] circle.pt.agent").CountAsync();
        Assert.True(customerPoints >= 5 && agentPoints >= 5, $"the curve has {customerPoints} customer and {agentPoints} agent points");
        Assert.True(await page.Locator("[data-testid=curve] rect.band").CountAsync() >= 3, "phase bands are drawn");
        Assert.True(await page.Locator("[data-testid=curve-alert]").CountAsync() >= 1, "the live alert is marked on the curve");
        Assert.True(await page.Locator("[data-testid=curve-moment]").CountAsync() >= 1, "the memorable moment is marked on the curve");
        var evidence = page.Locator("[data-testid=evidence-turn]");
        Assert.True(await evidence.CountAsync() >= 1, "the drivers' evidence turns are highlighted in the transcript");
        Assert.True(await page.Locator("[data-testid=driver]").CountAsync() >= 1);
        Assert.Contains("Índice de experiencia", await page.InnerTextAsync("[data-testid=figures]"), StringComparison.Ordinal);

        // An evidence link of a driver jumps to its highlighted turn.
        var link = page.Locator("[data-testid=driver] a.turn-link").First;
        var href = await link.GetAttributeAsync("href");
        await link.ClickAsync();
        Assert.EndsWith(href!, page.Url, StringComparison.Ordinal);
        Assert.Contains("evidence", await page.GetAttributeAsync(href!, "class") ?? "", StringComparison.Ordinal);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await ConsoleFixture.ScreenshotAsync(page, "conversation");

        // The same page in English.
        await page.ClickAsync("[data-lang=en]");
        await page.WaitForSelectorAsync("html[lang=en]");
        Assert.Contains("Experience index", await page.InnerTextAsync("[data-testid=figures]"), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Coach_opens_an_agents_focus_example_in_one_click()
    {
        var page = await f.SignInAsync("coach-andino");
        await page.WaitForSelectorAsync("[data-testid=agent-row]");
        await ConsoleFixture.ScreenshotAsync(page, "coaching");
        var example = page.Locator("[data-testid=focus-example]").First;
        var id = (await example.GetAttributeAsync("href"))!.Split('/')[2].Split('?')[0];
        await example.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=curve]");
        Assert.Contains(id, await page.InnerTextAsync("[data-testid=conversation-id]"), StringComparison.Ordinal);

        // The agent's page: focus areas with examples, and the weekly trend against the team.
        await page.GoBackAsync();
        await page.ClickAsync("[data-testid=agent-row] a");
        await page.WaitForSelectorAsync("[data-testid=agent-name]");
        await page.WaitForSelectorAsync("[data-testid=trend-conversion]");
        await ConsoleFixture.ScreenshotAsync(page, "coaching-agent");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Client_sees_its_dashboard_and_cannot_reach_another_tenants_pages()
    {
        var page = await f.SignInAsync("client-andino");
        await page.WaitForSelectorAsync("[data-testid=kpi-ei]");
        await page.WaitForSelectorAsync("[data-testid=processes]");
        await page.WaitForSelectorAsync("[data-testid=ei-trend]");
        await ConsoleFixture.ScreenshotAsync(page, "client");

        // Another tenant asked for by name reads as a tenant with no data.
        await page.GotoAsync("/client?tenant=" + ConsoleFixture.OtherTenant);
        await page.WaitForSelectorAsync("[data-testid=client-empty]");
        // Single conversations, the explorer, coaching and the live view are not a client's pages, whatever the tenant.
        foreach (var path in new[] { "/conversation/es-002?tenant=" + ConsoleFixture.OtherTenant, "/conversation/es-001", "/conversations", "/coaching", "/live" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(403, response!.Status);
            await page.WaitForSelectorAsync("[data-testid=denied]");
        }
        var events = await page.APIRequest.GetAsync("/live/events");
        Assert.Equal(403, events.Status);
        await page.Context.CloseAsync();

        // A QA analyst of another tenant gets "not found" for this tenant's conversation, as for one that does not exist.
        var other = await f.SignInAsync("qa-telco");
        foreach (var path in new[] { "/conversation/es-001", "/conversation/es-001?tenant=" + ConsoleFixture.Tenant, "/conversation/no-such-call" })
        {
            var response = await other.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            await other.WaitForSelectorAsync("[data-testid=not-found]");
        }
        await other.GotoAsync("/conversations?tenant=" + ConsoleFixture.Tenant);
        Assert.Equal(0, await other.Locator("[data-testid=result]").CountAsync());
        await other.Context.CloseAsync();
    }

    [Fact]
    public async Task Supervisor_sees_a_live_alert_arrive_after_segments_are_produced_with_kcat()
    {
        var page = await f.SignInAsync("super-andino");
        await page.WaitForSelectorAsync("[data-testid=feed][data-feed=live]", new PageWaitForSelectorOptions { Timeout = 120_000 });

        using var host = PipelineHost.Build(f.Env.Settings(f.ClickHouse, f.Group));
        await host.StartAsync();
        var runner = host.Services.GetRequiredService<PipelineRunner>();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => runner.RunAsync(null, stop.Token));
        try
        {
            // A copy of the angriest sample call, produced by an outside producer and left open (no 'ended').
            var root = Emotion.Host.Commands.CommonOptions.FindRepoRoot()!;
            var sample = File.ReadLines(Path.Combine(root, "samples", "conversations.jsonl")).Select(ConversationFile.Parse).First(c => c.ConversationId == "es-001");
            var conv = "live-" + Guid.NewGuid().ToString("N")[..8];
            var call = sample with { ConversationId = conv };
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var steps = ReplaySchedule.Build([call], speed: 0).Where(s => s.Kind != ReplayStepKind.Ended).ToList();
            KafkaTestKit.KcatProduce(f.Bootstrap, f.Env.Prefix + "events",
                steps.Where(s => s.Kind == ReplayStepKind.Started).Select(s => KafkaTestKit.Line(conv, Json(ReplaySchedule.Message(call, s, now)))));
            KafkaTestKit.KcatProduce(f.Bootstrap, f.Env.Prefix + "transcripts",
                steps.Where(s => s.Kind == ReplayStepKind.Segment).Select(s => KafkaTestKit.Line(conv, Json(ReplaySchedule.Message(call, s, now)))));

            var alert = page.Locator($"[data-testid=alert][data-id={conv}]").First;
            await alert.WaitForAsync(new LocatorWaitForOptions { Timeout = 180_000 });
            await page.WaitForSelectorAsync($"[data-testid=call][data-id={conv}]", new PageWaitForSelectorOptions { Timeout = 120_000 });
            await ConsoleFixture.ScreenshotAsync(page, "live");

            // The alert links to the conversation so far.
            await alert.Locator("a").ClickAsync();
            await page.WaitForSelectorAsync("[data-testid=curve]");
            await page.WaitForSelectorAsync("[data-testid=in-progress]");
            Assert.True(await page.Locator("[data-testid=curve-alert]").CountAsync() >= 1);
            await ConsoleFixture.ScreenshotAsync(page, "live-conversation");
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
            await host.StopAsync();
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Pages_need_a_signed_in_user_and_send_their_server_time()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(f.BaseUrl) };
        foreach (var path in new[] { "/", "/conversations", "/conversation/es-001", "/coaching", "/client", "/live", "/live/events", "/live/calls" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.OriginalString.Replace(f.BaseUrl, "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.True(response.Headers.Contains("Server-Timing"));
        }
        using var css = await http.GetAsync("/assets/console.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
    }

    private static string Json(IIngestMessage message) => System.Text.Encoding.UTF8.GetString(MessageJson.Serialize(message));
}
