using System.Diagnostics;
using System.Globalization;
using System.Net;
using Emotion.Access;
using Emotion.Store;
using Emotion.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Emotion.Host.Bench;

/// <summary>One measured page: server time (the Server-Timing header) and the time the client waited, per request.</summary>
internal sealed record PageTiming(string Page, string Role, int Requests, double ServerP50, double ServerP95, double ServerMax, double ClientP95, int Bytes);

/// <summary>
/// <c>emotion serve bench</c>: seeds a database with synthetic conversations (<see cref="ConsoleSeed"/>), starts the
/// console on it and requests every page as the role that uses it, timing each request on the server.
/// </summary>
internal static class ConsoleBench
{
    public static async Task<List<PageTiming>> MeasureAsync(string clickHouse, string database, int requests, TextWriter log, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "emotion-console-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var users = new UserStore(Path.Combine(dir, "users.json"));
            foreach (var (name, role) in new[] { ("qa", Role.QaAnalyst), ("coach", Role.Coach), ("client", Role.Client), ("supervisor", Role.Supervisor) })
            {
                users.Add(name, role, "banco-andino");
                users.SetPassword(name, "bench-password");
            }
            users.Add("admin", Role.Admin, null);
            users.SetPassword("admin", "bench-password");
            var cs = System.Text.RegularExpressions.Regex.IsMatch(clickHouse, "Database=", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                ? System.Text.RegularExpressions.Regex.Replace(clickHouse, "Database=[^;]*", "Database=" + database, System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                : clickHouse.TrimEnd(';') + ";Database=" + database;
            await using var app = WebConsoleHost.Build(new WebConsoleSettings("http://127.0.0.1:0", cs, users.Path, null, KeysDirectory: Path.Combine(dir, "keys")));
            await app.StartAsync(ct);
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var store = app.Services.GetRequiredService<ClickHouseStore>();
            var ids = (await store.QueryAsync<IdRow>("SELECT conversation_id FROM conversations WHERE tenant = 'banco-andino' ORDER BY cityHash64(conversation_id) LIMIT 200", ct)).Select(r => r.ConversationId).ToList();
            var agent = (await store.QueryAsync<AgentRow>("SELECT agent_id, team_id FROM conversations WHERE tenant = 'banco-andino' GROUP BY agent_id, team_id ORDER BY count() DESC LIMIT 1", ct))[0];

            var results = new List<PageTiming>();
            var k = 0;
            var pages = new (string Page, string Role, Func<string> Path)[]
            {
                ("explorer (newest)", "qa", () => "/conversations"),
                ("explorer (filters)", "qa", () => "/conversations?campaign=reclamos&driver=process&conversion=not_converted&eimax=60"),
                ("explorer (text search, 6 months)", "qa", () => "/conversations?q=" + Uri.EscapeDataString(Words[k++ % Words.Length])),
                ("explorer (text search, every tenant)", "admin", () => "/conversations?q=" + Uri.EscapeDataString(Words[k++ % Words.Length])),
                ("conversation", "qa", () => "/conversation/" + ids[k++ % ids.Count]),
                ("coaching (team, week)", "coach", () => "/coaching"),
                ("coaching (agent)", "coach", () => $"/coaching/agent/{agent.AgentId}?team={agent.TeamId}"),
                ("client dashboard (12 weeks)", "client", () => "/client"),
                ("client dashboard (months)", "client", () => "/client?period=month&from=" + DateTime.UtcNow.AddMonths(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ("live", "supervisor", () => "/live"),
            };
            var clients = new Dictionary<string, HttpClient>();
            try
            {
                foreach (var role in pages.Select(p => p.Role).Distinct())
                {
                    var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
                    using var login = await http.PostAsync("/login", new FormUrlEncodedContent([new("user", role), new("password", "bench-password")]), ct);
                    if (login.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"bench: {role} could not sign in ({login.StatusCode})");
                    clients[role] = http;
                }
                foreach (var (page, role, path) in pages)
                {
                    var server = new List<double>();
                    var client = new List<double>();
                    var bytes = 0;
                    for (var i = 0; i < requests + 3; i++)
                    {
                        var sw = Stopwatch.StartNew();
                        using var response = await clients[role].GetAsync(path(), ct);
                        var body = await response.Content.ReadAsByteArrayAsync(ct);
                        sw.Stop();
                        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"bench: {page} answered {(int)response.StatusCode}");
                        if (i < 3) continue; // warm-up
                        var timing = response.Headers.TryGetValues("Server-Timing", out var v) ? v.First() : "app;dur=NaN";
                        server.Add(double.Parse(timing[(timing.IndexOf('=', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture));
                        client.Add(sw.Elapsed.TotalMilliseconds);
                        bytes = body.Length;
                    }
                    var r = new PageTiming(page, role, server.Count, Pct(server, 0.5), Pct(server, 0.95), server.Max(), Pct(client, 0.95), bytes);
                    results.Add(r);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page,-40} {role,-11} p50 {r.ServerP50,7:0.0} ms  p95 {r.ServerP95,7:0.0} ms  max {r.ServerMax,7:0.0} ms  (client p95 {r.ClientP95:0.0} ms, {r.Bytes / 1024.0:0} KiB)"));
                }
            }
            finally
            {
                foreach (var c in clients.Values) c.Dispose();
            }
            await app.StopAsync(ct);
            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static readonly string[] Words = ["cobraron dos veces", "factura", "gracias", "no me soluciona", "internet", "tarjeta", "reclamo", "la cuenta"];

    private static double Pct(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private sealed record IdRow(string ConversationId);

    private sealed record AgentRow(string AgentId, string TeamId);
}
