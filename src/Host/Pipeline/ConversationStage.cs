using System.Diagnostics;
using System.Diagnostics.Metrics;
using Emotion.Audio;
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
/// The track-and-finalize stage: follows each conversation, keyed by (tenant, conversation id), through its scored
/// segments and events; raises live alerts; finalizes complete conversations into rows; and recognises messages read
/// again after a restart or rebalance (the ledger), so that a finalized conversation is never finalized again from the
/// tail read after the committed offset. Driven by the pipeline's scoring loop; tests drive it with a fake ledger.
/// </summary>
public sealed class ConversationStage
{
    private static readonly ActivitySource s_activity = new("Emotion.Pipeline");
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Counter<long> s_finalized = s_meter.CreateCounter<long>("emotion.pipeline.conversations_finalized");
    private static readonly Counter<long> s_reread = s_meter.CreateCounter<long>("emotion.pipeline.messages_already_finalized",
        description: "Messages read again after a restart or rebalance that a stored finalization already holds");
    private static readonly Counter<long> s_audioChunks = s_meter.CreateCounter<long>("emotion.pipeline.audio_chunks",
        description: "Audio chunks taken in, by outcome (measured, held for reordering, duplicate, undecodable)");

    private readonly PipelineOptions _options;
    private readonly ConversationAnalyzer _analyzer;
    private readonly IConversationLedger _ledger;
    private readonly AlertPublisher _alerts;
    private readonly string _modelVersion;
    private readonly string[] _emotionLabels;
    private readonly ILogger _log;
    private readonly ConversationTracker<LiveAlertMonitor> _tracker;
    // What a conversation produced before its 'started' named its tenant and metadata.
    private readonly Dictionary<ConversationKey, Held> _held = [];
    // Conversation ids already looked up in the ledger since the last rebalance.
    private readonly HashSet<string> _lookedUp = new(StringComparer.Ordinal);
    // Finalized conversations whose rows the writer has not confirmed yet: a late message reopens them from here,
    // since ClickHouse does not hold them yet. Bounded by the writes in flight.
    private readonly Dictionary<ConversationKey, StoredState> _unwritten = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<(ConversationKey Key, ulong Version)> _written = new();
    private readonly Dictionary<ConversationKey, ulong> _unwrittenVersions = [];
    // Each conversation's audio in progress, keyed like the tracker; released when the conversation is finalized.
    private readonly Dictionary<ConversationKey, ConversationAudio> _audio = [];
    private readonly AudioOptions _audioOptions;
    private long _finalizedCount;
    private long _segments;
    // Per partition read here: the next offset after the last message processed, and the highest Kafka timestamp.
    private readonly Dictionary<(string Topic, int Partition), (long Next, long MaxTsMs)> _read = [];
    private long _audioChunks;

    public ConversationStage(PipelineOptions options, ConversationAnalyzer analyzer, IConversationLedger ledger, AlertPublisher alerts,
        string modelVersion, IReadOnlyList<string> emotionLabels, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = options;
        _analyzer = analyzer;
        _ledger = ledger;
        _alerts = alerts;
        _modelVersion = modelVersion;
        _emotionLabels = [.. emotionLabels];
        _log = logger ?? NullLogger.Instance;
        var clock = time ?? TimeProvider.System;
        _tracker = new ConversationTracker<LiveAlertMonitor>(options, key => new LiveAlertMonitor(key.Id, analyzer.Profile, clock))
        {
            MayCloseAfterGrace = MayCloseAfterGrace,
        };
        var t = analyzer.Profile.Options.Thresholds;
        // Dead air and holds measured in audio follow the client's thresholds for the text markers.
        _audioOptions = new AudioOptions { DeadAirS = t.SilenceGapSeconds, HoldS = t.HoldSeconds };
    }

    /// <summary>The input topics, so that a conversation's sibling partitions (same number, other topic) are known.</summary>
    public IReadOnlyList<string>? InputTopics { get; init; }

    /// <summary>
    /// Whether the consumer has nothing more of a partition than what this stage processed up to the given next offset
    /// (null: unknown). With it, a conversation whose <c>ended</c> came before its last segments is not finalized while
    /// the partition that holds them lags; without it the wall-clock grace alone decides.
    /// </summary>
    public Func<string, int, long?, bool?>? CaughtUp { get; init; }

    private bool MayCloseAfterGrace(MessagePosition ended, long endedTsMs)
    {
        if (InputTopics is null || CaughtUp is null) return true;
        foreach (var topic in InputTopics)
        {
            if (topic == ended.Topic) continue;
            var tp = (topic, ended.Partition);
            var read = _read.TryGetValue(tp, out var r) ? r : ((long Next, long MaxTsMs)?)null;
            // Read past the 'ended' by the grace: what was produced before it was read (Kafka keeps a partition's order).
            if (read is { } done && done.MaxTsMs >= endedTsMs + _options.EndGraceS * 1000L) continue;
            if (CaughtUp(topic, ended.Partition, read?.Next) is false) return false;
        }
        return true;
    }

    /// <summary>Audio chunks taken in so far.</summary>
    public long AudioChunkCount => Interlocked.Read(ref _audioChunks);

    /// <summary>Conversations with audio in progress.</summary>
    public int AudioCount => _audio.Count;

    /// <summary>Conversations in progress.</summary>
    public int ActiveCount => _tracker.ActiveCount;

    /// <summary>Finalized conversations remembered for late messages.</summary>
    public int RememberedCount => _tracker.RememberedCount;

    /// <summary>The in-progress conversations that waited longest, with what each waits for (see the tracker).</summary>
    public IReadOnlyList<string> DescribeWaiting(long nowMs, int max = 3) => _tracker.DescribeWaiting(nowMs, max);

    /// <summary>Conversations finalized so far.</summary>
    public long FinalizedCount => Interlocked.Read(ref _finalizedCount);

    /// <summary>Transcript segments taken in so far.</summary>
    public long SegmentCount => Interlocked.Read(ref _segments);

    /// <summary>Called with every finalized conversation (e.g. to print a summary at exit); null keeps nothing.</summary>
    public Action<FinalizedSummary>? Finalized { get; init; }

    /// <summary>The writer stored these finalized conversations (thread-safe: called from the write stage).</summary>
    public void OnWritten(IEnumerable<(ConversationKey Key, ulong Version)> finalized)
    {
        ArgumentNullException.ThrowIfNull(finalized);
        foreach (var f in finalized) _written.Enqueue(f);
    }

    /// <summary>Finalized conversations not yet confirmed written.</summary>
    public int UnwrittenCount => _unwritten.Count;

    private void DrainWritten()
    {
        while (_written.TryDequeue(out var w))
        {
            // A newer finalization of the same conversation may be on its way: keep that one.
            if (_unwrittenVersions.TryGetValue(w.Key, out var v) && v == w.Version)
            {
                _unwritten.Remove(w.Key);
                _unwrittenVersions.Remove(w.Key);
            }
        }
    }

    private async Task<StoredState?> LoadAsync(ConversationKey key, CancellationToken ct) =>
        _unwritten.TryGetValue(key, out var pending) ? pending : await _ledger.LoadAsync(key, ct).ConfigureAwait(false);

    /// <summary>Takes in a micro-batch of messages with their predictions (aligned; null for no speech or not a segment).</summary>
    public async Task ProcessAsync(IReadOnlyList<IngestEnvelope> batch, IReadOnlyList<SentimentPrediction?> predictions, WriteBatch output,
        long nowMs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(output);
        DrainWritten();
        await RecallAsync(batch, nowMs, ct).ConfigureAwait(false);
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            var position = new MessagePosition(e.Topic, e.Partition, e.Offset);
            var tp = (e.Topic, e.Partition);
            _read[tp] = _read.TryGetValue(tp, out var seen)
                ? (Math.Max(seen.Next, e.Offset + 1), Math.Max(seen.MaxTsMs, e.TimestampMs))
                : (e.Offset + 1, e.TimestampMs);
            switch (e.Message)
            {
                case TranscriptSegment s:
                {
                    Interlocked.Increment(ref _segments);
                    var key = await PlaceAsync(s.Tenant, s.ConversationId, position, output, nowMs, ct).ConfigureAwait(false);
                    if (key is not { } k) break;
                    var prediction = predictions[i];
                    var speaker = s.Speaker == Speakers.Agent ? Speaker.Agent : Speaker.Customer;
                    var produced = s.ProducedAt ?? e.TimestampMs;
                    var seg = new TrackedSegment(s.SegmentId, s.Seq, speaker, s.StartMs, s.EndMs, s.Text, s.Lang, s.IsFinal, s.Phase,
                        prediction, produced, position);
                    _tracker.OnSegment(k, seg, nowMs);
                    var turn = _tracker.SegmentCount(k) - 1;
                    var meta = _tracker.Meta(k);
                    if (meta is not null) output.Utterances.Add(LiveRow(k, meta, seg, turn, nowMs));
                    else Hold(k).Segments.Add((seg, turn));
                    if (speaker == Speaker.Customer && prediction is not null
                        && _tracker.Live(k).Observe(ToScored(seg, turn), DateTimeOffset.FromUnixTimeMilliseconds(produced)) is { } alert)
                    {
                        if (meta is not null) output.Alerts.Add(_alerts.Publish(alert, k, meta, s.SegmentId, s.EndMs, produced));
                        else Hold(k).Alerts.Add((alert, s.SegmentId, s.EndMs, produced));
                    }
                    break;
                }
                case ConversationStarted st:
                {
                    var key = await PlaceAsync(st.Tenant, st.ConversationId, position, output, nowMs, ct).ConfigureAwait(false);
                    if (key is not { } k) break;
                    // A 'started' that names no tenant still names the conversation's metadata.
                    var meta = new ConversationMeta(k.HasTenant ? k.Tenant : null, st.AgentId, st.TeamId, st.Campaign, st.Queue, st.Channel,
                        st.Language, st.Ts);
                    _tracker.OnStarted(k, meta, position, nowMs);
                    if (k.HasTenant) MoveAudio(new ConversationKey("", k.Id), k);
                    Release(new ConversationKey("", k.Id), k, output, nowMs);
                    Release(k, k, output, nowMs);
                    break;
                }
                case ConversationEnded en:
                {
                    var key = await PlaceAsync(en.Tenant, en.ConversationId, position, output, nowMs, ct).ConfigureAwait(false);
                    if (key is { } k) _tracker.OnEnded(k, en.SegmentCount, en.Ts, position, nowMs, e.TimestampMs);
                    break;
                }
                case SurveyReceived sv:
                    output.Events.Add(EventRow(sv, TenantOf(sv.Tenant, sv.ConversationId), ConversationEventRow.SurveyKind) with
                    {
                        Nps = sv.Nps is { } nps ? (sbyte)nps : null,
                        Csat = sv.Csat,
                    });
                    output.Done.Add(position);
                    break;
                case QaScored qa:
                    output.Events.Add(EventRow(qa, TenantOf(qa.Tenant, qa.ConversationId), ConversationEventRow.QaScoreKind) with
                    {
                        QaScore = (float)qa.Score,
                    });
                    output.Done.Add(position);
                    break;
                case AudioChunk a:
                {
                    Interlocked.Increment(ref _audioChunks);
                    var key = await PlaceAsync(a.Meta.Tenant, a.ConversationId, position, output, nowMs, ct).ConfigureAwait(false);
                    if (key is not { } k) break;
                    TakeAudio(k, a, position, a.Meta.ProducedAt ?? e.TimestampMs, output, nowMs);
                    break;
                }
                default:
                    output.Done.Add(position);
                    break;
            }
        }
    }

    /// <summary>Finalizes every conversation complete at <paramref name="nowMs"/> into <paramref name="output"/>.</summary>
    public async Task CollectAsync(WriteBatch output, long nowMs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        DrainWritten();
        foreach (var done in _tracker.Collect(nowMs))
        {
            // Messages without a tenant that no 'started' named, with a finalized conversation of that id remembered:
            // late messages of it. They join it and it is finalized again with everything.
            if (_tracker.LateOf(done.Key, done.Meta) is { } mark)
            {
                var stored = await LoadAsync(mark.Key, ct).ConfigureAwait(false);
                _tracker.Reopen(mark, stored?.Meta ?? _tracker.Meta(mark.Key), stored?.Segments ?? [], nowMs, done);
                MoveAudio(done.Key, mark.Key);
                if (_held.Remove(done.Key, out var early))
                {
                    var h = Hold(mark.Key);
                    h.Segments.AddRange(early.Segments);
                    h.Alerts.AddRange(early.Alerts);
                }
                continue;
            }
            // Segments that waited out the idle timeout with no 'started': perhaps the tail of a conversation another
            // member (or an earlier run) finalized before this one owned the partition. The ledger says; then they join it.
            if (done.Meta is null && done.Reason == "idle_timeout" && await StoredFinalizationAsync(done.Key, ct).ConfigureAwait(false) is { } found)
            {
                var stored = await LoadAsync(found.Key, ct).ConfigureAwait(false);
                _log.LogInformation("Conversation {Key}: {Count} segments without 'started' join its finalization stored in the ledger",
                    found.Key, done.Segments.Count);
                _tracker.Reopen(found, stored?.Meta, stored?.Segments ?? [], nowMs, done);
                if (!found.Key.Equals(done.Key) && _held.Remove(done.Key, out var early))
                {
                    var h = Hold(found.Key);
                    h.Segments.AddRange(early.Segments);
                    h.Alerts.AddRange(early.Alerts);
                }
                continue;
            }
            Finalize(done, output, nowMs);
        }
    }

    /// <summary>The ledger's finalization of this conversation (for an unnamed key: the only tenant with that id), if any.</summary>
    private async Task<FinalizedMark?> StoredFinalizationAsync(ConversationKey key, CancellationToken ct)
    {
        var entries = await _ledger.LookupAsync([key.Id], ct).ConfigureAwait(false);
        var matching = entries.Select(MarkOf).Where(m => key.HasTenant ? m.Key.Equals(key) : m.Key.HasTenant).ToList();
        return matching.Count == 1 ? matching[0] : null;
    }

    /// <summary>A ledger entry as the tracker remembers it (the default tenant stands for "no tenant named").</summary>
    private static FinalizedMark MarkOf(LedgerEntry entry) =>
        new(ConversationKey.Of(entry.Tenant == ConversationKey.DefaultTenant ? null : entry.Tenant, entry.ConversationId), (long)entry.Messages,
            entry.LastOffsets);

    /// <summary>Forgets the conversations that read from partitions this member no longer owns; the next owner rebuilds them.</summary>
    public int Revoke(IReadOnlyCollection<(string Topic, int Partition)> partitions)
    {
        var dropped = _tracker.Revoke(partitions);
        foreach (var p in partitions) _read.Remove(p);
        foreach (var key in _held.Keys.Where(k => !_tracker.IsActive(k)).ToList()) _held.Remove(key);
        foreach (var key in _audio.Keys.Where(k => !_tracker.IsActive(k)).ToList()) _audio.Remove(key);
        _lookedUp.Clear();
        return dropped;
    }

    /// <summary>Looks up, in one ledger query, conversations this member does not know that a message may belong to.</summary>
    private async Task RecallAsync(IReadOnlyList<IngestEnvelope> batch, long nowMs, CancellationToken ct)
    {
        List<string>? ids = null;
        foreach (var e in batch)
        {
            var id = e.Message.ConversationId;
            // A message read again after a restart or rebalance may belong to a finalized conversation; a survey or QA
            // score without a tenant takes the tenant of the conversation it is about.
            var ask = e.MayBeReread || e.Message is SurveyReceived { Tenant: null } or QaScored { Tenant: null };
            if (!ask || _tracker.Knows(id) || !_lookedUp.Add(id)) continue;
            (ids ??= []).Add(id);
        }
        if (ids is null) return;
        if (_lookedUp.Count > 1_000_000) _lookedUp.Clear(); // bounded; a repeated lookup is only a query
        foreach (var entry in await _ledger.LookupAsync(ids, ct).ConfigureAwait(false))
        {
            _tracker.Remember(MarkOf(entry), null, nowMs);
        }
    }

    /// <summary>The conversation a message goes to, or null when it is already part of a stored finalization (then it is done).</summary>
    private async Task<ConversationKey?> PlaceAsync(string? tenant, string conversationId, MessagePosition position, WriteBatch output,
        long nowMs, CancellationToken ct)
    {
        var (key, disposition) = _tracker.Resolve(tenant, conversationId, position);
        switch (disposition)
        {
            case Disposition.Incorporated:
                s_reread.Add(1);
                output.Done.Add(position);
                return null;
            case Disposition.Late:
                if (_log.IsEnabled(LogLevel.Debug))
                    _log.LogDebug("A late message ({Topic}[{Partition}]@{Offset}) reopens finalized conversation {Key}", position.Topic, position.Partition, position.Offset, key);
                var mark = _tracker.Finalized(key)!;
                var stored = await LoadAsync(key, ct).ConfigureAwait(false);
                if (stored is null)
                    _log.LogWarning("Conversation {Key} has a ledger entry but no stored rows: a late message reopens it with what it has", key);
                _tracker.Reopen(mark, stored?.Meta ?? _tracker.Meta(key), stored?.Segments ?? [], nowMs);
                return key;
            default:
                return key;
        }
    }

    private string TenantOf(string? named, string conversationId)
    {
        if (ConversationKey.NormalizeTenant(named) is { Length: > 0 } t) return t;
        var (key, _) = _tracker.Resolve(null, conversationId, new MessagePosition("", -1, -1));
        return key.StoredTenant;
    }

    private void Finalize(FinalizedConversation done, WriteBatch output, long nowMs)
    {
        using var activity = s_activity.StartActivity("finalize");
        activity?.SetTag("conversation.id", done.ConversationId);
        var key = done.Key;
        var meta = done.Meta;
        var utterances = done.Segments.Select((s, i) => ToScored(s, i)).ToList();
        ConversationAcoustics? acoustics = null;
        long? audioStartedMs = null;
        if (_audio.Remove(key, out var audio))
        {
            audio.Complete();
            audioStartedMs = audio.StartedAtMs;
            var turns = done.Segments.Select((s, i) => new TurnTiming(i, s.Speaker, s.StartMs, s.EndMs, s.Text)).ToList();
            acoustics = AudioMeasurer.Measure(audio.Tracks, turns, _audioOptions);
        }
        var input = new ConversationInput(key.Id, key.StoredTenant, meta?.AgentId, meta?.TeamId, meta?.Campaign, meta?.Language, meta?.Channel, utterances,
            acoustics);
        var analysis = _analyzer.Analyze(input);
        var startedMs = done.Segments.Count == 0 && meta is null && audioStartedMs is { } fromAudio ? fromAudio : StartedMs(meta, done.Segments, done.EndedAtMs);
        var version = 1UL + (ulong)done.Version;
        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(startedMs).UtcDateTime;
        var rows = ConversationRows.From(analysis, input, new ConversationMetadata
        {
            Tenant = key.StoredTenant,
            Queue = meta?.Queue,
            StartedAt = startedAt,
            EndedAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(done.EndedAtMs, startedMs)).UtcDateTime,
            FinalizedReason = done.Reason,
            ModelVersion = _modelVersion,
            // Above the live rows' 0/1; grows with every message, so a late re-finalization wins.
            Version = version,
            Utterances = done.Segments.Select((s, i) => (i, Source(s, i))).ToDictionary(x => x.i, x => x.Item2),
            // Live alerts were written as they fired.
            IncludeAlerts = false,
        });
        output.Conversations.Add(rows);
        if (acoustics is not null)
        {
            var (windows, spans) = AudioRowBuilder.Build(acoustics, key.StoredTenant, key.Id, rows.Conversation.Date, version,
                turn => turn >= 0 && turn < done.Segments.Count ? done.Segments[turn].SegmentId : null);
            output.AudioWindows.AddRange(windows);
            output.AudioSpans.AddRange(spans);
        }
        output.Finalized.Add((key, version));
        _unwritten[key] = new StoredState(meta, done.Segments);
        _unwrittenVersions[key] = version;
        output.Ledger.AddRange(LedgerQueries.Rows(key.StoredTenant, key.Id, rows.Conversation.Date, done.LastOffsets, (ulong)done.Version,
            DateTimeOffset.FromUnixTimeMilliseconds(nowMs).UtcDateTime, version));
        output.Done.AddRange(done.Positions);
        if (_held.Remove(key, out var held))
        {
            // No 'started' came: the alerts go out without agent rather than not at all; the finalized rows replace the held ones.
            foreach (var (a, segmentId, endMs, producedMs) in held.Alerts) output.Alerts.Add(_alerts.Publish(a, key, meta, segmentId, endMs, producedMs));
        }
        if (_log.IsEnabled(LogLevel.Debug))
        {
            _log.LogDebug("Finalized {Key} ({Reason}, version {Version}): {Segments} segments, {Chunks} audio chunks",
                key, done.Reason, version, done.Segments.Count, audio?.Chunks ?? 0);
        }
        Interlocked.Increment(ref _finalizedCount);
        s_finalized.Add(1);
        Finalized?.Invoke(new FinalizedSummary(done, analysis));
    }

    /// <summary>
    /// An audio chunk: measured into the conversation's audio (or held for reordering; a repeat is dropped). Its offset
    /// is done with the conversation's rows, like a segment's: a crash before they are written reads it again. A chunk
    /// the ingest check let through but NAudio cannot decode is counted and logged, and its conversation goes on.
    /// </summary>
    private void TakeAudio(ConversationKey key, AudioChunk chunk, MessagePosition position, long producedMs, WriteBatch output, long nowMs)
    {
        if (!_audio.TryGetValue(key, out var audio)) _audio[key] = audio = new ConversationAudio(_audioOptions);
        IReadOnlyList<AgitationAlert> alerts = [];
        try
        {
            ChunkOutcome outcome;
            (outcome, alerts) = audio.Add(chunk, producedMs);
            s_audioChunks.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
        }
        catch (AudioDecodeException ex)
        {
            s_audioChunks.Add(1, new KeyValuePair<string, object?>("outcome", "undecodable"));
            _log.LogWarning("Audio chunk {Seq} of {Key} ({Channel}) could not be decoded and is left out: {Reason}", chunk.Meta.Seq, key, chunk.Meta.Channel, ex.Message);
        }
        _tracker.OnAudio(key, position, !audio.AllFinished, nowMs);
        foreach (var a in alerts)
        {
            var ewma = _tracker.Live(key).Ewma ?? 0;
            var live = new LiveAlert(key.Id, a.Window, a.AtMs / 1000.0, AgitationAlert.Rule, a.Reason, ewma, ewma, Math.Round(a.Score - a.PreviousScore, 4), null);
            var segmentId = $"audio@{a.AtMs}";
            var meta = _tracker.Meta(key);
            if (meta is not null) output.Alerts.Add(_alerts.Publish(live, key, meta, segmentId, a.AtMs, producedMs));
            else Hold(key).Alerts.Add((live, segmentId, a.AtMs, producedMs));
        }
    }

    /// <summary>Audio that arrived under <paramref name="from"/> joins <paramref name="to"/> (its tenant became known, or it was a late part).</summary>
    private void MoveAudio(ConversationKey from, ConversationKey to)
    {
        if (from == to || !_audio.Remove(from, out var early)) return;
        if (_audio.TryGetValue(to, out var mine)) mine.Absorb(early);
        else _audio[to] = early;
    }

    private static long StartedMs(ConversationMeta? meta, IReadOnlyList<TrackedSegment> segments, long fallback) =>
        meta?.StartedAtMs ?? (segments.Count > 0 ? segments[0].ProducedAtMs - segments[0].EndMs : fallback);

    private UtteranceSource Source(TrackedSegment s, int turn)
    {
        var p = s.Prediction;
        var scores = p is null
            ? null
            : new UtteranceScores(p.Valence, (sbyte)p.Label, p.Negative, p.Neutral, p.Positive, p.Emotion, p.EmotionConfidence, _emotionLabels, p.EmotionProbs);
        return new UtteranceSource(s.SegmentId, (uint)Math.Max(0, turn), s.Speaker == Speaker.Agent ? Speakers.Agent : Speakers.Customer,
            (ulong)Math.Max(0, s.StartMs), (ulong)Math.Max(0, s.EndMs), s.Text, s.Lang, s.IsFinal,
            DateTimeOffset.FromUnixTimeMilliseconds(s.ProducedAtMs).UtcDateTime, scores);
    }

    private UtteranceRow LiveRow(ConversationKey key, ConversationMeta meta, TrackedSegment s, int turn, long nowMs)
    {
        var date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(meta.StartedAtMs).UtcDateTime);
        // Live rows lose to the finalized rows of the same segment (which carry the analysis): 0 partial, 1 final.
        return UtteranceRows.Build(key.StoredTenant, key.Id, date, Source(s, turn), meta.Language, _modelVersion,
            DateTimeOffset.FromUnixTimeMilliseconds(nowMs).UtcDateTime, s.IsFinal ? 1UL : 0UL, phase: s.Phase);
    }

    /// <summary>Writes what <paramref name="from"/> held back, now that <paramref name="to"/> has its metadata.</summary>
    private void Release(ConversationKey from, ConversationKey to, WriteBatch output, long nowMs)
    {
        if (!_held.Remove(from, out var held)) return;
        var meta = _tracker.Meta(to);
        if (meta is null)
        {
            _held[to] = held;
            return;
        }
        foreach (var (seg, turn) in held.Segments) output.Utterances.Add(LiveRow(to, meta, seg, turn, nowMs));
        foreach (var (a, segmentId, endMs, producedMs) in held.Alerts) output.Alerts.Add(_alerts.Publish(a, to, meta, segmentId, endMs, producedMs));
    }

    private Held Hold(ConversationKey key)
    {
        if (!_held.TryGetValue(key, out var h)) _held[key] = h = new Held();
        return h;
    }

    private static ScoredUtterance ToScored(TrackedSegment s, int turn)
    {
        var p = s.Prediction;
        return new ScoredUtterance(turn, s.Speaker, s.StartMs / 1000.0, s.EndMs / 1000.0, s.Text, s.Phase,
            p?.Label ?? 0, p?.Valence ?? 0, p?.Negative ?? 0, p?.Neutral ?? 1, p?.Positive ?? 0, p?.Emotion ?? "neutral", p?.EmotionConfidence ?? 0);
    }

    /// <summary>A survey or QA row; its version is the event time, so the latest answer wins and a replay changes nothing.</summary>
    private static ConversationEventRow EventRow(ConversationEvent e, string tenant, string kind)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(e.Ts).UtcDateTime;
        return new ConversationEventRow
        {
            Tenant = tenant,
            ConversationId = e.ConversationId,
            Date = DateOnly.FromDateTime(at),
            Kind = kind,
            ReceivedAt = at,
            Version = (ulong)e.Ts,
        };
    }

    /// <summary>What a conversation produced before its 'started' event was read.</summary>
    private sealed class Held
    {
        public List<(TrackedSegment Segment, int Turn)> Segments { get; } = [];
        public List<(LiveAlert Alert, string SegmentId, long EndMs, long ProducedMs)> Alerts { get; } = [];
    }
}
