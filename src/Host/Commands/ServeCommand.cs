using System.CommandLine;
using Emotion.Ingest.Kafka;
using Emotion.Store;
using Emotion.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Emotion.Host.Commands;

/// <summary><c>emotion serve</c>: the web console (issue 11) on the same ClickHouse, signed in with the users of <c>emotion users</c>.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where Kestrel listens.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var clickHouse = CommonOptions.ClickHouse();
        var bootstrap = CommonOptions.BootstrapServers();
        var prefix = new Option<string?>("--topic-prefix") { Description = "Topic name prefix (live alerts are read from PREFIXalerts). Default: 'emotion.'." };
        var usersFile = ReportAccess.UsersFile();
        var command = new Command("serve", "The web console: conversation explorer, coaching, client dashboard and live view, in Spanish and English. Sign in with a user of 'emotion users' that has a password.");
        foreach (var o in new Option[] { urls, clickHouse, bootstrap, prefix, usersFile }) command.Options.Add(o);
        command.Subcommands.Add(Bench());
        command.SetAction(async (parse, ct) =>
        {
            string? kafka;
            try
            {
                kafka = CommonOptions.ResolveBootstrap(parse.GetValue(bootstrap));
            }
            catch (InvalidOperationException)
            {
                kafka = null;
                Console.Error.WriteLine("emotion serve: no Kafka bootstrap servers (--bootstrap-servers, EMOTION_BOOTSTRAP_SERVERS or a local broker); the live view shows alerts from ClickHouse only.");
            }
            var settings = new WebConsoleSettings(
                parse.GetValue(urls)!,
                CommonOptions.ResolveClickHouse(parse.GetValue(clickHouse)),
                ReportAccess.ResolveUsersFile(parse.GetValue(usersFile)),
                kafka,
                (parse.GetValue(prefix) ?? Topics.DefaultPrefix) + "alerts",
                Path.Combine(CommonOptions.LocalDir, "console", "keys"),
                CommonOptions.FindRepoRoot());
            await using var app = WebConsoleHost.Build(settings);
            var store = app.Services.GetRequiredService<ClickHouseStore>();
            if (!await store.PingAsync(ct))
            {
                Console.Error.WriteLine($"emotion serve: cannot reach ClickHouse at {settings.ClickHouse.Split(";Username", 2)[0]}. Start it with scripts/clickhouse.sh start, or pass --clickhouse / set EMOTION_CLICKHOUSE.");
                return 1;
            }
            await app.StartAsync(ct);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.Error.WriteLine($"emotion serve: console on {string.Join(", ", addresses)} (ClickHouse database '{store.Database}', users {settings.UsersFile})");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM.
            }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    /// <summary><c>emotion serve bench</c>: seeds synthetic conversations and measures each page's server time (BENCHMARKS.md, "Web console").</summary>
    private static Command Bench()
    {
        var clickHouse = CommonOptions.ClickHouse();
        var database = new Option<string>("--database") { Description = "Database to seed and read (created and migrated).", DefaultValueFactory = _ => "emotion_console_bench" };
        var conversations = new Option<int>("--conversations") { Description = "Conversations to seed (0: keep what the database has).", DefaultValueFactory = _ => 100_000 };
        var turns = new Option<int>("--turns") { Description = "Turns per seeded conversation.", DefaultValueFactory = _ => 15 };
        var requests = new Option<int>("--requests") { Description = "Requests per page (after 3 warm-up requests).", DefaultValueFactory = _ => 40 };
        var output = new Option<string?>("--output") { Description = "Write the results as JSON to this file." };
        var command = new Command("bench", "Seeds synthetic conversations into a ClickHouse database (no model, no Kafka) and measures each console page's server time (p50/p95).");
        foreach (var o in new Option[] { clickHouse, database, conversations, turns, requests, output }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var cs = CommonOptions.ResolveClickHouse(parse.GetValue(clickHouse));
            var db = parse.GetValue(database)!;
            using var store = new ClickHouseStore(new ClickHouseOptions { ConnectionString = cs, Database = db });
            var n = parse.GetValue(conversations);
            if (n > 0)
            {
                await store.ExecuteInAsync("default", $"DROP DATABASE IF EXISTS {db}", ct);
                await new Migrator(store).MigrateAsync(ct);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                await Emotion.Host.Bench.ConsoleSeed.SeedAsync(store, n, parse.GetValue(turns), 20251128,
                    done => Console.Error.Write($"\rseeded {done:#,0} / {n:#,0} conversations"), ct);
                Console.Error.WriteLine($"\nseeded {n:#,0} conversations in {sw.Elapsed.TotalSeconds:0} s; merging parts");
                foreach (var t in new[] { "conversations", "utterances", "conversation_phases", "conversation_drivers", "agent_behaviours", "memorable_moments", "alerts", "conversation_events" })
                    await store.ExecuteAsync($"OPTIMIZE TABLE {t} FINAL", ct);
            }
            else
            {
                // A database seeded by an older build gets the migrations it lacks (0008 fills the console's read tables).
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var migrated = await new Migrator(store).MigrateAsync(ct);
                if (migrated.Applied.Count > 0)
                    Console.Error.WriteLine($"migrated {db}: {string.Join(", ", migrated.Applied.Select(m => $"{m.Version:D4}_{m.Name}"))} in {sw.Elapsed.TotalSeconds:0} s");
            }
            var counts = await store.QueryAsync<CountRow>("SELECT (SELECT count() FROM conversations) AS conversations, (SELECT count() FROM utterances) AS utterances", ct);
            Console.Error.WriteLine($"database {db}: {counts[0].Conversations:#,0} conversations, {counts[0].Utterances:#,0} utterances");
            var results = await Emotion.Host.Bench.ConsoleBench.MeasureAsync(cs, db, parse.GetValue(requests), Console.Out, ct);
            if (parse.GetValue(output) is { Length: > 0 } file)
                await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(new { counts[0].Conversations, counts[0].Utterances, Pages = results }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), ct);
            return 0;
        });
        return command;
    }

    private sealed record CountRow(long Conversations, long Utterances);
}
