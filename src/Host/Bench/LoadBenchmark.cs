using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Emotion.Host.Pipeline;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Replay;
using Emotion.Privacy;
using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Emotion.Host.Bench;

/// <summary>What one load run measured.</summary>
public sealed record LoadResult(
    int Conversations,
    long Segments,
    double TargetRate,
    double ProducedRate,
    double SustainedRate,
    double ElapsedS,
    double LatencyP50Ms,
    double LatencyP90Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    long Alerts,
    double AlertDelayP50Ms,
    double AlertDelayP99Ms,
    long RowsInClickHouse);

/// <summary>
/// Drives synthetic conversations through the real broker, the pipeline (model included) and ClickHouse. The
/// producer runs in this process at a target rate (0 = as fast as it can); sustained throughput is segments divided by
/// the time from the first produce to the moment ClickHouse holds every utterance row (polled with count()).
/// Latency is per utterance row: from the segment's produced_at to the end of the INSERT that carried it.
/// </summary>
public sealed class LoadBenchmark(PipelineSettings settings, int partitions, int concurrent)
{
    public async Task<LoadResult> RunAsync(IReadOnlyList<ConversationRecord> conversations, double targetRate, Action<string> progress,
        CancellationToken ct)
    {
        var prefix = settings.TopicPrefix ?? throw new ArgumentException("the benchmark needs its own topic prefix");
        await TopicAdmin.EnsureAsync(settings.BootstrapServers,
            new[] { "transcripts", "events", "audio", "dlq", "alerts" }.Select(t => prefix + t).ToList(), partitions, ct);

        using var host = PipelineHost.Build(settings);
        await host.StartAsync(ct);
        var store = host.Services.GetRequiredService<ClickHouseStore>();
        await host.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
        var latencies = new ConcurrentQueue<double>();
        var alertDelays = new ConcurrentQueue<double>();
        var runner = new PipelineRunner(
            host.Services.GetRequiredService<IOptions<PipelineOptions>>().Value,
            host.Services.GetRequiredService<IOptions<KafkaOptions>>().Value,
            host.Services.GetRequiredService<ISentimentModel>(),
            host.Services.GetRequiredService<ConversationAnalyzer>(),
            store,
            host.Services.GetRequiredService<ILogger<PipelineRunner>>())
        {
            VisibleLatencies = latencies,
            AlertDelays = alertDelays,
            Privacy = host.Services.GetRequiredService<PrivacyPolicy>(),
        };
        // Warm the model before the clock starts (first ONNX Runtime call allocates).
        host.Services.GetRequiredService<ISentimentModel>().Predict([new SentimentInput("hola buenos días", "es")]);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pipeline = runner.RunAsync(null, stop.Token);
        // The clock starts once the pipeline consumes and its answer models are loaded: the latencies are those of a
        // running pipeline, not of a consumer still joining its group (restart times are measured apart, docs/pipeline.md).
        var joined = await Task.WhenAny(runner.Consuming, pipeline, Task.Delay(TimeSpan.FromSeconds(60), ct));
        if (joined == pipeline) await pipeline; // surfaces a failure to start
        if (joined != runner.Consuming) progress("the consumer got no partitions within 60 s; producing anyway");
        await host.Services.GetRequiredService<ConversationAnalyzer>().Ready;
        var total = conversations.Sum(c => c.Turns.Count);
        var clock = Stopwatch.StartNew();
        var produced = await Task.Run(() => Produce(conversations, prefix, targetRate, progress, ct), ct);
        var producedAt = clock.Elapsed.TotalSeconds;

        // Sustained throughput ends when ClickHouse holds every row. The writer reports each stored row (latencies),
        // so ClickHouse is asked as soon as that count is reached and otherwise once a second: polling it every 50 ms
        // while the pipeline writes would load the server the pipeline is measured against.
        long rows = 0;
        var lastAsked = clock.Elapsed;
        while (!ct.IsCancellationRequested)
        {
            if (latencies.Count >= total || clock.Elapsed - lastAsked >= TimeSpan.FromSeconds(1))
            {
                lastAsked = clock.Elapsed;
                rows = (await store.QueryAsync<CountRow>("SELECT uniqExact(segment_id) AS n FROM utterances", ct))[0].N;
                if (rows >= total) break;
            }
            if (pipeline.IsCompleted) await pipeline; // surfaces a failure
            await Task.Delay(20, ct);
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        try
        {
            await pipeline;
        }
        catch (OperationCanceledException)
        {
        }
        await host.StopAsync(CancellationToken.None);

        var sorted = latencies.OrderBy(x => x).ToArray();
        var alerts = alertDelays.OrderBy(x => x).ToArray();
        return new LoadResult(conversations.Count, produced, targetRate, produced / Math.Max(producedAt, 1e-9), total / elapsed, elapsed,
            Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted.Length > 0 ? sorted[^1] : double.NaN,
            alerts.Length, Percentile(alerts, 0.50), Percentile(alerts, 0.99), rows);
    }

    private long Produce(IReadOnlyList<ConversationRecord> conversations, string prefix, double rate, Action<string> progress, CancellationToken ct)
    {
        using var producer = new JsonMessageProducer(new KafkaOptions { BootstrapServers = settings.BootstrapServers, TopicPrefix = prefix, LingerMs = 2 });
        var transcripts = prefix + "transcripts";
        var events = prefix + "events";
        var clock = Stopwatch.StartNew();
        long segments = 0;
        var lastReport = 0L;
        // Conversations run in waves of 'concurrent' at once, their turns interleaved, like a contact center at load.
        for (var wave = 0; wave < conversations.Count; wave += concurrent)
        {
            var group = conversations.Skip(wave).Take(concurrent).ToList();
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var c in group)
                producer.Produce(events, ReplaySchedule.Message(c, new ReplayStep(TimeSpan.Zero, 0, ReplayStepKind.Started, 0), now));
            var maxTurns = group.Max(c => c.Turns.Count);
            for (var turn = 0; turn < maxTurns; turn++)
            {
                foreach (var c in group)
                {
                    if (turn >= c.Turns.Count) continue;
                    ct.ThrowIfCancellationRequested();
                    if (rate > 0)
                    {
                        var due = segments / rate;
                        var wait = due - clock.Elapsed.TotalSeconds;
                        if (wait > 0.001) Thread.Sleep(TimeSpan.FromSeconds(wait));
                    }
                    var msg = ReplaySchedule.Message(c, new ReplayStep(TimeSpan.Zero, 0, ReplayStepKind.Segment, turn), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                    Send(producer, transcripts, msg);
                    segments++;
                }
            }
            now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var c in group)
                producer.Produce(events, ReplaySchedule.Message(c, new ReplayStep(TimeSpan.Zero, 0, ReplayStepKind.Ended, 0), now));
            if (clock.ElapsedMilliseconds - lastReport > 1000)
            {
                lastReport = clock.ElapsedMilliseconds;
                progress($"produced {segments} segments ({segments / clock.Elapsed.TotalSeconds:0}/s)");
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        return segments;
    }

    private static void Send(JsonMessageProducer producer, string topic, IIngestMessage msg)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, msg);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record CountRow(long N);
}
