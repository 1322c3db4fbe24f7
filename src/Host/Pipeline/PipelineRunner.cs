using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Emotion.Host.Pipeline;

/// <summary>A finalized conversation as the pipeline reports it.</summary>
public sealed record FinalizedSummary(FinalizedConversation Conversation, ConversationAnalysis Analysis);

/// <summary>
/// <c>emotion run</c>: Kafka consumer -> (bounded channel) -> scoring loop (micro-batched inference, per-conversation
/// state, live alerts, finalization) -> (bounded channel) -> ClickHouse writer. A Kafka offset is marked done only
/// when every row its message contributes to is in ClickHouse: a segment's or event's offset waits for its
/// conversation to be finalized and written, so a restart re-reads every conversation that was not finished and the
/// keyed, versioned rows make the replay harmless.
/// </summary>
public sealed class PipelineRunner
{
    private static readonly ActivitySource s_activity = new("Emotion.Pipeline");
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Counter<long> s_scored = s_meter.CreateCounter<long>("emotion.pipeline.segments_scored");
    private static readonly Counter<long> s_finalized = s_meter.CreateCounter<long>("emotion.pipeline.conversations_finalized");
    private static readonly Histogram<double> s_visibleLatency = s_meter.CreateHistogram<double>("emotion.pipeline.visible_latency", "ms",
        "From a segment being produced to its row being in ClickHouse");
    private static readonly Histogram<double> s_alertDelay = s_meter.CreateHistogram<double>("emotion.pipeline.alert_delay", "ms",
        "From the segment that fired an alert being produced to the alert being sent");

    private readonly PipelineOptions _options;
    private readonly KafkaOptions _kafka;
    private readonly ISentimentModel _model;
    private readonly ConversationAnalyzer _analyzer;
    private readonly ClickHouseStore _store;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<IReadOnlyList<TopicPartition>> _revoked = new();
    private readonly ConcurrentQueue<FinalizedSummary> _summaries = new();
    // Segments of conversations whose 'started' event has not arrived: their rows would be keyed under the wrong tenant.
    // Their alerts are held too: a supervisor cannot route an alert without its tenant and agent.
    private readonly Dictionary<string, HeldForMeta> _awaitingMeta = new(StringComparer.Ordinal);
    private long _segments;
    private long _finalizedCount;
    private long _alerts;
    private long _lastInputMs;

    public PipelineRunner(PipelineOptions options, KafkaOptions kafka, ISentimentModel model, ConversationAnalyzer analyzer,
        ClickHouseStore store, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _kafka = kafka;
        _model = model;
        _analyzer = analyzer;
        _store = store;
        _log = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Segments scored so far.</summary>
    public long SegmentsScored => Interlocked.Read(ref _segments);

    /// <summary>Conversations finalized and written so far.</summary>
    public long ConversationsFinalized => Interlocked.Read(ref _finalizedCount);

    /// <summary>Live alerts sent so far.</summary>
    public long AlertsSent => Interlocked.Read(ref _alerts);

    /// <summary>Latencies (ms) from produce to visible in ClickHouse, per utterance row written; for benchmarks.</summary>
    public ConcurrentQueue<double>? VisibleLatencies { get; init; }

    /// <summary>Alert delays (ms) from produce to alert sent; for benchmarks.</summary>
    public ConcurrentQueue<double>? AlertDelays { get; init; }

    /// <summary>Finalized conversations, when the caller wants a summary at the end.</summary>
    public IReadOnlyCollection<FinalizedSummary> Summaries => _summaries;

    /// <summary>Keep <see cref="Summaries"/>.</summary>
    public bool KeepSummaries { get; init; }

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
        var writes = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(_options.WriteCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        using var producer = new JsonMessageProducer(_kafka);
        using var consumer = new SegmentConsumer(_kafka, input.Writer, producer, logger: null);
        consumer.PartitionsRevoked += p => _revoked.Enqueue(p);
        consumer.PartitionsLost += p => _revoked.Enqueue(p);

        using var stopLoop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _lastInputMs = Now();
        consumer.Start(CancellationToken.None); // stopped explicitly, after the writer has flushed
        var writer = Task.Run(() => WriteLoopAsync(writes.Reader, consumer), CancellationToken.None);
        var loop = Task.Run(() => ScoreLoopAsync(input.Reader, writes.Writer, producer, exitWhenIdle, stopLoop.Token), CancellationToken.None);

        // Stop everything when the consumer dies (fatal Kafka error) or the writer fails (ClickHouse gone past retries).
        var first = await Task.WhenAny(loop, writer, consumer.Completion).ConfigureAwait(false);
        if (first == writer)
        {
            // Nobody reads the write channel any more: closing it makes a loop blocked on a full channel fail, not hang.
            writes.Writer.TryComplete(writer.Exception?.GetBaseException() ?? new InvalidOperationException("the ClickHouse writer stopped"));
        }
        if (first != loop) await stopLoop.CancelAsync().ConfigureAwait(false);
        Exception? failure = null;
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A requested stop.
        }
        catch (Exception ex)
        {
            failure = ex is ChannelClosedException && writer.IsFaulted ? writer.Exception!.GetBaseException() : ex;
        }
        writes.Writer.TryComplete();
        try
        {
            await writer.ConfigureAwait(false);
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

    private async Task ScoreLoopAsync(ChannelReader<IngestEnvelope> input, ChannelWriter<WriteItem> writes, JsonMessageProducer producer,
        TimeSpan? exitWhenIdle, CancellationToken ct)
    {
        var tracker = new ConversationTracker<LiveAlertMonitor>(_options, id => new LiveAlertMonitor(id, _analyzer.Profile, _time));
        var batch = new List<IngestEnvelope>(_options.MaxBatch);
        var seenAny = false;
        var alertTopic = _kafka.TopicPrefix + Topics.Alerts;
        var emotionLabels = _model.EmotionLabels.ToArray();
        while (!ct.IsCancellationRequested)
        {
            batch.Clear();
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
                var dropped = tracker.Revoke(revoked.Select(p => (p.Topic, p.Partition.Value)).ToList());
                foreach (var id in _awaitingMeta.Keys.Where(id => !tracker.IsActive(id)).ToList()) _awaitingMeta.Remove(id);
                if (dropped > 0) _log.LogInformation("Partitions revoked: dropped {Count} conversations in progress (the next owner re-reads them)", dropped);
            }
            var now = Now();
            var item = new WriteItem();
            if (batch.Count > 0)
            {
                seenAny = true;
                _lastInputMs = now;
                using var activity = s_activity.StartActivity("score-batch");
                activity?.SetTag("batch.size", batch.Count);
                Process(batch, tracker, item, producer, alertTopic, emotionLabels, now);
            }
            foreach (var done in tracker.Collect(now)) Finalize(done, item, producer, alertTopic);
            // Not cancellable: the writer drains its channel before it stops, so this batch is still written.
            if (!item.IsEmpty) await writes.WriteAsync(item, CancellationToken.None).ConfigureAwait(false);
            if (completed) break;
            if (exitWhenIdle is { } idle && seenAny && tracker.ActiveCount == 0 && now - _lastInputMs >= idle.TotalMilliseconds) break;
        }
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

    private void Process(List<IngestEnvelope> batch, ConversationTracker<LiveAlertMonitor> tracker, WriteItem item,
        JsonMessageProducer producer, string alertTopic, string[] emotionLabels, long now)
    {
        // One inference call for every segment with speech in the batch.
        var inputs = new List<SentimentInput>();
        var inputIndex = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            inputIndex[i] = -1;
            if (batch[i].Message is TranscriptSegment s)
            {
                var speech = TimingMarkers.Strip(s.Text);
                if (!TimingMarkers.IsMarkerOnly(s.Text))
                {
                    inputIndex[i] = inputs.Count;
                    inputs.Add(new SentimentInput(speech, s.Lang));
                }
            }
        }
        var predictions = inputs.Count > 0 ? _model.Predict(inputs) : [];
        s_scored.Add(inputs.Count);

        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            var position = new MessagePosition(e.Topic, e.Partition, e.Offset);
            switch (e.Message)
            {
                case TranscriptSegment s:
                {
                    Interlocked.Increment(ref _segments);
                    var prediction = inputIndex[i] >= 0 ? predictions[inputIndex[i]] : null;
                    var speaker = s.Speaker == Speakers.Agent ? Speaker.Agent : Speaker.Customer;
                    var produced = s.ProducedAt ?? e.TimestampMs;
                    var seg = new TrackedSegment(s.SegmentId, s.Seq, speaker, s.StartMs, s.EndMs, s.Text, s.Lang, s.IsFinal, s.Phase,
                        prediction, produced, position);
                    tracker.OnSegment(s.ConversationId, seg, now);
                    var meta = tracker.Meta(s.ConversationId);
                    if (meta is not null)
                    {
                        item.Utterances.Add(LiveUtteranceRow(s, seg, meta, emotionLabels, now));
                    }
                    else
                    {
                        Held(s.ConversationId).Rows.Add((s, seg));
                    }
                    if (speaker == Speaker.Customer && prediction is not null)
                    {
                        // Segments of a conversation arrive in order (one key, one partition): its position is the turn.
                        var turn = tracker.SegmentCount(s.ConversationId) - 1;
                        var scored = ToScored(seg, turn);
                        if (tracker.Live(s.ConversationId).Observe(scored, DateTimeOffset.FromUnixTimeMilliseconds(produced)) is { } alert)
                        {
                            if (meta is not null)
                            {
                                SendAlert(producer, alertTopic, alert, s, meta, produced, item);
                            }
                            else
                            {
                                Held(s.ConversationId).Alerts.Add((alert, s, produced));
                            }
                        }
                    }
                    break;
                }
                case ConversationStarted st:
                    tracker.OnStarted(st.ConversationId, new ConversationMeta(st.Tenant, st.AgentId, st.TeamId, st.Campaign, st.Queue,
                        st.Channel, st.Language, st.Ts), position, now);
                    if (_awaitingMeta.Remove(st.ConversationId, out var held))
                    {
                        var m = tracker.Meta(st.ConversationId);
                        foreach (var (seg0, tracked0) in held.Rows) item.Utterances.Add(LiveUtteranceRow(seg0, tracked0, m, emotionLabels, now));
                        foreach (var (a, seg0, producedMs) in held.Alerts) SendAlert(producer, alertTopic, a, seg0, m, producedMs, item);
                    }
                    break;
                case ConversationEnded en:
                    tracker.OnEnded(en.ConversationId, en.SegmentCount, en.Ts, position, now);
                    break;
                case SurveyReceived sv:
                    item.Events.Add(EventRow(sv, sv.Tenant ?? tracker.Meta(sv.ConversationId)?.Tenant, ConversationEventRow.SurveyKind) with
                    {
                        Nps = sv.Nps is { } nps ? (sbyte)nps : null,
                        Csat = sv.Csat,
                    });
                    item.Done.Add(position);
                    break;
                case QaScored qa:
                    item.Events.Add(EventRow(qa, qa.Tenant ?? tracker.Meta(qa.ConversationId)?.Tenant, ConversationEventRow.QaScoreKind) with
                    {
                        QaScore = (float)qa.Score,
                    });
                    item.Done.Add(position);
                    break;
                default:
                    // Audio chunks have no consumer stage yet: nothing to write, so they are done as read.
                    item.Done.Add(position);
                    break;
            }
        }
    }

    /// <summary>A survey or QA row; its version is the event time, so the latest answer wins and a replay changes nothing.</summary>
    private static ConversationEventRow EventRow(ConversationEvent e, string? tenant, string kind)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(e.Ts).UtcDateTime;
        return new ConversationEventRow
        {
            Tenant = tenant ?? "default",
            ConversationId = e.ConversationId,
            Date = DateOnly.FromDateTime(at),
            Kind = kind,
            ReceivedAt = at,
            Version = (ulong)e.Ts,
        };
    }

    private void SendAlert(JsonMessageProducer producer, string topic, LiveAlert alert, TranscriptSegment s, ConversationMeta? meta,
        long producedMs, WriteItem item)
    {
        var alertedMs = Now();
        var delay = Math.Max(0, alertedMs - producedMs);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new AlertMessage(
            "emotion.alert.v1", s.ConversationId, meta?.Tenant, meta?.AgentId, meta?.TeamId, s.SegmentId, alert.Turn, alert.Rule, alert.Reason,
            Math.Round(alert.Valence, 4), Math.Round(alert.Ewma, 4), alert.Slope is { } sl ? Math.Round(sl, 4) : null, producedMs, alertedMs, delay),
            AlertJson.Default.AlertMessage);
        producer.Producer.Produce(topic, new Message<byte[]?, byte[]?>
        {
            Key = System.Text.Encoding.UTF8.GetBytes(s.ConversationId),
            Value = payload,
            Headers = JsonMessageProducer.StandardHeaders(),
        });
        Interlocked.Increment(ref _alerts);
        s_alertDelay.Record(delay);
        AlertDelays?.Enqueue(delay);
        var started = meta is not null ? DateTimeOffset.FromUnixTimeMilliseconds(meta.StartedAtMs) : DateTimeOffset.FromUnixTimeMilliseconds(producedMs - s.EndMs);
        item.Alerts.Add(new AlertRow
        {
            Tenant = meta?.Tenant ?? "default",
            ConversationId = s.ConversationId,
            Date = DateOnly.FromDateTime(started.UtcDateTime),
            Turn = (uint)Math.Max(0, alert.Turn),
            Rule = alert.Rule,
            Reason = alert.Reason,
            ValenceTrend = (float)(alert.Slope ?? alert.Ewma),
            Source = AlertRow.Live,
            ProducedAt = DateTimeOffset.FromUnixTimeMilliseconds(producedMs).UtcDateTime,
            ProducedAtMs = (ulong)producedMs,
            AlertedAt = DateTimeOffset.FromUnixTimeMilliseconds(alertedMs).UtcDateTime,
            AlertedAtMs = (ulong)alertedMs,
            DelayMs = (ulong)delay,
            Version = 1,
        });
    }

    private UtteranceRow LiveUtteranceRow(TranscriptSegment s, TrackedSegment seg, ConversationMeta? meta, string[] emotionLabels, long now)
    {
        var p = seg.Prediction;
        var startedMs = meta?.StartedAtMs ?? seg.ProducedAtMs - s.EndMs;
        return new UtteranceRow
        {
            Tenant = meta?.Tenant ?? "default",
            ConversationId = s.ConversationId,
            Date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(startedMs).UtcDateTime),
            SegmentId = s.SegmentId,
            Turn = (uint)Math.Max(0, s.Seq),
            Speaker = s.Speaker,
            StartMs = (ulong)Math.Max(0, s.StartMs),
            EndMs = (ulong)Math.Max(0, s.EndMs),
            Text = s.Text,
            Lang = s.Lang ?? meta?.Language ?? "",
            Phase = s.Phase ?? "",
            Valence = p?.Valence ?? 0,
            Label = (sbyte)(p?.Label ?? 0),
            PNegative = p?.Negative ?? 0,
            PNeutral = p?.Neutral ?? 1,
            PPositive = p?.Positive ?? 0,
            Emotion = p?.Emotion ?? "",
            EmotionConfidence = p?.EmotionConfidence ?? 0,
            EmotionLabels = p is null ? [] : emotionLabels,
            EmotionProbs = p?.EmotionProbs ?? [],
            IsFinal = s.IsFinal,
            ModelVersion = _model.Version,
            ProducedAt = DateTimeOffset.FromUnixTimeMilliseconds(seg.ProducedAtMs).UtcDateTime,
            ProducedAtMs = (ulong)seg.ProducedAtMs,
            ScoredAt = DateTimeOffset.FromUnixTimeMilliseconds(now).UtcDateTime,
            ScoredAtMs = (ulong)now,
            // Live rows lose to the finalized rows of the same segment (which carry the phase): 0 partial, 1 final.
            Version = s.IsFinal ? 1UL : 0UL,
        };
    }

    private static ScoredUtterance ToScored(TrackedSegment s, int turn)
    {
        var p = s.Prediction;
        return new ScoredUtterance(turn, s.Speaker, s.StartMs / 1000.0, s.EndMs / 1000.0, s.Text, s.Phase,
            p?.Label ?? 0, p?.Valence ?? 0, p?.Negative ?? 0, p?.Neutral ?? 1, p?.Positive ?? 0, p?.Emotion ?? "neutral", p?.EmotionConfidence ?? 0);
    }

    private void Finalize(FinalizedConversation done, WriteItem item, JsonMessageProducer producer, string alertTopic)
    {
        if (_awaitingMeta.Remove(done.ConversationId, out var held))
        {
            // No 'started' event came: the alerts go out without tenant and agent rather than not at all; the held
            // rows need nothing, the finalized rows below carry them.
            foreach (var (a, seg0, producedMs) in held.Alerts) SendAlert(producer, alertTopic, a, seg0, done.Meta, producedMs, item);
        }
        using var activity = s_activity.StartActivity("finalize");
        activity?.SetTag("conversation.id", done.ConversationId);
        var meta = done.Meta;
        var utterances = done.Segments.Select((s, i) => ToScored(s, i)).ToList();
        var input = new ConversationInput(done.ConversationId, meta?.Tenant, meta?.AgentId, meta?.TeamId, meta?.Campaign, meta?.Language,
            meta?.Channel, utterances);
        var analysis = _analyzer.Analyze(input);
        var startedMs = meta?.StartedAtMs ?? (done.Segments.Count > 0 ? done.Segments[0].ProducedAtMs - done.Segments[0].EndMs : done.EndedAtMs);
        var rows = ConversationRows.From(analysis, input, new ConversationMetadata
        {
            Tenant = meta?.Tenant,
            Queue = meta?.Queue,
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(startedMs).UtcDateTime,
            EndedAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(done.EndedAtMs, startedMs)).UtcDateTime,
            FinalizedReason = done.Reason,
            ModelVersion = _model.Version,
            // Above the live rows' 0/1; grows with every message, so a late re-finalization wins.
            Version = 1UL + (ulong)done.Version,
            SegmentIds = done.Segments.Select((s, i) => (i, s.SegmentId)).ToDictionary(x => x.i, x => x.SegmentId),
            ProducedAt = done.Segments.Select((s, i) => (i, s.ProducedAtMs)).ToDictionary(x => x.i, x => DateTimeOffset.FromUnixTimeMilliseconds(x.ProducedAtMs).UtcDateTime),
            // Live alerts were written as they fired.
            IncludeAlerts = false,
        });
        item.Conversations.Add(rows);
        item.Done.AddRange(done.Positions);
        Interlocked.Increment(ref _finalizedCount);
        s_finalized.Add(1);
        if (KeepSummaries) _summaries.Enqueue(new FinalizedSummary(done, analysis));
    }

    private async Task WriteLoopAsync(ChannelReader<WriteItem> reader, SegmentConsumer consumer)
    {
        var pending = new WriteItem();
        long firstPendingMs = 0;
        while (true)
        {
            var more = true;
            var waitMs = pending.IsEmpty ? Timeout.Infinite : (int)Math.Max(0, _options.FlushIntervalMs - (Now() - firstPendingMs));
            using (var cts = new CancellationTokenSource(waitMs))
            {
                try
                {
                    more = await reader.WaitToReadAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            while (reader.TryRead(out var next))
            {
                if (pending.IsEmpty) firstPendingMs = Now();
                pending.Add(next);
            }
            var due = !pending.IsEmpty && (!more || pending.RowCount >= _options.FlushRows || Now() - firstPendingMs >= _options.FlushIntervalMs);
            if (due)
            {
                await FlushAsync(pending, consumer).ConfigureAwait(false);
                pending = new WriteItem();
            }
            if (!more) break;
        }
    }

    private async Task FlushAsync(WriteItem item, SegmentConsumer consumer)
    {
        using var activity = s_activity.StartActivity("write");
        activity?.SetTag("rows", item.RowCount);
        // Live rows first, then finalized conversations (whose utterance rows supersede them), then the offsets.
        if (item.Utterances.Count > 0) await _store.WriteUtterancesAsync(item.Utterances).ConfigureAwait(false);
        if (item.Alerts.Count > 0) await _store.WriteAlertsAsync(item.Alerts).ConfigureAwait(false);
        if (item.Events.Count > 0) await _store.WriteEventsAsync(item.Events).ConfigureAwait(false);
        if (item.Conversations.Count > 0) await _store.WriteAsync(item.Conversations).ConfigureAwait(false);
        var visible = Now();
        foreach (var u in item.Utterances)
        {
            var latency = visible - (double)u.ProducedAtMs;
            s_visibleLatency.Record(latency);
            VisibleLatencies?.Enqueue(latency);
        }
        foreach (var p in item.Done) consumer.MarkDone(p.Topic, p.Partition, p.Offset);
    }

    private HeldForMeta Held(string conversationId)
    {
        if (!_awaitingMeta.TryGetValue(conversationId, out var held)) _awaitingMeta[conversationId] = held = new HeldForMeta();
        return held;
    }

    /// <summary>What a conversation produced before its 'started' event was read.</summary>
    private sealed class HeldForMeta
    {
        public List<(TranscriptSegment Segment, TrackedSegment Tracked)> Rows { get; } = [];
        public List<(LiveAlert Alert, TranscriptSegment Segment, long ProducedMs)> Alerts { get; } = [];
    }

    private sealed class WriteItem
    {
        public List<UtteranceRow> Utterances { get; } = [];
        public List<AlertRow> Alerts { get; } = [];
        public List<ConversationEventRow> Events { get; } = [];
        public List<ConversationRows> Conversations { get; } = [];
        public List<MessagePosition> Done { get; } = [];

        public bool IsEmpty => Utterances.Count == 0 && Alerts.Count == 0 && Events.Count == 0 && Conversations.Count == 0 && Done.Count == 0;

        public int RowCount => Utterances.Count + Alerts.Count + Events.Count + Conversations.Sum(c => c.RowCount);

        public void Add(WriteItem other)
        {
            Utterances.AddRange(other.Utterances);
            Alerts.AddRange(other.Alerts);
            Events.AddRange(other.Events);
            Conversations.AddRange(other.Conversations);
            Done.AddRange(other.Done);
        }
    }
}

/// <summary>A message on <c>emotion.alerts</c> (schema <c>emotion.alert.v1</c>).</summary>
public sealed record AlertMessage(
    string Schema,
    string ConversationId,
    string? Tenant,
    string? AgentId,
    string? TeamId,
    string SegmentId,
    int Turn,
    string Rule,
    string Reason,
    double Valence,
    double Ewma,
    double? Slope,
    long ProducedAt,
    long AlertedAt,
    long DelayMs);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AlertMessage))]
internal sealed partial class AlertJson : System.Text.Json.Serialization.JsonSerializerContext;
