namespace Emotion.Sentiment;

/// <summary>
/// The context states of the conversations a streaming caller is scoring with an <see cref="IContextSentimentModel"/>:
/// per conversation, the state after each final turn, by the turn's sequence number. A turn is scored with the state
/// after the latest recorded turn before it (<see cref="StateBefore"/>), so a turn read again (a restart, a rebalance)
/// gets the same state and the same prediction, and a partial turn can be scored without being recorded. A conversation
/// no turn has touched for the idle time is dropped by <see cref="EvictIdle"/>. Not thread-safe: one scoring loop owns it.
/// </summary>
public sealed class ConversationContextStore(TimeSpan idle, TimeProvider? time = null)
{
    /// <summary>States kept per conversation; the oldest go first (a re-read that old starts from the oldest kept).</summary>
    public const int MaxTurnsKept = 512;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Conversations held.</summary>
    public int Count => _entries.Count;

    /// <summary>The state after the latest recorded turn with a sequence number below <paramref name="seq"/>; null (zeros) when none.</summary>
    public float[]? StateBefore(string conversation, long seq)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!_entries.TryGetValue(conversation, out var e)) return null;
        e.Touched = _time.GetTimestamp();
        var i = e.Seqs.BinarySearch(seq);
        if (i < 0) i = ~i;
        return i == 0 ? null : e.States[i - 1];
    }

    /// <summary>Records the state after the turn <paramref name="seq"/> (replacing a state recorded for it before).</summary>
    public void Record(string conversation, long seq, float[] stateAfter)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(stateAfter);
        if (!_entries.TryGetValue(conversation, out var e)) _entries[conversation] = e = new Entry();
        e.Touched = _time.GetTimestamp();
        var i = e.Seqs.BinarySearch(seq);
        if (i >= 0)
        {
            e.States[i] = stateAfter;
            return;
        }
        i = ~i;
        e.Seqs.Insert(i, seq);
        e.States.Insert(i, stateAfter);
        if (e.Seqs.Count > MaxTurnsKept)
        {
            e.Seqs.RemoveAt(0);
            e.States.RemoveAt(0);
        }
    }

    /// <summary>Drops a conversation's states.</summary>
    public bool Forget(string conversation) => _entries.Remove(conversation);

    /// <summary>Drops the conversations no turn touched for longer than the idle time; returns how many.</summary>
    public int EvictIdle()
    {
        var now = _time.GetTimestamp();
        List<string>? old = null;
        foreach (var (key, e) in _entries)
        {
            if (_time.GetElapsedTime(e.Touched, now) > idle) (old ??= []).Add(key);
        }
        if (old is null) return 0;
        foreach (var key in old) _entries.Remove(key);
        return old.Count;
    }

    private sealed class Entry
    {
        public List<long> Seqs { get; } = [];

        public List<float[]> States { get; } = [];

        public long Touched { get; set; }
    }
}
