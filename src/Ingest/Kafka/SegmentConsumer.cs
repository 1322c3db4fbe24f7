using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Privacy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Emotion.Ingest.Kafka;

/// <summary>A decoded message and where it was read; pass it back to <see cref="SegmentConsumer.MarkDone(IngestEnvelope)"/> once its effects are durable.</summary>
/// <param name="TimestampMs">The Kafka message timestamp (Unix epoch ms).</param>
/// <param name="MayBeReread">The message was already in its partition when the partition was assigned (between the committed
/// offset, or the start when none, and the end at that moment): an earlier run (or member) may have read it and finalized
/// its conversation.</param>
/// <param name="Epoch">How many times its partition had been revoked or lost when it was read; see <see cref="SegmentConsumer.IsCurrent"/>.</param>
public sealed record IngestEnvelope(
    IIngestMessage Message,
    string Topic,
    int Partition,
    long Offset,
    long TimestampMs,
    string? MessageId,
    string? TraceParent,
    bool MayBeReread = false,
    int Epoch = 0);

/// <summary>
/// The pipeline's Kafka consumer. A dedicated thread runs the blocking consume loop (confluent-kafka-dotnet's
/// recommended shape): each message is decoded; a valid one is written to the output channel (waiting while it is
/// full: backpressure reaches Kafka), an invalid one goes to the dead-letter topic and the loop goes on. Offsets are
/// committed by librdkafka's auto-commit, but only offsets this class stores: <see cref="MarkDone(string,int,long)"/>
/// marks a message durable, and the offset after the longest done prefix of each partition is stored
/// (<see cref="OffsetTracker"/>). Only fatal client errors stop the loop (<see cref="Completion"/> faults).
/// </summary>
/// <remarks>
/// Rebalance callbacks (<see cref="PartitionsAssigned"/>, <see cref="PartitionsRevoked"/>, <see cref="PartitionsLost"/>) run
/// on the consume thread. In <see cref="PartitionsRevoked"/> the pipeline may flush and call <see cref="MarkDone(string,int,long)"/>
/// synchronously; when the handler returns, librdkafka commits the stored offsets of the revoked partitions and the tracker
/// forgets them (later done marks for them are ignored: the next owner re-reads from the committed offset).
/// While the consume thread waits on a full channel it does not poll, so <see cref="KafkaOptions.MaxPollIntervalMs"/> must
/// exceed the longest downstream stall; past it the member leaves the group and its partitions are reassigned.
/// </remarks>
public sealed class SegmentConsumer : IDisposable
{
    private static readonly Meter s_meter = new("Emotion.Ingest");
    private static readonly Counter<long> s_consumed = s_meter.CreateCounter<long>("emotion.ingest.consumed", description: "Messages read from Kafka");
    private static readonly Counter<long> s_deadLettered = s_meter.CreateCounter<long>("emotion.ingest.dead_lettered", description: "Messages sent to the DLQ");

    private readonly KafkaOptions _options;
    private readonly ChannelWriter<IngestEnvelope> _output;
    private readonly MessageDecoder _decoder;
    private readonly JsonMessageProducer _dlqProducer;
    private readonly bool _ownsProducer;
    private readonly bool _completeOutput;
    private readonly ILogger _log;
    private readonly PrivacyPolicy _privacy;
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Per assigned partition, the end offset at assignment: messages below it may have been read before (see
    // IngestEnvelope.MayBeReread). Only touched on the consume thread.
    private readonly Dictionary<TopicPartition, long> _rereadUntil = [];
    private long _brokersDownSinceMs;
    // Per partition, how many times it was revoked or lost: an envelope read before that is stale (see IsCurrent).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, int> _epochs = new();
    // Per partition: the offset reading started from at assignment, the next offset after the last message consumed
    // (dead letters included), and after the last one handed to the pipeline. For CaughtUp; written on the consume thread.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, long> _startAt = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, long> _consumedNext = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, long> _handedNext = new();
    private Thread? _thread;
    private volatile bool _leaveAbandoned;
    private long _consumedCount;
    private long _deadLetterCount;
    private long _deadLetterFailures;
    private int _disposed;

    /// <param name="output">Where decoded messages go; completed when the loop ends if <paramref name="completeOutput"/>.</param>
    /// <param name="deadLetterProducer">Producer for dead letters; null: one is created from <paramref name="options"/> and owned.</param>
    /// <param name="privacy">Redaction of transcript text and dead letters; null: <see cref="PrivacyPolicy.Default"/> (everything redacted).</param>
    public SegmentConsumer(
        KafkaOptions options,
        ChannelWriter<IngestEnvelope> output,
        JsonMessageProducer? deadLetterProducer = null,
        ILogger<SegmentConsumer>? logger = null,
        MessageDecoder? decoder = null,
        bool completeOutput = true,
        PrivacyPolicy? privacy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        _options = options;
        _output = output;
        _decoder = decoder ?? new MessageDecoder(options.AudioTopic);
        _ownsProducer = deadLetterProducer is null;
        _dlqProducer = deadLetterProducer ?? new JsonMessageProducer(options);
        _completeOutput = completeOutput;
        _log = logger ?? (ILogger)NullLogger.Instance;
        _privacy = privacy ?? PrivacyPolicy.Default;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(options.ToConsumerConfig())
            .SetPartitionsAssignedHandler((_, list) => OnAssigned(list))
            .SetPartitionsRevokedHandler((_, list) => OnRevoked(list))
            .SetPartitionsLostHandler((_, list) => OnLost(list))
            .SetErrorHandler((_, e) => OnError(e))
            .SetLogHandler((_, m) => OnLog(m))
            .Build();
    }

    /// <summary>Partitions newly assigned (incrementally with cooperative-sticky). Runs on the consume thread.</summary>
    public event Action<IReadOnlyList<TopicPartition>>? PartitionsAssigned;

    /// <summary>Partitions about to be taken away: flush and <see cref="MarkDone(string,int,long)"/> now. Runs on the consume thread.</summary>
    public event Action<IReadOnlyList<TopicPartition>>? PartitionsRevoked;

    /// <summary>Partitions lost without a clean revoke (session timeout, fencing): nothing more can be committed for them;
    /// drop their in-memory state. Runs on the consume thread.</summary>
    public event Action<IReadOnlyList<TopicPartition>>? PartitionsLost;

    /// <summary>The offset bookkeeping behind <see cref="MarkDone(string,int,long)"/>.</summary>
    public OffsetTracker Tracker { get; } = new();

    /// <summary>Completes when the loop has ended and the consumer is closed; faults on a fatal error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The current assignment.</summary>
    public IReadOnlyList<TopicPartition> Assignment => _consumer.Assignment;

    /// <summary>The consumer group member id (empty before joining).</summary>
    public string MemberId => _consumer.MemberId;

    public long ConsumedCount => Interlocked.Read(ref _consumedCount);
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>Dead letters the broker did not accept; their offsets are never stored, so they are re-read after a restart.</summary>
    public long DeadLetterFailures => Interlocked.Read(ref _deadLetterFailures);

    /// <summary>Subscribes and starts the consume thread. <paramref name="ct"/> stops it like <see cref="Stop"/>.</summary>
    public void Start(CancellationToken ct = default)
    {
        if (_thread is not null) throw new InvalidOperationException("SegmentConsumer was already started.");
        if (ct.CanBeCanceled) ct.Register(() => _stop.Cancel());
        _consumer.Subscribe(_options.ResolvedInputTopics);
        _thread = new Thread(Run) { IsBackground = true, Name = "emotion-kafka-consume" };
        _thread.Start();
    }

    /// <summary>Marks a message durable; stores the partition's new commit point when it advances. Thread-safe.</summary>
    public void MarkDone(string topic, int partition, long offset)
    {
        var tp = new TopicPartition(topic, partition);
        if (Tracker.MarkDone(tp, offset) is { } next)
        {
            try
            {
                _consumer.StoreOffset(new TopicPartitionOffset(tp, next));
            }
            catch (KafkaException ex) when (ex.Error.Code is ErrorCode.Local_State or ErrorCode.Local_UnknownPartition)
            {
                // Revoked meanwhile: the next owner re-reads from the last committed offset.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Marks the message of <paramref name="envelope"/> durable.</summary>
    public void MarkDone(IngestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        MarkDone(envelope.Topic, envelope.Partition, envelope.Offset);
    }

    /// <summary>
    /// Whether the envelope was read under the partition's current assignment. One read before its partition was revoked
    /// or lost (still in the pipeline's channel) is stale: its offset can no longer be committed and the partition's
    /// owner reads it again, so the pipeline must drop it rather than start a partial conversation from it. Thread-safe.
    /// </summary>
    public bool IsCurrent(IngestEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return _epochs.GetValueOrDefault(new TopicPartition(envelope.Topic, envelope.Partition)) == envelope.Epoch;
    }

    /// <summary>
    /// Whether nothing of a partition is left to read beyond what the pipeline processed (<paramref name="processedNext"/>:
    /// the offset after the last message of it the pipeline processed, null when none): the consumer has read up to the
    /// high watermark it last heard from the broker, and every message it handed over was processed. Null when unknown
    /// (not assigned here, or no fetch answered yet). Thread-safe.
    /// </summary>
    public bool? CaughtUp(string topic, int partition, long? processedNext)
    {
        var tp = new TopicPartition(topic, partition);
        long high;
        try
        {
            high = _consumer.GetWatermarkOffsets(tp).High.Value;
        }
        catch (Exception ex) when (ex is KafkaException or ObjectDisposedException)
        {
            return null;
        }
        if (high < 0) return null;
        if (!_consumedNext.TryGetValue(tp, out var consumed) && !_startAt.TryGetValue(tp, out consumed)) return null;
        if (consumed < high) return false;
        return !_handedNext.TryGetValue(tp, out var handed) || (processedNext ?? -1) >= handed;
    }

    /// <summary>
    /// Stops the loop and waits for it to leave the group (stored offsets are committed on the way out), at most
    /// <see cref="LeaveTimeout"/>: if librdkafka does not let go by then, the wait is abandoned with a warning (the
    /// consume thread is a background thread; the group coordinator drops this member after its session timeout, and
    /// what was not committed is read again by the next owner).
    /// </summary>
    public void Stop()
    {
        _stop.Cancel();
        if (_thread is { } t && t != Thread.CurrentThread && !t.Join(LeaveTimeout))
        {
            _leaveAbandoned = true;
            _log.LogWarning("Kafka consumer did not leave the group within {Timeout} s; stopping without waiting for it", LeaveTimeout.TotalSeconds);
        }
    }

    /// <summary>How long <see cref="Stop"/> waits for the consume thread to leave the group.</summary>
    public static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(30);

    // Bound on giving the partitions back before Close (see LeaveGroup).
    private static readonly TimeSpan UnassignWait = TimeSpan.FromSeconds(10);

    private void Run()
    {
        var ct = _stop.Token;
        Exception? failure = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?>? result;
                try
                {
                    // A bounded wait, so the brokers-down watchdog runs even when nothing arrives.
                    result = _consumer.Consume(TimeSpan.FromMilliseconds(500));
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    _log.LogWarning("Kafka consume error (continuing): {Error}", ex.Error.ToString());
                    continue;
                }
                if (result is null)
                {
                    CheckBrokersDown();
                    continue;
                }
                Interlocked.Exchange(ref _brokersDownSinceMs, 0);
                if (result.IsPartitionEOF) continue;
                Handle(result, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex;
            _log.LogCritical(ex, "Kafka consume loop stopped on a fatal error");
        }
        finally
        {
            LeaveGroup();
            if (_completeOutput) _output.TryComplete(failure);
            if (failure is null) _completion.TrySetResult();
            else _completion.TrySetException(failure);
        }
    }

    /// <summary>
    /// Gives the partitions back (their stored offsets committed) while this thread still serves the rebalance
    /// callbacks, then closes. Closing with partitions still assigned while a rebalance is under way can hang inside librdkafka:
    /// its close-time revoke called assign() and waited forever (seen once in a CI run, in a test with two members of
    /// one group; librdkafka issues #4527 and #4884 describe the same hang and this order as the way around it).
    /// Messages that arrive meanwhile are not handed on: their offsets are not stored, so the next owner reads them.
    /// </summary>
    private void LeaveGroup()
    {
        try
        {
            // With auto-commit, librdkafka commits the stored offsets of the partitions it takes away.
            _consumer.Unsubscribe();
            var leaving = Stopwatch.StartNew();
            while (_consumer.Assignment.Count > 0 && leaving.Elapsed < UnassignWait)
            {
                _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
        }
        catch (KafkaException ex)
        {
            _log.LogWarning("Kafka consumer leaving the group: {Error}", ex.Error.ToString());
        }
        try
        {
            _consumer.Close();
        }
        catch (KafkaException ex)
        {
            _log.LogWarning("Kafka consumer close: {Error}", ex.Error.ToString());
        }
    }

    private void Handle(ConsumeResult<byte[]?, byte[]?> result, CancellationToken ct)
    {
        Interlocked.Increment(ref _consumedCount);
        s_consumed.Add(1);
        var tp = result.TopicPartition;
        var offset = result.Offset.Value;
        Tracker.Track(tp, offset);
        _consumedNext[tp] = offset + 1;
        var decoded = _decoder.Decode(result);
        if (!decoded.IsValid)
        {
            SendToDeadLetters(result, decoded.Error!);
            return;
        }
        var headers = result.Message.Headers;
        var reread = _rereadUntil.TryGetValue(tp, out var until) && offset < until;
        var message = decoded.Message!;
        // Personal data is redacted here, before any other stage scores, stores, logs or publishes the text.
        if (message is TranscriptSegment segment)
        {
            var text = _privacy.RedactTurn(segment.Text, segment.Tenant, segment.Lang, segment.ConversationId, out _);
            if (!ReferenceEquals(text, segment.Text)) message = segment with { Text = text };
        }
        var envelope = new IngestEnvelope(message, result.Topic, result.Partition.Value, offset,
            result.Message.Timestamp.UnixTimestampMs, Header(headers, HeaderNames.MessageId), Header(headers, HeaderNames.TraceParent), reread,
            _epochs.GetValueOrDefault(tp));
        while (!_output.TryWrite(envelope))
        {
            // Channel full: block this thread (backpressure) until there is room, or stop.
            if (!_output.WaitToWriteAsync(ct).AsTask().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException("The consumer's output channel was completed by someone else; the consume loop cannot go on.");
            }
        }
        _handedNext[tp] = offset + 1;
    }

    private void SendToDeadLetters(ConsumeResult<byte[]?, byte[]?> result, string reason)
    {
        var dl = DeadLetter.From(result, reason, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _options.GroupId)
            .WithPrivacy(_privacy, isAudio: result.Topic == _options.AudioTopic);
        reason = dl.Reason;
        if (_log.IsEnabled(LogLevel.Information))
            _log.LogInformation("Dead letter {Topic}[{Partition}]@{Offset}: {Reason}", dl.SourceTopic, dl.SourcePartition, dl.SourceOffset, reason);
        var (topic, partition, offset) = (result.Topic, result.Partition.Value, result.Offset.Value);
        var dlqTopic = _options.ResolvedDeadLetterTopic;
        void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref _deadLetterFailures);
                _log.LogError("Could not write dead letter for {Topic}[{Partition}]@{Offset} to {DlqTopic}: {Error}; its offset stays uncommitted",
                    topic, partition, offset, dlqTopic, report.Error.ToString());
                return;
            }
            Interlocked.Increment(ref _deadLetterCount);
            s_deadLettered.Add(1);
            MarkDone(topic, partition, offset);
        }
        while (true)
        {
            try
            {
                _dlqProducer.ProduceDeadLetter(dlqTopic, dl, OnDelivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                _dlqProducer.Producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        MarkRereadWindow(partitions);
        if (_log.IsEnabled(LogLevel.Information))
        {
            _log.LogInformation("Assigned {Partitions}{Reread}", string.Join(", ", partitions.Select(p => p.ToString())),
                _rereadUntil.Count > 0 ? $" ({_rereadUntil.Count} partitions hold messages from before this assignment: their conversations are checked against the ledger)" : "");
        }
        PartitionsAssigned?.Invoke(partitions);
    }

    /// <summary>For each newly assigned partition, the end offset now: what lies between the committed offset (or the start) and it was perhaps read before.</summary>
    private void MarkRereadWindow(List<TopicPartition> partitions)
    {
        try
        {
            var committed = _consumer.Committed(partitions, TimeSpan.FromSeconds(10));
            foreach (var c in committed)
            {
                _rereadUntil.Remove(c.TopicPartition);
                Forget(c.TopicPartition);
                // Even with nothing committed here the partition may hold messages of finalized conversations: a
                // conversation reads two partitions (transcripts and events), and the other one's offset may have moved
                // past its 'started' and 'ended' while this one never got a done prefix (its first message belongs to a
                // conversation that was still open). So everything already in the partition is a possible re-read.
                var marks = _consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10));
                var end = marks.High.Value;
                _startAt[c.TopicPartition] = c.Offset.Value >= 0 ? c.Offset.Value : Math.Max(0, marks.Low.Value);
                if (end > Math.Max(0, c.Offset.Value)) _rereadUntil[c.TopicPartition] = end;
            }
        }
        catch (KafkaException ex)
        {
            // Without the window every message is treated as new, as before the ledger existed; say so.
            _log.LogWarning("Could not read committed offsets of the assigned partitions ({Error}): re-read messages are not checked against the ledger",
                ex.Error.ToString());
        }
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        var tps = partitions.Select(p => p.TopicPartition).ToList();
        if (_log.IsEnabled(LogLevel.Information))
            _log.LogInformation("Revoked {Partitions}", string.Join(", ", tps.Select(p => p.ToString())));
        try
        {
            PartitionsRevoked?.Invoke(tps);
        }
        finally
        {
            Tracker.Reset(tps);
            foreach (var tp in tps)
            {
                _rereadUntil.Remove(tp);
                Forget(tp);
                _epochs.AddOrUpdate(tp, 1, (_, e) => e + 1);
            }
        }
    }

    private void Forget(TopicPartition tp)
    {
        _startAt.TryRemove(tp, out _);
        _consumedNext.TryRemove(tp, out _);
        _handedNext.TryRemove(tp, out _);
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        var tps = partitions.Select(p => p.TopicPartition).ToList();
        _log.LogWarning("Lost {Partitions}", string.Join(", ", tps.Select(p => p.ToString())));
        Tracker.Reset(tps);
        foreach (var tp in tps)
        {
            _rereadUntil.Remove(tp);
            Forget(tp);
            _epochs.AddOrUpdate(tp, 1, (_, e) => e + 1);
        }
        PartitionsLost?.Invoke(tps);
    }

    /// <summary>
    /// Ends the loop with an error when every broker has been unreachable for <see cref="KafkaOptions.BrokersDownTimeoutS"/>
    /// and a metadata request still fails: a broker that came back on another address would otherwise leave a run that
    /// consumes nothing and never exits. The error stops the pipeline (exit 1) so that a supervisor restarts it.
    /// </summary>
    private void CheckBrokersDown()
    {
        var since = Interlocked.Read(ref _brokersDownSinceMs);
        if (since == 0 || _options.BrokersDownTimeoutS <= 0) return;
        var downS = (Environment.TickCount64 - since) / 1000;
        if (downS < _options.BrokersDownTimeoutS) return;
        try
        {
            using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
            admin.GetMetadata(TimeSpan.FromSeconds(5));
            _log.LogInformation("Kafka brokers reachable again");
            Interlocked.Exchange(ref _brokersDownSinceMs, 0);
        }
        catch (KafkaException ex)
        {
            throw new KafkaException(new Error(ErrorCode.Local_AllBrokersDown,
                $"every Kafka broker of '{_options.BootstrapServers}' has been unreachable for {downS} s ({ex.Error.Reason}); stopping so that a " +
                "supervisor restarts the run (check Kafka:BootstrapServers; the local broker writes its address to .local/broker/bootstrap)"));
        }
    }

    private void OnError(Error e)
    {
        if (e.Code == ErrorCode.Local_AllBrokersDown)
        {
            Interlocked.CompareExchange(ref _brokersDownSinceMs, Environment.TickCount64, 0);
            _log.LogError("Kafka: every broker of {Servers} is unreachable ({Error}); consuming waits for them (Kafka:BrokersDownTimeoutS = {Timeout} s)",
                _options.BootstrapServers, e.Reason, _options.BrokersDownTimeoutS);
            return;
        }
        if (e.IsFatal)
        {
            _log.LogCritical("Fatal Kafka error: {Error}", e.ToString());
            return; // the next Consume throws it and the loop ends
        }
        // Transport errors while a broker is down are expected and retried by librdkafka.
        _log.LogWarning("Kafka: {Error}", e.ToString());
    }

    private void OnLog(LogMessage m)
    {
        var level = m.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical or SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        if (_log.IsEnabled(level)) _log.Log(level, "librdkafka {Facility}: {Message}", m.Facility, m.Message);
    }

    private static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    /// <summary>Stops the loop if running, closes the consumer and disposes the owned producer.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_thread is null)
        {
            _consumer.Close();
            _completion.TrySetResult();
        }
        else
        {
            Stop();
        }
        // A consume thread still inside librdkafka's close owns the handle: disposing it under that thread would crash.
        if (!_leaveAbandoned) _consumer.Dispose();
        if (_ownsProducer) _dlqProducer.Dispose();
        _stop.Dispose();
    }
}
