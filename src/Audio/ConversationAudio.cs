using Emotion.Ingest.Contracts;

namespace Emotion.Audio;

/// <summary>What happened to one chunk.</summary>
public enum ChunkOutcome
{
    /// <summary>Measured now (in order, or the reorder window moved past a gap).</summary>
    Measured,
    /// <summary>Held until the chunks before it arrive (or the reorder window fills).</summary>
    Held,
    /// <summary>A chunk with the same channel and sequence was taken already: dropped.</summary>
    Duplicate,
}

/// <summary>
/// The audio of one conversation in progress, keyed by the pipeline like its transcript (tenant, conversation id).
/// Each stream (a speaker's channel, or a stereo stream) puts its chunks back in sequence order: a chunk is measured
/// when it is the next one, or when <see cref="ReorderWindow"/> chunks wait behind a gap (the gap is skipped); a chunk
/// that arrives after its place was passed is measured on its own at its offset; a repeated sequence is dropped.
/// Chunks are decoded when they arrive (a bad one throws there) and measured into 20 ms frames, so the raw audio is
/// not kept: a conversation costs about 400 bytes per second of audio per speaker.
/// Not thread-safe: one loop owns it.
/// </summary>
public sealed class ConversationAudio
{
    /// <summary>Chunks a stream holds back behind a missing one before it gives the missing one up.</summary>
    public const int ReorderWindow = 8;

    private readonly Dictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelStream> _channels = new(StringComparer.Ordinal);
    private readonly LiveArousal _live;

    /// <param name="options">Live window and agitation thresholds.</param>
    public ConversationAudio(AudioOptions? options = null)
    {
        Options = options ?? new AudioOptions();
        _live = new LiveArousal(Options);
    }

    /// <summary>The options in use.</summary>
    public AudioOptions Options { get; }

    /// <summary>Chunks taken (not counting duplicates).</summary>
    public int Chunks { get; private set; }

    /// <summary>Chunks dropped as repeats of a sequence already taken.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Chunks that arrived out of sequence order.</summary>
    public int Reordered { get; private set; }

    /// <summary>Sequence numbers skipped because they never came within the reorder window.</summary>
    public int Missing { get; private set; }

    /// <summary>When the first chunk was produced (Unix ms) minus its offset: the call's start, as audio tells it.</summary>
    public long? StartedAtMs { get; private set; }

    /// <summary>Streams whose producer sent their last chunk.</summary>
    public IReadOnlyCollection<string> Finished => _streams.Where(s => s.Value.Last).Select(s => s.Key).ToList();

    /// <summary>Whether every stream seen so far has had its last chunk.</summary>
    public bool AllFinished => _streams.Count > 0 && _streams.Values.All(s => s.Last);

    /// <summary>The speakers heard so far and their frames.</summary>
    public IReadOnlyDictionary<string, FrameTrack> Tracks => _channels.ToDictionary(c => c.Key, c => c.Value.Track, StringComparer.Ordinal);

    /// <summary>
    /// Takes one chunk: decodes it (throws <see cref="AudioDecodeException"/> when its bytes are bad) and measures it,
    /// or holds it until the chunks before it come. <paramref name="producedAtMs"/>: when it was produced (Unix ms).
    /// Returns what happened and any live agitation alert that the customer's newest measured audio raised.
    /// </summary>
    public (ChunkOutcome Outcome, IReadOnlyList<AgitationAlert> Alerts) Add(AudioChunk chunk, long producedAtMs)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var meta = chunk.Meta;
        if (!_streams.TryGetValue(meta.Channel, out var stream)) _streams[meta.Channel] = stream = new StreamState();
        if (!stream.Seen.Add(meta.Seq))
        {
            Duplicates++;
            return (ChunkOutcome.Duplicate, []);
        }
        DecodedAudio decoded;
        try
        {
            decoded = AudioDecoder.Decode(meta, chunk.Payload);
        }
        catch
        {
            stream.Seen.Remove(meta.Seq);
            throw;
        }
        Chunks++;
        if (meta.Last == true) stream.Last = true;
        StartedAtMs ??= producedAtMs - meta.StartMs - (long)decoded.DurationMs;
        if (stream.Next is { } next && meta.Seq < next)
        {
            // Its place was passed: measure it on its own at its offset.
            Reordered++;
            Measure(decoded, meta.StartMs);
            return (ChunkOutcome.Measured, Live());
        }
        if (stream.Pending.Count > 0 && meta.Seq < stream.Pending.Keys.Max()) Reordered++;
        stream.Pending[meta.Seq] = (decoded, meta.StartMs);
        // The first chunk of a stream: sequence 0 or offset 0 starts it; otherwise wait for the window to show the lowest.
        if (stream.Next is null && (meta.Seq == 0 || meta.StartMs == 0)) stream.Next = stream.Pending.Keys.Min();
        var measured = Drain(stream, all: false);
        return (measured ? ChunkOutcome.Measured : ChunkOutcome.Held, measured ? Live() : []);
    }

    /// <summary>Measures every chunk still held (the conversation is being finalized) and the ends of the streams.</summary>
    public void Complete()
    {
        foreach (var s in _streams.Values) Drain(s, all: true);
        foreach (var c in _channels.Values) c.Flush();
    }

    /// <summary>Takes in what arrived under another key for the same conversation (before its tenant was known).</summary>
    public void Absorb(ConversationAudio other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other.Complete();
        Complete();
        foreach (var (speaker, stream) in other._channels)
        {
            var mine = Channel(speaker).Track;
            for (var k = stream.Track.Origin; k < stream.Track.End; k++)
            {
                if (stream.Track.Has(k)) mine.Set(k, stream.Track.Db(k), stream.Track.F0(k));
            }
        }
        foreach (var (name, s) in other._streams)
        {
            if (!_streams.TryGetValue(name, out var mine)) _streams[name] = mine = new StreamState();
            mine.Seen.UnionWith(s.Seen);
            mine.Last |= s.Last;
            if (s.Next is { } n && (mine.Next is null || n > mine.Next)) mine.Next = n;
        }
        Chunks += other.Chunks;
        Duplicates += other.Duplicates;
        Reordered += other.Reordered;
        Missing += other.Missing;
        StartedAtMs ??= other.StartedAtMs;
    }

    private bool Drain(StreamState s, bool all)
    {
        var measured = false;
        while (s.Pending.Count > 0)
        {
            var first = s.Pending.Keys.Min();
            if (s.Next is null && !all && s.Pending.Count < ReorderWindow) break;
            s.Next ??= first;
            if (first != s.Next && !all && s.Pending.Count < ReorderWindow) break;
            if (first > s.Next) Missing += (int)Math.Min(int.MaxValue, first - s.Next.Value);
            var (decoded, startMs) = s.Pending[first];
            s.Pending.Remove(first);
            Measure(decoded, startMs);
            s.Next = first + 1;
            measured = true;
        }
        return measured;
    }

    private void Measure(DecodedAudio decoded, long startMs)
    {
        foreach (var (speaker, samples) in decoded.Channels) Channel(speaker).Append(samples, decoded.SampleRate, startMs);
    }

    private ChannelStream Channel(string speaker)
    {
        if (!_channels.TryGetValue(speaker, out var c)) _channels[speaker] = c = new ChannelStream(new FrameTrack());
        return c;
    }

    private IReadOnlyList<AgitationAlert> Live() =>
        _channels.TryGetValue(Speakers.Customer, out var customer) ? _live.Advance(customer.Track) : [];

    private sealed class StreamState
    {
        public HashSet<long> Seen { get; } = [];
        public SortedDictionary<long, (DecodedAudio Audio, long StartMs)> Pending { get; } = [];
        public long? Next { get; set; }
        public bool Last { get; set; }
    }
}
