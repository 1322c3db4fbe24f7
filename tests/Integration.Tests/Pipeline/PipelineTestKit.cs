using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Emotion.Host.Pipeline;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Replay;
using Emotion.Integration.Tests.Store;
using Emotion.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>
/// One isolated pipeline environment on the real servers: its own topics (GUID prefix) on the broker the test script
/// started, its own ClickHouse database, and the shipped model.
/// </summary>
internal sealed class PipelineEnv : IAsyncDisposable
{
    private static readonly string[] Topics = ["transcripts", "events", "audio", "dlq", "alerts"];
    private readonly List<ClickHouseStore> _stores = [];

    public PipelineEnv(string bootstrap)
    {
        Bootstrap = bootstrap;
        Prefix = $"t{Guid.NewGuid():N}.";
        TopicAdmin.EnsureAsync(bootstrap, Topics.Select(t => Prefix + t).ToList(), 4).GetAwaiter().GetResult();
    }

    public string Bootstrap { get; }
    public string Prefix { get; }

    public static string ModelDir =>
        Path.Combine(Emotion.Host.Commands.CommonOptions.FindRepoRoot() ?? throw new InvalidOperationException("repository root not found"), Emotion.Sentiment.SentimentOptions.DefaultModelDirectory);

    /// <summary>A connection string for a new database of this environment (dropped at dispose).</summary>
    public string NewDatabase(out ClickHouseStore store)
    {
        var db = "emotion_test_" + Guid.NewGuid().ToString("N");
        store = new ClickHouseStore(new ClickHouseOptions { ConnectionString = TestDatabase.ConnectionString, Database = db, RetryCount = 2 });
        _stores.Add(store);
        var cs = TestDatabase.ConnectionString;
        return System.Text.RegularExpressions.Regex.IsMatch(cs, "Database=", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            ? System.Text.RegularExpressions.Regex.Replace(cs, "Database=[^;]*", "Database=" + db, System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            : cs.TrimEnd(';') + ";Database=" + db;
    }

    public PipelineSettings Settings(string clickHouse, string group) =>
        new(Bootstrap, clickHouse, ModelDir, null, group, Prefix, new Dictionary<string, string?>
        {
            ["Kafka:SessionTimeoutMs"] = "6000",
            ["Kafka:HeartbeatIntervalMs"] = "500",
            ["Kafka:AutoCommitIntervalMs"] = "200",
            ["Pipeline:EndGraceS"] = "1",
        });

    /// <summary>Runs the pipeline in this process until it has been idle for <paramref name="idle"/>.</summary>
    public async Task<PipelineRunner> RunUntilIdleAsync(string clickHouse, string group, TimeSpan idle, TimeSpan timeout)
    {
        using var host = PipelineHost.Build(Settings(clickHouse, group));
        await host.StartAsync();
        await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        var runner = host.Services.GetRequiredService<PipelineRunner>();
        using var cts = new CancellationTokenSource(timeout);
        await runner.RunAsync(idle, cts.Token);
        Assert.False(cts.IsCancellationRequested, $"the pipeline did not go idle within {timeout.TotalSeconds} s");
        await host.StopAsync();
        return runner;
    }

    /// <summary>Produces whole conversations as <c>emotion replay --speed 0</c> does.</summary>
    public void Produce(IReadOnlyList<ConversationRecord> conversations)
    {
        using var producer = new JsonMessageProducer(new KafkaOptions { BootstrapServers = Bootstrap, TopicPrefix = Prefix, LingerMs = 5 });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var step in ReplaySchedule.Build(conversations, speed: 0))
        {
            var message = ReplaySchedule.Message(conversations[step.Conversation], step, now);
            var topic = step.Kind == ReplayStepKind.Segment ? Prefix + "transcripts" : Prefix + "events";
            producer.Produce(topic, message);
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    public static async Task<List<JsonElement>> QueryAsync(ClickHouseStore store, string sql) => await store.QueryAsync<JsonElement>(sql);

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s: {what()}");
            Thread.Sleep(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _stores)
        {
            try
            {
                await s.ExecuteInAsync("default", $"DROP DATABASE IF EXISTS {s.Database}");
            }
            finally
            {
                s.Dispose();
            }
        }
        // Topics are not deleted: the embedded broker has no controller for DeleteTopics, and GUID names keep tests apart.
    }
}
