using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Emotion.Access;
using Emotion.Store;
using Emotion.Web.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static Emotion.Web.Html;

namespace Emotion.Web;

/// <summary>The console's routes. Each page checks the caller's role and runs its reads under the caller's tenant scope.</summary>
internal static class ConsoleEndpoints
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{name}", Asset);
        app.MapGet("/login", (HttpContext c) => Login(c, failed: false));
        app.MapPost("/login", SignInAsync);
        app.MapPost("/logout", async (HttpContext c) =>
        {
            await c.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
        app.MapGet("/lang/{lang}", (HttpContext c, string lang, string? back) =>
        {
            c.Response.Cookies.Append("lang", Ui.For(lang).Lang, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return Results.Redirect(LocalPath(back) ?? "/");
        });
        app.MapGet("/", (HttpContext c) =>
        {
            var caller = ConsoleAuth.CallerOf(c.User)!;
            var home = caller.Role switch
            {
                Role.Client => "/client",
                Role.Coach => "/coaching",
                Role.Supervisor => "/live",
                _ => "/conversations",
            };
            return Results.Redirect(home);
        }).RequireAuthorization();
        app.MapGet("/denied", (HttpContext c) => Denied(c)).RequireAuthorization();
        app.MapGet("/conversations", ExplorerAsync).RequireAuthorization();
        app.MapGet("/conversation/{id}", ConversationAsync).RequireAuthorization();
        app.MapGet("/coaching", CoachingAsync).RequireAuthorization();
        app.MapGet("/coaching/agent/{agent}", AgentAsync).RequireAuthorization();
        app.MapGet("/client", ClientAsync).RequireAuthorization();
        app.MapGet("/live", LiveAsync).RequireAuthorization();
        app.MapGet("/live/calls", LiveCallsAsync).RequireAuthorization();
        app.MapGet("/live/events", LiveEventsAsync).RequireAuthorization();
    }

    // ---- sign-in ------------------------------------------------------------------------------------------------

    private static IResult Login(HttpContext c, bool failed, int status = 200)
    {
        var ui = UiOf(c);
        var back = LocalPath(c.Request.Query["ReturnUrl"]) ?? "/";
        var body = new StringBuilder("<div class=\"login card\">")
            .Append(Inv, $"<h1>{E(ui["login.title"])}</h1><p class=\"muted\">{E(ui["app.tagline"])}</p>")
            .Append(failed ? $"<p class=\"error\" data-testid=\"login-error\">{E(ui["login.failed"])}</p>" : "")
            .Append(Inv, $"<form method=\"post\" action=\"{E(Url("/login", ("ReturnUrl", back)))}\">")
            .Append(Field(ui["login.user"], Input("user", null, extra: "autocomplete=\"username\" required autofocus")))
            .Append(Field(ui["login.password"], Input("password", null, "password", extra: "autocomplete=\"current-password\" required")))
            .Append(Inv, $"<button class=\"primary\" type=\"submit\" data-testid=\"login-submit\">{E(ui["login.submit"])}</button></form>")
            .Append(Inv, $"<p class=\"help\" style=\"margin-top:14px\">{E(ui["login.hint"])}</p></div>");
        return Page(c, ui, null, ui["login.title"], "", body.ToString(), status);
    }

    private static async Task<IResult> SignInAsync(HttpContext c, UserStore users)
    {
        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        var caller = users.SignIn(form["user"], form["password"]);
        if (caller is null) return Login(c, failed: true, StatusCodes.Status401Unauthorized);
        await c.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleAuth.Principal(caller));
        return Results.Redirect(LocalPath(c.Request.Query["ReturnUrl"]) ?? "/");
    }

    /// <summary>A path on this site (a redirect target from a request), or null.</summary>
    internal static string? LocalPath(string? path) =>
        path is { Length: > 0 } p && p[0] == '/' && (p.Length == 1 || (p[1] != '/' && p[1] != '\\')) ? p : null;

    private static IResult Denied(HttpContext c)
    {
        var ui = UiOf(c);
        return Page(c, ui, ConsoleAuth.CallerOf(c.User), ui["denied.title"], "",
            $"<div class=\"card empty\" data-testid=\"denied\"><h1>{E(ui["denied.title"])}</h1><p>{E(ui["denied.text"])}</p></div>", StatusCodes.Status403Forbidden);
    }

    private static IResult NotFound(HttpContext c, Caller caller)
    {
        var ui = UiOf(c);
        return Page(c, ui, caller, ui["notfound.title"], "explorer",
            $"<div class=\"card empty\" data-testid=\"not-found\"><h1>{E(ui["notfound.title"])}</h1><p>{E(ui["notfound.text"])}</p></div>", StatusCodes.Status404NotFound);
    }

    // ---- pages --------------------------------------------------------------------------------------------------

    private static async Task<IResult> ExplorerAsync(HttpContext c, ConsoleQueries queries, IOptions<WebConsoleOptions> options)
    {
        if (!Allowed(c, ReadKind.Conversation, out var caller, out var denied)) return denied;
        var q = c.Request.Query;
        var scope = caller.Scope(q["tenant"]);
        var filter = new ExplorerFilter
        {
            Tenant = scope.IsNothing ? ReportAccessNoTenant : scope.Tenant,
            Campaign = Str(q["campaign"]), Queue = Str(q["queue"]), Agent = Str(q["agent"]),
            From = Date(q["from"]), To = Date(q["to"]), Driver = Str(q["driver"]), Topic = Str(q["topic"]),
            Conversion = Str(q["conversion"]), IndexMin = Num(q["eimin"]), IndexMax = Num(q["eimax"]),
            AlertsOnly = q["alerts"] == "1", Text = Str(q["q"]), Page = (int)Math.Clamp(Num(q["page"]) ?? 0, 0, 100_000),
        };
        var sw = Stopwatch.StartNew();
        var choicesTask = queries.ChoicesAsync(filter.Tenant, c.RequestAborted);
        var (items, total) = await queries.SearchAsync(filter, options.Value.PageSize, c.RequestAborted);
        var ms = sw.Elapsed.TotalMilliseconds;
        var choices = await choicesTask;
        var ui = UiOf(c);
        var html = ExplorerPage.Render(ui, filter with { Tenant = caller.Tenant is null ? filter.Tenant : null }, caller.Tenant is null, choices, items, total, options.Value.PageSize, ms);
        return Page(c, ui, caller, ui["explorer.title"], "explorer", html);
    }

    private static async Task<IResult> ConversationAsync(HttpContext c, string id, ConsoleQueries queries)
    {
        if (!Allowed(c, ReadKind.Conversation, out var caller, out var denied)) return denied;
        var scope = caller.Scope(c.Request.Query["tenant"]);
        if (scope.IsNothing) return NotFound(c, caller);
        var ui = UiOf(c);
        var stored = await queries.ConversationAsync(scope.Tenant, id, c.RequestAborted);
        if (stored is not null)
            return Page(c, ui, caller, $"{ui["conv.title"]} {id}", "explorer", ConversationPage.Render(ui, stored));
        var (turns, alerts) = await queries.SoFarAsync(scope.Tenant, id, c.RequestAborted);
        if (turns.Count == 0) return NotFound(c, caller);
        return Page(c, ui, caller, $"{ui["conv.title"]} {id}", caller.MayRead(ReadKind.Live) ? "live" : "explorer", ConversationPage.RenderSoFar(ui, turns, alerts));
    }

    /// <summary>The analysis tables the coaching pages read (phase and behaviour gaps).</summary>
    private static readonly string[] CoachingReads = [StoreTables.Phases, StoreTables.Behaviours];

    /// <summary>The analysis tables the client dashboard reads (processes to review, memorable moments).</summary>
    private static readonly string[] ClientReads = [StoreTables.Drivers, StoreTables.MemorableMoments];

    private static async Task<IResult> CoachingAsync(HttpContext c, ConsoleQueries queries, ReportQueries reports)
    {
        if (!Allowed(c, ReadKind.AgentReport, out var caller, out var denied)) return denied;
        var q = c.Request.Query;
        var tenant = Scoped(caller, q["tenant"]);
        var p = await PeriodAsync(c, queries, tenant);
        var team = Str(q["team"]);
        var filter = new ReportFilter { Tenant = tenant, TeamId = team, From = p.Start, To = p.End, Period = p.Period, Examples = 3 };
        var choices = queries.ChoicesAsync(tenant, c.RequestAborted);
        var scope = await queries.ScopeAsync(tenant, p.Start, p.End, CoachingReads, c.RequestAborted);
        var teams = queries.TeamStatsAsync(scope, team, c.RequestAborted);
        var report = await queries.AgentReportAsync(filter, scope.Dirty, c.RequestAborted);
        var ui = UiOf(c);
        return Page(c, ui, caller, ui["coach.title"], "coaching", CoachingPage.Index(ui, p, team, (await choices).Teams, report, await teams));
    }

    private static async Task<IResult> AgentAsync(HttpContext c, string agent, ConsoleQueries queries, ReportQueries reports)
    {
        if (!Allowed(c, ReadKind.AgentReport, out var caller, out var denied)) return denied;
        var q = c.Request.Query;
        var tenant = Scoped(caller, q["tenant"]);
        var p = await PeriodAsync(c, queries, tenant);
        var team = Str(q["team"]) ?? "";
        var filter = new ReportFilter { Tenant = tenant, TeamId = team, AgentId = agent, From = p.Start, To = p.End, Period = p.Period, Examples = 3 };
        var weeksFrom = ReportQueries.PeriodStart(p.End, ReportPeriod.Week).AddDays(-7 * 11);
        var scope = await queries.ScopeAsync(tenant, weeksFrom < p.Start ? weeksFrom : p.Start, p.End, CoachingReads, c.RequestAborted);
        var weeks = queries.AgentWeeksAsync(scope with { From = weeksFrom }, team, agent, c.RequestAborted);
        var teamStats = queries.TeamStatsAsync(scope with { From = p.Start }, team, c.RequestAborted);
        var report = await queries.AgentReportAsync(filter, scope.Dirty, c.RequestAborted);
        var starts = Enumerable.Range(0, 12).Select(k => weeksFrom.AddDays(7 * k)).ToList();
        var ui = UiOf(c);
        var resolvedTenant = report.Stats.FirstOrDefault()?.Tenant ?? tenant ?? "";
        var html = CoachingPage.Agent(ui, p, resolvedTenant, team, agent, report, (await teamStats).FirstOrDefault()?.Stats, await weeks, starts);
        return Page(c, ui, caller, $"{ui["agent"]} {agent}", "coaching", html);
    }

    private static async Task<IResult> ClientAsync(HttpContext c, ConsoleQueries queries, ReportQueries reports)
    {
        if (!Allowed(c, ReadKind.ClientReport, out var caller, out var denied)) return denied;
        var q = c.Request.Query;
        var tenant = Scoped(caller, q["tenant"]);
        var period = q["period"] == "month" ? ReportPeriod.Month : ReportPeriod.Week;
        var to = Date(q["to"]) ?? await queries.LatestDateAsync(tenant, c.RequestAborted) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var from = Date(q["from"]) ?? (period == ReportPeriod.Month ? to.AddMonths(-11) : to.AddDays(-7 * 11));
        from = ReportQueries.PeriodStart(from, period);
        var campaign = Str(q["campaign"]);
        var ct = c.RequestAborted;
        var filter = new ReportFilter { Tenant = tenant, Campaign = campaign, From = from, To = to, Period = period };
        var scope = await queries.ScopeAsync(tenant, from, to, ClientReads, ct);
        var dirty = scope.Dirty;
        var qp = queries.QueuePeriodsAsync(scope, campaign, period, ct);
        var procs = queries.ProcessesAsync(tenant, campaign, from, to, dirty, ct);
        var moments = queries.MomentsAsync(tenant, campaign, from, to, 5, dirty, ct);
        var quality = queries.QualityAsync(filter, dirty, ct: ct);
        var choices = queries.ChoicesAsync(tenant, ct);
        await Task.WhenAll(qp, procs, moments, quality, choices);
        var data = new ClientData(qp.Result, procs.Result, moments.Result, quality.Result.Quadrants, quality.Result.QaPoints, quality.Result.Surveys);
        var ui = UiOf(c);
        return Page(c, ui, caller, ui["client.title"], "client", ClientPage.Render(ui, period, from, to, campaign, choices.Result.Campaigns, caller.Tenant is null, data));
    }

    private static async Task<IResult> LiveAsync(HttpContext c, ConsoleQueries queries, AlertFeed feed, IOptions<WebConsoleOptions> options)
    {
        if (!Allowed(c, ReadKind.Live, out var caller, out var denied)) return denied;
        var tenant = Scoped(caller, c.Request.Query["tenant"]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var calls = queries.InProgressAsync(tenant, options.Value.LiveWindowMinutes, c.RequestAborted);
        var alerts = queries.RecentAlertsAsync(tenant, options.Value.LiveWindowMinutes, c.RequestAborted);
        await Task.WhenAll(calls, alerts);
        var ui = UiOf(c);
        return Page(c, ui, caller, ui["live.title"], "live", LivePage.Render(ui, feed.State, now, calls.Result, alerts.Result, caller.Tenant is null));
    }

    private static async Task<IResult> LiveCallsAsync(HttpContext c, ConsoleQueries queries, IOptions<WebConsoleOptions> options)
    {
        if (!Allowed(c, ReadKind.Live, out var caller, out var denied)) return denied;
        var tenant = Scoped(caller, c.Request.Query["tenant"]);
        var calls = await queries.InProgressAsync(tenant, options.Value.LiveWindowMinutes, c.RequestAborted);
        return Results.Content(LivePage.Calls(UiOf(c), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), calls, caller.Tenant is null), "text/html; charset=utf-8");
    }

    /// <summary>Server-sent events: <c>ready</c> with the feed's state, then one <c>alert</c> per alert of the caller's tenant.</summary>
    private static async Task LiveEventsAsync(HttpContext c, AlertFeed feed)
    {
        if (!Allowed(c, ReadKind.Live, out var caller, out _))
        {
            c.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var scope = caller.Scope(null);
        var ui = UiOf(c);
        var since = long.TryParse(c.Request.Query["since"], NumberStyles.Integer, Inv, out var s) ? s : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        c.Response.Headers.ContentType = "text/event-stream";
        c.Response.Headers.CacheControl = "no-cache";
        c.Response.Headers["X-Accel-Buffering"] = "no";
        using var sub = feed.Subscribe(since);
        var ct = c.RequestAborted;
        await c.Response.WriteAsync($"event: ready\ndata: {{\"state\":\"{feed.State}\"}}\n\n", ct);
        await c.Response.Body.FlushAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    if (!await sub.Reader.WaitToReadAsync(wait.Token)) return;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Keep the connection open through proxies, and tell the page the feed's state.
                    await c.Response.WriteAsync($"event: ready\ndata: {{\"state\":\"{feed.State}\"}}\n\n", ct);
                    await c.Response.Body.FlushAsync(ct);
                    continue;
                }
                while (sub.Reader.TryRead(out var a))
                {
                    var tenant = a.Tenant ?? "default";
                    if (scope.Tenant is { } t && !string.Equals(t, tenant, StringComparison.Ordinal)) continue;
                    var json = JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["conversation_id"] = a.ConversationId, ["tenant"] = tenant, ["turn"] = a.Turn, ["rule"] = a.Rule,
                        ["rule_label"] = ui.Term(a.Rule), ["valence"] = a.Valence, ["alerted_at"] = a.AlertedAt, ["delay_ms"] = a.DelayMs,
                    });
                    await c.Response.WriteAsync($"event: alert\ndata: {json}\n\n", ct);
                }
                await c.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        var stream = type is null ? null : typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream("Emotion.Web.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>A tenant no conversation has: a request for a tenant the caller may not read runs with it and finds nothing.</summary>
    internal static readonly string ReportAccessNoTenant = "\u0001no tenant " + Guid.NewGuid().ToString("N");

    /// <summary>The tenant a read runs under (the caller's; for an admin over every tenant the one asked for, or null for all).</summary>
    internal static string? Scoped(Caller caller, string? requested)
    {
        var scope = caller.Scope(requested);
        return scope.IsNothing ? ReportAccessNoTenant : scope.Tenant;
    }

    private static bool Allowed(HttpContext c, ReadKind kind, out Caller caller, out IResult denied)
    {
        caller = ConsoleAuth.CallerOf(c.User)!;
        denied = Results.Empty;
        if (caller is not null && caller.MayRead(kind)) return true;
        denied = Denied(c);
        return false;
    }

    private static async Task<PeriodChoice> PeriodAsync(HttpContext c, ConsoleQueries queries, string? tenant)
    {
        var q = c.Request.Query;
        var period = q["period"] == "month" ? ReportPeriod.Month : ReportPeriod.Week;
        var at = Date(q["at"]) ?? await queries.LatestDateAsync(tenant, c.RequestAborted) ?? DateOnly.FromDateTime(DateTime.UtcNow);
        return new PeriodChoice(period, ReportQueries.PeriodStart(at, period));
    }

    internal static Ui UiOf(HttpContext c) => Ui.For(c.Request.Cookies["lang"]);

    private static IResult Page(HttpContext c, Ui ui, Caller? caller, string title, string active, string body, int status = 200)
    {
        var path = c.Request.Path + c.Request.QueryString;
        return Results.Content(Html.Page(ui, caller, title, active, body, path), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string? Str(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private static DateOnly? Date(string? v) =>
        DateOnly.TryParseExact(v, "yyyy-MM-dd", Inv, DateTimeStyles.None, out var d) ? d : null;

    private static double? Num(string? v) =>
        double.TryParse(v, NumberStyles.Float, Inv, out var d) && double.IsFinite(d) ? d : null;
}
