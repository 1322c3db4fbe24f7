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

/// <summary>A conversation ready for analysis, with every Kafka position whose effects its rows carry.</summary>
/// <param name="Reason"><c>ended</c> or <c>idle_timeout</c>.</param>
/// <param name="Version">Number of messages incorporated: grows when a late message re-finalizes the conversation, and is the same when a topic is replayed.</param>
public sealed record FinalizedConversation(
    string ConversationId,
    ConversationMeta? Meta,
    IReadOnlyList<TrackedSegment> Segments,
    string Reason,
    long Version,
    long EndedAtMs,
    IReadOnlyList<MessagePosition> Positions);

/// <summary>
/// Per-conversation state of the scoring stage: it collects a conversation's segments and events, decides
/// when the conversation is complete (<c>ended</c> plus every announced segment, <c>ended</c> plus a grace
/// period, or an idle timeout) and hands it over whole. Pure logic; time is passed in. Not thread-safe: one
/// loop owns it.
/// </summary>
public sealed class ConversationTracker<TLive>(PipelineOptions options, Func<string, TLive> newLiveState)
{
    private readonly Dictionary<string, State> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, State> _finalized = new(StringComparer.Ordinal);

    /// <summary>Conversations in progress.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>Whether the conversation is in progress here.</summary>
    public bool IsActive(string conversationId) => _active.ContainsKey(conversationId);

    /// <summary>Distinct segments of an active conversation so far: the turn position of the latest one is this minus one.</summary>
    public int SegmentCount(string conversationId) => _active.TryGetValue(conversationId, out var s) ? s.Segments.Count : 0;

    /// <summary>Live (per-conversation) state of an active conversation, e.g. an alert monitor.</summary>
    public TLive Live(string conversationId) => Get(conversationId, 0).Live;

    /// <summary>Metadata of an active or recently finalized conversation, when its <c>started</c> event arrived.</summary>
    public ConversationMeta? Meta(string conversationId) =>
        _active.TryGetValue(conversationId, out var s) ? s.Meta
        : _finalized.TryGetValue(conversationId, out var f) ? f.Meta
        : null;

    public void OnStarted(string conversationId, ConversationMeta meta, MessagePosition position, long nowMs)
    {
        var s = Get(conversationId, nowMs);
        s.Meta = meta;
        s.Touch(position, nowMs);
    }

    public void OnSegment(string conversationId, TrackedSegment segment, long nowMs)
    {
        var s = Get(conversationId, nowMs);
        // A final replaces the partial with the same id; a partial never replaces a final.
        if (segment.IsFinal || !s.Segments.TryGetValue(segment.SegmentId, out var existing) || !existing.IsFinal)
        {
            s.Segments[segment.SegmentId] = segment;
        }
        s.Touch(segment.Position, nowMs);
    }

    /// <param name="segmentCount">Final segments the producer sent, when the event says so.</param>
    public void OnEnded(string conversationId, int? segmentCount, long endedAtMs, MessagePosition position, long nowMs)
    {
        var s = Get(conversationId, nowMs);
        s.EndedAtMs = endedAtMs;
        s.EndedSeenMs = nowMs;
        s.ExpectedSegments = segmentCount;
        s.Touch(position, nowMs);
    }

    /// <summary>Takes every conversation that is complete at <paramref name="nowMs"/> out of the active set.</summary>
    public IReadOnlyList<FinalizedConversation> Collect(long nowMs)
    {
        List<FinalizedConversation>? ready = null;
        foreach (var (id, s) in _active)
        {
            string? reason = null;
            if (s.EndedSeenMs is { } seen)
            {
                var finals = 0;
                foreach (var seg in s.Segments.Values) if (seg.IsFinal) finals++;
                if ((s.ExpectedSegments is { } expected && finals >= expected) || nowMs - seen >= options.EndGraceS * 1000L)
                    reason = "ended";
            }
            else if (nowMs - s.LastActivityMs >= options.IdleTimeoutS * 1000L)
            {
                reason = "idle_timeout";
            }
            if (reason is null) continue;
            (ready ??= []).Add(s.Finalize(id, reason, nowMs));
        }
        if (ready is null)
        {
            PurgeFinalized(nowMs);
            return [];
        }
        foreach (var f in ready)
        {
            _finalized[f.ConversationId] = _active[f.ConversationId];
            _active.Remove(f.ConversationId);
        }
        PurgeFinalized(nowMs);
        return ready;
    }

    /// <summary>Forgets every conversation that has a message in a partition this consumer no longer owns.</summary>
    public int Revoke(IReadOnlyCollection<(string Topic, int Partition)> partitions)
    {
        var lost = new HashSet<(string, int)>(partitions);
        var dropped = 0;
        foreach (var map in new[] { _active, _finalized })
        {
            foreach (var id in map.Where(kv => kv.Value.Positions.Any(p => lost.Contains((p.Topic, p.Partition)))).Select(kv => kv.Key).ToList())
            {
                map.Remove(id);
                dropped++;
            }
        }
        return dropped;
    }

    private State Get(string id, long nowMs)
    {
        if (_active.TryGetValue(id, out var s)) return s;
        if (_finalized.Remove(id, out var done))
        {
            // A late message: reopen the whole conversation so that it is finalized again with everything.
            done.Reopen(nowMs);
            _active[id] = done;
            return done;
        }
        s = new State(newLiveState(id), nowMs);
        _active[id] = s;
        return s;
    }

    private void PurgeFinalized(long nowMs)
    {
        if (_finalized.Count == 0) return;
        foreach (var id in _finalized.Where(kv => nowMs - kv.Value.FinalizedAtMs >= options.FinalizedMemoryS * 1000L).Select(kv => kv.Key).ToList())
            _finalized.Remove(id);
    }

    private sealed class State(TLive live, long nowMs)
    {
        public TLive Live { get; } = live;
        public ConversationMeta? Meta { get; set; }
        public Dictionary<string, TrackedSegment> Segments { get; } = new(StringComparer.Ordinal);
        public List<MessagePosition> Positions { get; } = [];
        public long LastActivityMs { get; private set; } = nowMs;
        public long? EndedAtMs { get; set; }
        public long? EndedSeenMs { get; set; }
        public int? ExpectedSegments { get; set; }
        public long FinalizedAtMs { get; private set; }
        private int _committedPositions;

        public void Touch(MessagePosition position, long now)
        {
            Positions.Add(position);
            LastActivityMs = now;
        }

        public void Reopen(long now)
        {
            LastActivityMs = now;
            // Without a new 'ended', a reopened conversation is finalized again after the grace period.
            // The announced count no longer describes what arrived, so it is dropped.
            if (EndedSeenMs is not null) EndedSeenMs = now;
            ExpectedSegments = null;
        }

        public FinalizedConversation Finalize(string id, string reason, long now)
        {
            FinalizedAtMs = now;
            var segments = Segments.Values.OrderBy(s => s.Seq).ThenBy(s => s.StartMs).ToList();
            // Only positions not handed over before: earlier ones were already made durable.
            var newPositions = Positions.Skip(_committedPositions).ToList();
            _committedPositions = Positions.Count;
            var endedAt = EndedAtMs ?? (segments.Count > 0 ? (Meta?.StartedAtMs ?? 0) + segments[^1].EndMs : LastActivityMs);
            return new FinalizedConversation(id, Meta, segments, reason, Positions.Count, endedAt, newPositions);
        }
    }
}
