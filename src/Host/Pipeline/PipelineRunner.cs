using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;
using Emotion.Ingest.Kafka;
using Emotion.Privacy;
using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Emotion.Host.Pipeline;

/// <summary>
/// <c>emotion run</c>: composes the stages, each a unit of its own — consume (<see cref="SegmentConsumer"/>) ->
/// (bounded channel) -> score (<see cref="SegmentScorer"/>) and track/finalize (<see cref="ConversationStage"/>, which
/// raises alerts through <see cref="AlertPublisher"/>) -> (bounded channel) -> write and commit
/// (<see cref="StoreWriter"/>). A Kafka offset is marked done only when every row its message contributes to is in
/// ClickHouse, so a restart re-reads every conversation that was not finished; the ledger makes the re-read of a
/// finished one harmless.
/// </summary>
public sealed class PipelineRunner
{
    private static readonly ActivitySource s_activity = new("Emotion.Pipeline");

    private readonly PipelineOptions _options;
    private readonly KafkaOptions _kafka;
    private readonly ISentimentModel _model;
    private readonly ConversationAnalyzer _analyzer;
    private readonly ClickHouseStore _store;
    private readonly ILogger _log;
    private readonly ILoggerFactory? _loggers;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<IReadOnlyList<TopicPartition>> _revoked = new();
    private readonly ConcurrentQueue<FinalizedSummary> _summaries = new();
    private ConversationStage? _stage;
    private AlertPublisher? _alerts;
    private long _lastInputMs;

    public PipelineRunner(PipelineOptions options, KafkaOptions kafka, ISentimentModel model, ConversationAnalyzer analyzer,
        ClickHouseStore store, ILogger? logger = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        _options = options;
        _kafka = kafka;
        _model = model;
        _analyzer = analyzer;
        _store = store;
        _log = logger ?? NullLogger.Instance;
        _loggers = loggers;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Segments taken in so far.</summary>
    public long SegmentsScored => _stage?.SegmentCount ?? 0;

    /// <summary>Conversations finalized and written so far.</summary>
    public long ConversationsFinalized => _stage?.FinalizedCount ?? 0;

    /// <summary>Live alerts sent so far.</summary>
    public long AlertsSent => _alerts?.Sent ?? 0;

    /// <summary>Latencies (ms) from produce to visible in ClickHouse, per utterance row written; for benchmarks.</summary>
    public ConcurrentQueue<double>? VisibleLatencies { get; init; }

    /// <summary>Completes when the consumer is first assigned partitions (the run has joined its group).</summary>
    public Task Consuming => _consuming.Task;

    private readonly TaskCompletionSource _consuming = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Alert delays (ms) from produce to alert sent; for benchmarks.</summary>
    public ConcurrentQueue<double>? AlertDelays { get; init; }

    /// <summary>Finalized conversations, when <see cref="KeepSummaries"/> is set.</summary>
    public IReadOnlyCollection<FinalizedSummary> Summaries => _summaries;

    /// <summary>Keep <see cref="Summaries"/> (for a table at exit). Off by default: a long run would keep every conversation.</summary>
    public bool KeepSummaries { get; init; }

    /// <summary>Redaction rules the consumer applies before anything else sees a message (null: every type redacted for every tenant).</summary>
    public PrivacyPolicy? Privacy { get; init; }

    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled, or, with <paramref name="exitWhenIdle"/>, until messages have
    /// been seen, every conversation is finalized and no message came for that long. On the way out the scoring loop
    /// stops taking messages, the writer flushes, and only then the consumer commits and closes: nothing done is lost,
    /// and what was not done is read again next time.
    /// </summary>
    public async Task RunAsync(TimeSpan? exitWhenIdle, CancellationToken ct)
    {
        var input = Channel.CreateBounded<IngestEnvelope>(new BoundedChannelOptions(_options.InputCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        var writes = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(_options.WriteCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        using var producer = new JsonMessageProducer(_kafka);
        using var consumer = new SegmentConsumer(_kafka, input.Writer, producer, _loggers?.CreateLogger<SegmentConsumer>(), privacy: Privacy);
        consumer.PartitionsRevoked += p => _revoked.Enqueue(p);
        consumer.PartitionsLost += p => _revoked.Enqueue(p);
        consumer.PartitionsAssigned += p =>
        {
            _log.LogInformation("Consuming {Count} partitions", p.Count);
            if (p.Count > 0) _consuming.TrySetResult();
        };

        _alerts = new AlertPublisher(new KafkaAlertSink(producer, _kafka.TopicPrefix + Topics.Alerts), _time) { Delays = AlertDelays };
        _stage = new ConversationStage(_options, _analyzer, new ClickHouseConversationLedger(_store, _model.EmotionLabels), _alerts,
            _model.Version, _model.EmotionLabels, _log, _time)
        {
            Finalized = KeepSummaries ? _summaries.Enqueue : null,
            InputTopics = _kafka.ResolvedInputTopics,
            CaughtUp = consumer.CaughtUp,
        };
        var scorer = new SegmentScorer(_model);
        var stage = _stage;
        var writer = new StoreWriter(_options, new ClickHouseRowSink(_store), p => consumer.MarkDone(p.Topic, p.Partition, p.Offset), _time)
        {
            VisibleLatencies = VisibleLatencies,
            Written = b => stage.OnWritten(b.Finalized),
            Log = _log,
        };

        using var stopLoop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A stop flushes what is pending; if ClickHouse is down the flush would wait the outage out, so a stop gives
        // it ShutdownGraceS and then abandons it (those offsets stay uncommitted and are read again next time).
        using var abortWrites = new CancellationTokenSource();
        using var onStop = ct.Register(() =>
        {
            _log.LogInformation("Stopping: flushing what is written so far (at most {Grace} s), then committing offsets and leaving the group", _options.ShutdownGraceS);
            abortWrites.CancelAfter(TimeSpan.FromSeconds(_options.ShutdownGraceS));
        });
        _lastInputMs = Now();
        _log.LogInformation("Joining consumer group {Group} on {Topics}; a member that stopped without leaving holds its partitions until its session timeout ({Timeout} s)",
            _kafka.GroupId, string.Join(", ", _kafka.ResolvedInputTopics), _kafka.SessionTimeoutMs / 1000.0);
        consumer.Start(CancellationToken.None); // stopped explicitly, after the writer has flushed
        var writing = Task.Run(() => writer.RunAsync(writes.Reader, abortWrites.Token), CancellationToken.None);
        var loop = Task.Run(() => ScoreLoopAsync(input.Reader, writes.Writer, scorer, _stage, consumer.IsCurrent, exitWhenIdle, stopLoop.Token), CancellationToken.None);

        // The learned answer models load on the thread pool while the consumer joins and scoring starts (Microsoft.ML
        // takes seconds at start-up; only a finalization needs them, and it waits for them).
        var answers = AwaitAnswerModelsAsync(stopLoop.Token);

        // Stop everything when the consumer dies (fatal Kafka error), the writer fails (ClickHouse gone past retries) or
        // the answer models cannot be loaded.
        var first = await Task.WhenAny(loop, writing, consumer.Completion, answers).ConfigureAwait(false);
        if (first == writing)
        {
            // Nobody reads the write channel any more: closing it makes a loop blocked on a full channel fail, not hang.
            writes.Writer.TryComplete(writing.Exception?.GetBaseException() ?? new InvalidOperationException("the ClickHouse writer stopped"));
        }
        if (first != loop) await stopLoop.CancelAsync().ConfigureAwait(false);
        Exception? failure = _analyzer.Ready.IsFaulted ? _analyzer.Ready.Exception!.GetBaseException() : null;
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopLoop.IsCancellationRequested)
        {
            // A requested stop.
        }
        catch (Exception ex)
        {
            failure ??= ex is ChannelClosedException && writing.IsFaulted ? writing.Exception!.GetBaseException() : ex;
        }
        writes.Writer.TryComplete();
        try
        {
            await writing.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abortWrites.IsCancellationRequested)
        {
            _log.LogWarning("Stopped before ClickHouse took the last writes; their messages are read again by the next run");
        }
        catch (Exception ex)
        {
            failure ??= ex;
        }
        consumer.Stop();
        producer.Flush(TimeSpan.FromSeconds(10));
        if (consumer.Completion.IsFaulted) failure ??= consumer.Completion.Exception!.GetBaseException();
        if (failure is not null) throw new InvalidOperationException($"The pipeline stopped: {failure.Message}", failure);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Completes only when the analyzer's answer models failed to load (so that the run stops with the reason at once,
    /// not at its first finalization) or when <paramref name="ct"/> stops the run; logs when they are loaded.
    /// </summary>
    private async Task AwaitAnswerModelsAsync(CancellationToken ct)
    {
        var started = Now();
        var ready = _analyzer.Ready;
        if (!ready.IsCompleted)
        {
            try
            {
                await ready.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                return; // faulted: RunAsync reads the reason from the analyzer
            }
            _log.LogInformation("Answer models {Version} loaded ({Ms} ms after the consumer started)", _analyzer.Answers?.Version, Now() - started);
        }
        if (ready.IsFaulted) return;
        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the run stops
        }
    }

    private async Task ScoreLoopAsync(ChannelReader<IngestEnvelope> input, ChannelWriter<WriteBatch> writes, SegmentScorer scorer,
        ConversationStage stage, Func<IngestEnvelope, bool> isCurrent, TimeSpan? exitWhenIdle, CancellationToken ct)
    {
        var batch = new List<IngestEnvelope>(_options.MaxBatch);
        var seenAny = false;
        var lastProgressMs = Now();
        var timings = new LoopTimings(_log);
        while (!ct.IsCancellationRequested)
        {
            batch.Clear();
            timings.Start();
            bool completed;
            try
            {
                completed = !await FillBatchAsync(input, batch, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break; // stopping: what is in the channel and not done is read again next time
            }
            while (_revoked.TryDequeue(out var revoked))
            {
                var dropped = stage.Revoke(revoked.Select(p => (p.Topic, p.Partition.Value)).ToList());
                if (dropped > 0) _log.LogInformation("Partitions revoked: dropped {Count} conversations in progress (the next owner re-reads them)", dropped);
            }
            // Messages read before their partition was revoked are read again by its owner: a partial conversation
            // must not start from them here.
            var stale = batch.RemoveAll(e => !isCurrent(e));
            if (stale > 0) _log.LogInformation("Dropped {Count} messages read before their partitions were revoked (their owner reads them again)", stale);
            var now = Now();
            var output = new WriteBatch();
            timings.Lap(LoopTimings.Phase.Wait);
            if (batch.Count > 0)
            {
                seenAny = true;
                _lastInputMs = now;
                timings.Took(batch);
                using var activity = s_activity.StartActivity("score-batch");
                activity?.SetTag("batch.size", batch.Count);
                var predictions = scorer.Score(batch);
                timings.Lap(LoopTimings.Phase.Score);
                await stage.ProcessAsync(batch, predictions, output, now, CancellationToken.None).ConfigureAwait(false);
                timings.Lap(LoopTimings.Phase.Process);
            }
            await stage.CollectAsync(output, now, CancellationToken.None).ConfigureAwait(false);
            timings.Lap(LoopTimings.Phase.Collect);
            // Not cancellable: the writer drains its channel before it stops, so this batch is still written.
            if (!output.IsEmpty) await writes.WriteAsync(output, CancellationToken.None).ConfigureAwait(false);
            timings.Lap(LoopTimings.Phase.Handoff);
            timings.ReportIfDue(stage.ActiveCount, stage.UnwrittenCount, force: completed);
            if (completed) break;
            if (exitWhenIdle is { } idle && seenAny && stage.ActiveCount == 0 && now - _lastInputMs >= idle.TotalMilliseconds)
            {
                timings.ReportIfDue(stage.ActiveCount, stage.UnwrittenCount, force: true);
                _log.LogInformation("Idle for {Idle:0.#} s with every conversation finalized: stopping ({Finalized} conversations, {Segments} segments)",
                    idle.TotalSeconds, stage.FinalizedCount, stage.SegmentCount);
                break;
            }
            if (now - lastProgressMs >= ProgressEveryMs)
            {
                lastProgressMs = now;
                LogProgress(stage, now);
            }
        }
    }

    private const long ProgressEveryMs = 30_000;

    /// <summary>A line every half minute: what was done, what is in progress, and what the oldest conversations wait for.</summary>
    private void LogProgress(ConversationStage stage, long now)
    {
        if (!_log.IsEnabled(LogLevel.Information)) return;
        var waiting = stage.ActiveCount > 0 ? "; waiting longest: " + string.Join("; ", stage.DescribeWaiting(now)) : "";
        _log.LogInformation("Progress: {Segments} segments, {Finalized} conversations finalized, {Active} in progress, last message {Quiet} s ago{Waiting}",
            stage.SegmentCount, stage.FinalizedCount, stage.ActiveCount, (now - _lastInputMs) / 1000, waiting);
    }

    /// <summary>Waits for one message (or a tick, so idle conversations are still finalized), then takes what comes within the batch wait.</summary>
    private async Task<bool> FillBatchAsync(ChannelReader<IngestEnvelope> input, List<IngestEnvelope> batch, CancellationToken ct)
    {
        using (var tick = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            tick.CancelAfter(TimeSpan.FromMilliseconds(250));
            try
            {
                if (!await input.WaitToReadAsync(tick.Token).ConfigureAwait(false)) return false;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return true;
            }
        }
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * _options.BatchWaitMs / 1000;
        while (batch.Count < _options.MaxBatch)
        {
            if (input.TryRead(out var e))
            {
                batch.Add(e);
                continue;
            }
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0) break;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(TimeSpan.FromTicks(Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            try
            {
                if (!await input.WaitToReadAsync(wait.Token).ConfigureAwait(false)) break;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
        }
        return true;
    }
}
