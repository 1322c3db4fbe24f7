using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Emotion.Host.Bench;
using Emotion.Host.Pipeline;
using Emotion.Sentiment;
using Emotion.Store;
using Spectre.Console;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion bench</c> command: the load benchmark through broker, model and ClickHouse.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var clickHouse = CommonOptions.ClickHouse();
        var model = new Option<string?>("--model") { Description = "Model directory. Default: " + SentimentOptions.DefaultModelDirectory + "." };
        var conversations = new Option<int>("--conversations") { Description = "Synthetic conversations per run.", DefaultValueFactory = _ => 1000 };
        var turns = new Option<int>("--turns") { Description = "Turns per conversation.", DefaultValueFactory = _ => 12 };
        var rates = new Option<string>("--rates")
        {
            Description = "Comma-separated target rates in segments/s; 0 = as fast as possible. 'max,half' runs at full speed, then at half the measured rate.",
            DefaultValueFactory = _ => "max,half",
        };
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic.", DefaultValueFactory = _ => 4 };
        var concurrent = new Option<int>("--concurrent") { Description = "Conversations in progress at once.", DefaultValueFactory = _ => 200 };
        var output = new Option<string?>("--output") { Description = "Write the results as JSON to this file." };
        var command = new Command("bench", "Load benchmark: N synthetic conversations through the broker, the model and ClickHouse; sustained segments/s and produce-to-visible latency.");
        foreach (var o in new Option[] { bootstrap, clickHouse, model, conversations, turns, rates, partitions, concurrent, output }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var servers = CommonOptions.ResolveBootstrap(parse.GetValue(bootstrap));
            if (Preflight.Kafka(servers, TimeSpan.FromSeconds(10)) is { } kafkaError)
            {
                Console.Error.WriteLine($"emotion bench: {kafkaError}");
                return 1;
            }
            var results = new List<LoadResult>();
            double? lastMax = null;
            var runId = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var steps = parse.GetValue(rates)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < steps.Length; i++)
            {
                double rate = steps[i] switch
                {
                    "max" => 0,
                    "half" => lastMax is { } m ? Math.Round(m / 2) : throw new ArgumentException("'half' needs a 'max' run before it"),
                    var s => double.Parse(s, CultureInfo.InvariantCulture),
                };
                var database = $"emotion_bench_{runId}_{i}";
                var cs = CommonOptions.ResolveClickHouse(parse.GetValue(clickHouse));
                cs = System.Text.RegularExpressions.Regex.IsMatch(cs, "Database=", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                    ? System.Text.RegularExpressions.Regex.Replace(cs, "Database=[^;]*", "Database=" + database, System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                    : cs.TrimEnd(';') + ";Database=" + database;
                var settings = new PipelineSettings(
                    servers, cs, CommonOptions.ResolveModelDir(parse.GetValue(model)), null,
                    $"bench-{runId}-{i}", $"bench{runId}r{i}.", new Dictionary<string, string?> { ["Logging:LogLevel:Emotion"] = "Warning" });
                var convs = SyntheticConversations.Generate(parse.GetValue(conversations), parse.GetValue(turns), seed: 42 + i, idPrefix: $"bench-{runId}-{i}");
                Console.Error.WriteLine($"run {i + 1}/{steps.Length}: {convs.Count} conversations, {convs.Sum(c => c.Turns.Count)} segments, target {(rate == 0 ? "max" : rate.ToString("0", CultureInfo.InvariantCulture) + "/s")}");
                var bench = new LoadBenchmark(settings, parse.GetValue(partitions), parse.GetValue(concurrent));
                var result = await bench.RunAsync(convs, rate, line => Console.Error.WriteLine("  " + line), ct);
                results.Add(result);
                if (rate == 0) lastMax = result.SustainedRate;
                using (var store = new ClickHouseStore(new ClickHouseOptions { ConnectionString = cs }))
                    await store.ExecuteInAsync("default", $"DROP DATABASE IF EXISTS {database}", ct);
            }
            Print(results);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), ct);
                Console.Error.WriteLine($"results written to {file}");
            }
            return 0;
        });
        return command;
    }

    private static void Print(IEnumerable<LoadResult> results)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("emotion bench");
        foreach (var h in new[] { "target/s", "segments", "produced/s", "sustained/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "alerts", "alert p99 ms" })
            t.AddColumn(new TableColumn(h).RightAligned());
        static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("0", CultureInfo.InvariantCulture);
        foreach (var r in results)
            t.AddRow(r.TargetRate == 0 ? "max" : F(r.TargetRate), r.Segments.ToString(CultureInfo.InvariantCulture), F(r.ProducedRate), F(r.SustainedRate),
                F(r.LatencyP50Ms), F(r.LatencyP90Ms), F(r.LatencyP99Ms), F(r.LatencyMaxMs), r.Alerts.ToString(CultureInfo.InvariantCulture), F(r.AlertDelayP99Ms));
        AnsiConsole.Write(t);
    }
}
