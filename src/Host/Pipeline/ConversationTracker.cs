using Emotion.Scoring;
using Emotion.Sentiment;

namespace Emotion.Host.Pipeline;

/// <summary>What a <c>started</c> event says about a conversation.</summary>
public sealed record ConversationMeta(
    string? Tenant,
    string? AgentId,
    string? TeamId,
    string? Campaign,
    string? Queue,
    string? Channel,
    string? Language,
    long StartedAtMs);

/// <summary>A transcript segment after scoring. <see cref="Prediction"/> is null when the text has no speech (only timing markers).</summary>
public sealed record TrackedSegment(
    string SegmentId,
    long Seq,
    Speaker Speaker,
    long StartMs,
    long EndMs,
    string Text,
    string? Lang,
    bool IsFinal,
    string? Phase,
    SentimentPrediction? Prediction,
    long ProducedAtMs,
    MessagePosition Position);

/// <summary>A conversation ready for analysis, with the Kafka positions whose effects its rows carry.</summary>
/// <param name="Reason"><c>ended</c> or <c>idle_timeout</c>.</param>
/// <param name="Version">Number of messages incorporated: grows when a late message re-finalizes the conversation, and is the same when a topic is replayed.</param>
/// <param name="Positions">Positions not handed over by an earlier finalization: mark them done once the rows are written.</param>
/// <param name="LastOffsets">Per topic and partition, the highest offset of every message incorporated so far (the ledger entry).</param>
public sealed record FinalizedConversation(
    ConversationKey Key,
    ConversationMeta? Meta,
    IReadOnlyList<TrackedSegment> Segments,
    string Reason,
    long Version,
    long EndedAtMs,
    IReadOnlyList<MessagePosition> Positions,
    IReadOnlyDictionary<(string Topic, int Partition), long> LastOffsets)
{
    /// <summary>The conversation id.</summary>
    public string ConversationId => Key.Id;
}

/// <summary>A finalized conversation as remembered after its state was released: enough to recognise a re-read message.</summary>
/// <param name="Version">Messages incorporated.</param>
/// <param name="LastOffsets">Highest incorporated offset per topic and partition.</param>
public sealed record FinalizedMark(ConversationKey Key, long Version, IReadOnlyDictionary<(string Topic, int Partition), long> LastOffsets)
{
    /// <summary>Whether the message at <paramref name="position"/> is already part of the finalized rows.</summary>
    public bool Incorporates(MessagePosition position) =>
        LastOffsets.TryGetValue((position.Topic, position.Partition), out var last) && position.Offset <= last;
}

/// <summary>What a message means for the conversation it belongs to.</summary>
public enum Disposition
{
    /// <summary>Part of a conversation in progress, or of a new one.</summary>
    Track,
    /// <summary>Already part of a remembered finalization (read again after a restart or rebalance): done as it is.</summary>
    Incorporated,
    /// <summary>A late message of a remembered finalization whose state was released: reopen it from its stored rows first.</summary>
    Late,
}

/// <summary>
/// Per-conversation state of the scoring stage, keyed by (tenant, conversation id): it collects a conversation's
/// segments and events, decides when the conversation is complete (<c>ended</c> plus every announced segment,
/// <c>ended</c> plus a grace period, or an idle timeout) and hands it over whole. A finalized conversation's segments
/// are released at once; only a small <see cref="FinalizedMark"/> is remembered for <c>FinalizedMemoryS</c>, so that a
/// re-read message is recognised and a late one reopens the conversation (from the segments the caller reads back).
/// Pure logic; time is passed in. Not thread-safe: one loop owns it.
/// </summary>
public sealed class ConversationTracker<TLive>(PipelineOptions options, Func<ConversationKey, TLive> newLiveState)
{
    private readonly Dictionary<ConversationKey, State> _active = [];
    private readonly Dictionary<ConversationKey, (FinalizedMark Mark, ConversationMeta? Meta, long AtMs)> _finalized = [];
    // Conversation id -> the tenants it is active or remembered under (usually one).
    private readonly Dictionary<string, List<string>> _tenantsById = new(StringComparer.Ordinal);

    /// <summary>Conversations in progress.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>Finalized conversations still remembered.</summary>
    public int RememberedCount => _finalized.Count;

    /// <summary>Whether the conversation is in progress here.</summary>
    public bool IsActive(ConversationKey key) => _active.ContainsKey(key);

    /// <summary>Whether any conversation with this id is active or remembered here.</summary>
    public bool Knows(string conversationId) => _tenantsById.ContainsKey(conversationId);

    /// <summary>Distinct segments of an active conversation so far: the turn position of the latest one is this minus one.</summary>
    public int SegmentCount(ConversationKey key) => _active.TryGetValue(key, out var s) ? s.Segments.Count : 0;

    /// <summary>Live (per-conversation) state of an active conversation, e.g. an alert monitor.</summary>
    public TLive Live(ConversationKey key) => _active[key].Live;

    /// <summary>Metadata of an active or remembered conversation, when its <c>started</c> event arrived.</summary>
    public ConversationMeta? Meta(ConversationKey key) =>
        _active.TryGetValue(key, out var s) ? s.Meta
        : _finalized.TryGetValue(key, out var f) ? f.Meta
        : null;

    /// <summary>The remembered finalization of <paramref name="key"/>, if any.</summary>
    public FinalizedMark? Finalized(ConversationKey key) => _finalized.TryGetValue(key, out var f) ? f.Mark : null;

    /// <summary>
    /// The conversation a message belongs to and what to do with it. A message that names its tenant belongs to
    /// (tenant, id). One that does not belongs to the remembered finalization that already incorporates it (a re-read),
    /// else to the only conversation with that id in progress here, else to a conversation whose tenant is not known
    /// yet: a later <c>started</c> names it, or, when none comes, <see cref="Collect"/> hands it over unnamed and the
    /// caller adds it to the remembered finalization with that id (a late message) or stores it under the default tenant.
    /// </summary>
    public (ConversationKey Key, Disposition Disposition) Resolve(string? tenant, string conversationId, MessagePosition position)
    {
        var key = ConversationKey.Of(tenant, conversationId);
        if (key.HasTenant)
        {
            if (_active.ContainsKey(key)) return (key, Disposition.Track);
            if (_finalized.TryGetValue(key, out var f)) return (key, f.Mark.Incorporates(position) ? Disposition.Incorporated : Disposition.Late);
            return (key, Disposition.Track);
        }
        if (!_tenantsById.TryGetValue(conversationId, out var tenants)) return (key, Disposition.Track);
        ConversationKey? active = null;
        var activeCount = 0;
        foreach (var t in tenants)
        {
            var k = new ConversationKey(t, conversationId);
            if (_finalized.TryGetValue(k, out var f) && f.Mark.Incorporates(position)) return (k, Disposition.Incorporated);
            if (!_active.ContainsKey(k)) continue;
            activeCount++;
            active = k;
        }
        // With several in progress (two tenants reusing an id at the same time), the unnamed one is the only safe
        // home: it is named by its 'started' or stored under the default tenant, never mixed into another tenant's.
        return activeCount == 1 ? (active!.Value, Disposition.Track) : (key, Disposition.Track);
    }

    /// <summary>
    /// The finalized conversation that messages under <paramref name="key"/> are late messages of, if any: the key names
    /// no tenant, no <c>started</c> gave it metadata, and exactly one finalized conversation has that id.
    /// </summary>
    public FinalizedMark? LateOf(ConversationKey key, ConversationMeta? meta) =>
        !key.HasTenant && meta is null ? OnlyFinalized(key.Id) : null;

    /// <summary>The one remembered finalization of a named tenant with this id, when exactly one is remembered (for an unnamed late message).</summary>
    public FinalizedMark? OnlyFinalized(string conversationId)
    {
        if (!_tenantsById.TryGetValue(conversationId, out var tenants)) return null;
        FinalizedMark? only = null;
        foreach (var t in tenants)
        {
            if (t.Length == 0 || !_finalized.TryGetValue(new ConversationKey(t, conversationId), out var f)) continue;
            if (only is not null) return null;
            only = f.Mark;
        }
        return only;
    }

    /// <summary>A <c>started</c> event: records the metadata; segments that came before it without a tenant join this conversation.</summary>
    public void OnStarted(ConversationKey key, ConversationMeta meta, MessagePosition position, long nowMs)
    {
        if (key.HasTenant)
        {
            var unnamed = new ConversationKey("", key.Id);
            if (_active.Remove(unnamed, out var early))
            {
                Forget(unnamed);
                if (_active.TryGetValue(key, out var existing)) existing.Absorb(early);
                else Add(key, early);
            }
        }
        var s = Get(key, nowMs);
        s.Meta = meta;
        s.Touch(position, nowMs);
    }

    /// <summary>A transcript segment.</summary>
    public void OnSegment(ConversationKey key, TrackedSegment segment, long nowMs)
    {
        var s = Get(key, nowMs);
        // A final replaces the partial with the same id; a partial never replaces a final.
        if (segment.IsFinal || !s.Segments.TryGetValue(segment.SegmentId, out var existing) || !existing.IsFinal)
        {
            s.Segments[segment.SegmentId] = segment;
        }
        s.Touch(segment.Position, nowMs);
    }

    /// <summary>
    /// Asked, once the grace after <c>ended</c> has passed without every announced segment, whether the conversation may
    /// be finalized: given where the <c>ended</c> was read and its Kafka timestamp, false while a partition that may still
    /// hold its segments has not been read that far (the consumer lags). Null: the grace alone decides.
    /// </summary>
    public Func<MessagePosition, long, bool>? MayCloseAfterGrace { get; set; }

    /// <summary>
    /// An audio chunk: it belongs to the conversation (its offset is done with the conversation's rows) and keeps it
    /// alive. <paramref name="audioOpen"/>: whether some audio channel of it has not sent its last chunk yet, so an
    /// <c>ended</c> conversation waits up to <see cref="PipelineOptions.AudioEndGraceS"/> for the rest.
    /// </summary>
    public void OnAudio(ConversationKey key, MessagePosition position, bool audioOpen, long nowMs)
    {
        var s = Get(key, nowMs);
        s.AudioOpen = audioOpen;
        s.Touch(position, nowMs);
    }

    /// <summary>Whether the conversation has had audio.</summary>
    public bool HasAudio(ConversationKey key) => _active.TryGetValue(key, out var s) && s.AudioOpen is not null;

    /// <param name="segmentCount">Final segments the producer sent, when the event says so.</param>
    /// <param name="kafkaTsMs">The <c>ended</c> message's Kafka timestamp (for <see cref="MayCloseAfterGrace"/>).</param>
    public void OnEnded(ConversationKey key, int? segmentCount, long endedAtMs, MessagePosition position, long nowMs, long? kafkaTsMs = null)
    {
        var s = Get(key, nowMs);
        s.EndedAtMs = endedAtMs;
        s.EndedSeenMs = nowMs;
        s.ExpectedSegments = segmentCount;
        s.EndedPosition = position;
        s.EndedKafkaTsMs = kafkaTsMs;
        s.Touch(position, nowMs);
    }

    /// <summary>
    /// Reopens a finalized conversation whose state was released, from the segments its stored rows hold, so that a
    /// late message is added to everything it had. <paramref name="unnamed"/>: late messages that came without a tenant
    /// and were handed over unnamed by <see cref="Collect"/>; they join the reopened conversation.
    /// </summary>
    public void Reopen(FinalizedMark mark, ConversationMeta? meta, IEnumerable<TrackedSegment> segments, long nowMs,
        FinalizedConversation? unnamed = null)
    {
        _finalized.Remove(mark.Key);
        var s = new State(newLiveState(mark.Key), nowMs) { Meta = meta };
        foreach (var seg in segments) s.Segments[seg.SegmentId] = seg;
        s.Restore(mark);
        if (unnamed is not null)
        {
            _finalized.Remove(unnamed.Key);
            Forget(unnamed.Key);
            foreach (var seg in unnamed.Segments)
            {
                if (seg.IsFinal || !s.Segments.TryGetValue(seg.SegmentId, out var mine) || !mine.IsFinal) s.Segments[seg.SegmentId] = seg;
            }
            foreach (var p in unnamed.Positions) s.Touch(p, nowMs);
        }
        Add(mark.Key, s);
    }

    /// <summary>
    /// The conversations in progress that have waited longest for a message, each with what it waits for: its
    /// <c>ended</c> event, the segments that event announced, or its <c>started</c>. For the progress log: an operator
    /// sees why a run does not go idle.
    /// </summary>
    public IReadOnlyList<string> DescribeWaiting(long nowMs, int max)
    {
        return _active
            .OrderBy(kv => kv.Value.LastActivityMs)
            .Take(max)
            .Select(kv =>
            {
                var s = kv.Value;
                var finals = s.Segments.Values.Count(x => x.IsFinal);
                var waits = s.EndedSeenMs is null
                    ? $"no 'ended' yet; finalized after {options.IdleTimeoutS} s without messages"
                    : $"'ended' announced {s.ExpectedSegments?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} segments";
                return $"{kv.Key} ({finals} final segments, {(s.Meta is null ? "no 'started'" : "started")}, idle {(nowMs - s.LastActivityMs) / 1000} s, {waits})";
            })
            .ToList();
    }

    /// <summary>Takes every conversation that is complete at <paramref name="nowMs"/> out of the active set; their segments are released.</summary>
    public IReadOnlyList<FinalizedConversation> Collect(long nowMs)
    {
        List<FinalizedConversation>? ready = null;
        foreach (var (key, s) in _active)
        {
            string? reason = null;
            if (s.EndedSeenMs is { } seen)
            {
                var finals = 0;
                foreach (var seg in s.Segments.Values) if (seg.IsFinal) finals++;
                // Audio still coming (a channel without its last chunk) extends the grace; all of it in ends the wait.
                var grace = s.AudioOpen == true ? Math.Max(options.EndGraceS, options.AudioEndGraceS) : options.EndGraceS;
                var segmentsIn = s.ExpectedSegments is { } expected && finals >= expected;
                if (segmentsIn && s.AudioOpen != true)
                {
                    reason = "ended";
                }
                else if (nowMs - seen >= grace * 1000L)
                {
                    // Wall-clock grace is not enough when the consumer lags: the segments may still be unread in the
                    // transcripts partition. Then wait until it was read past the 'ended' (or caught up); the idle
                    // timeout still bounds the wait.
                    var mayClose = s.EndedKafkaTsMs is not { } ts || s.EndedPosition is not { } at || MayCloseAfterGrace is not { } check
                        || check(at, ts) || nowMs - seen >= options.IdleTimeoutS * 1000L;
                    if (mayClose) reason = "ended";
                }
            }
            else if (nowMs - s.LastActivityMs >= options.IdleTimeoutS * 1000L)
            {
                reason = "idle_timeout";
            }
            else if (LateOf(key, s.Meta) is not null
                     && nowMs - s.LastActivityMs >= Math.Max(options.EndGraceS, options.AudioEndGraceS) * 1000L)
            {
                // Late messages without a tenant (audio chunks, segments) of the one finalized conversation with that id:
                // once they have been quiet for the end grace, the caller joins them to it and finalizes it again, rather
                // than waiting the idle timeout for a 'started' or an 'ended' that came before them.
                reason = "ended";
            }
            if (reason is null) continue;
            (ready ??= []).Add(s.Finalize(key, reason));
        }
        if (ready is not null)
        {
            foreach (var f in ready)
            {
                var s = _active[f.Key];
                _active.Remove(f.Key);
                _finalized[f.Key] = (new FinalizedMark(f.Key, f.Version, f.LastOffsets), s.Meta, nowMs);
            }
        }
        PurgeFinalized(nowMs);
        return ready ?? (IReadOnlyList<FinalizedConversation>)[];
    }

    /// <summary>Remembers a finalization read from the durable ledger (after a restart or a rebalance).</summary>
    public void Remember(FinalizedMark mark, ConversationMeta? meta, long nowMs)
    {
        if (_active.ContainsKey(mark.Key)) return;
        _finalized[mark.Key] = (mark, meta, nowMs);
        Index(mark.Key);
    }

    /// <summary>Forgets every conversation that has a message in a partition this consumer no longer owns.</summary>
    public int Revoke(IReadOnlyCollection<(string Topic, int Partition)> partitions)
    {
        var lost = new HashSet<(string, int)>(partitions);
        var dropped = 0;
        foreach (var key in _active.Where(kv => kv.Value.LastOffsets.Keys.Any(lost.Contains)).Select(kv => kv.Key).ToList())
        {
            _active.Remove(key);
            Forget(key);
            dropped++;
        }
        foreach (var key in _finalized.Where(kv => kv.Value.Mark.LastOffsets.Keys.Any(lost.Contains)).Select(kv => kv.Key).ToList())
        {
            _finalized.Remove(key);
            Forget(key);
        }
        return dropped;
    }

    private State Get(ConversationKey key, long nowMs)
    {
        if (_active.TryGetValue(key, out var s)) return s;
        s = new State(newLiveState(key), nowMs);
        Add(key, s);
        return s;
    }

    private void Add(ConversationKey key, State s)
    {
        _active[key] = s;
        Index(key);
    }

    private void Index(ConversationKey key)
    {
        if (!_tenantsById.TryGetValue(key.Id, out var tenants)) _tenantsById[key.Id] = tenants = new List<string>(1);
        if (!tenants.Contains(key.Tenant, StringComparer.Ordinal)) tenants.Add(key.Tenant);
    }

    private void Forget(ConversationKey key)
    {
        if (_active.ContainsKey(key) || _finalized.ContainsKey(key)) return;
        if (!_tenantsById.TryGetValue(key.Id, out var tenants)) return;
        tenants.Remove(key.Tenant);
        if (tenants.Count == 0) _tenantsById.Remove(key.Id);
    }

    private void PurgeFinalized(long nowMs)
    {
        if (_finalized.Count == 0) return;
        List<ConversationKey>? old = null;
        foreach (var (key, f) in _finalized)
        {
            if (nowMs - f.AtMs >= options.FinalizedMemoryS * 1000L) (old ??= []).Add(key);
        }
        if (old is null) return;
        foreach (var key in old)
        {
            _finalized.Remove(key);
            Forget(key);
        }
    }

    private sealed class State(TLive live, long nowMs)
    {
        public TLive Live { get; } = live;
        public ConversationMeta? Meta { get; set; }
        public Dictionary<string, TrackedSegment> Segments { get; } = new(StringComparer.Ordinal);
        public Dictionary<(string Topic, int Partition), long> LastOffsets { get; } = [];
        public long LastActivityMs { get; private set; } = nowMs;
        public long? EndedAtMs { get; set; }
        public long? EndedSeenMs { get; set; }
        public int? ExpectedSegments { get; set; }
        public MessagePosition? EndedPosition { get; set; }
        public long? EndedKafkaTsMs { get; set; }
        /// <summary>Null without audio; true while some audio channel has not sent its last chunk.</summary>
        public bool? AudioOpen { get; set; }
        private readonly List<MessagePosition> _pending = [];
        private long _messages;

        public void Touch(MessagePosition position, long now)
        {
            _pending.Add(position);
            _messages++;
            var tp = (position.Topic, position.Partition);
            if (!LastOffsets.TryGetValue(tp, out var last) || position.Offset > last) LastOffsets[tp] = position.Offset;
            LastActivityMs = now;
        }

        /// <summary>Continues from a finalization: its messages count, and its offsets are already done.</summary>
        public void Restore(FinalizedMark mark)
        {
            _messages += mark.Version;
            foreach (var (tp, last) in mark.LastOffsets)
            {
                if (!LastOffsets.TryGetValue(tp, out var mine) || last > mine) LastOffsets[tp] = last;
            }
            // Without a new 'ended', a reopened conversation is finalized after the grace period (or the idle timeout
            // when it never had one); the announced count no longer describes what arrived.
            EndedSeenMs = LastActivityMs;
            ExpectedSegments = null;
        }

        /// <summary>Takes in what arrived for the same conversation before its tenant was known.</summary>
        public void Absorb(State early)
        {
            foreach (var (id, seg) in early.Segments)
            {
                if (seg.IsFinal || !Segments.TryGetValue(id, out var mine) || !mine.IsFinal) Segments[id] = seg;
            }
            foreach (var p in early._pending) Touch(p, Math.Max(LastActivityMs, early.LastActivityMs));
            if (early.AudioOpen is { } open) AudioOpen = (AudioOpen ?? false) || open;
            EndedAtMs ??= early.EndedAtMs;
            EndedSeenMs ??= early.EndedSeenMs;
            ExpectedSegments ??= early.ExpectedSegments;
            EndedPosition ??= early.EndedPosition;
            EndedKafkaTsMs ??= early.EndedKafkaTsMs;
        }

        public FinalizedConversation Finalize(ConversationKey key, string reason)
        {
            var segments = Segments.Values.OrderBy(s => s.Seq).ThenBy(s => s.StartMs).ToList();
            var positions = _pending.ToList();
            _pending.Clear();
            var endedAt = EndedAtMs ?? (segments.Count > 0 ? (Meta?.StartedAtMs ?? 0) + segments[^1].EndMs : LastActivityMs);
            return new FinalizedConversation(key, Meta, segments, reason, _messages, endedAt, positions,
                new Dictionary<(string, int), long>(LastOffsets));
        }
    }
}
