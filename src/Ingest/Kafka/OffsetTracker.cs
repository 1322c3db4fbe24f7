using Confluent.Kafka;

namespace Emotion.Ingest.Kafka;

/// <summary>
/// Per partition, the offsets handed to the pipeline and not yet done (done = their effects are durable in
/// ClickHouse). Messages finish out of order; the commit point only moves over a contiguous prefix of tracked
/// offsets, so a crash replays exactly the messages that were not done (and maybe some that were, which the
/// idempotent store absorbs). Gaps in offset numbers (compaction, transaction markers) need no special case:
/// the prefix is over tracked offsets, not over numbers. Thread-safe.
/// </summary>
public sealed class OffsetTracker
{
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly Lock _lock = new();

    /// <summary>Records that <paramref name="offset"/> was handed to the pipeline. Offsets of a partition arrive in increasing order;
    /// an offset at or below the last tracked one means the partition was rewound (seek, re-delivery) and restarts its state.</summary>
    public void Track(TopicPartition tp, long offset)
    {
        ArgumentNullException.ThrowIfNull(tp);
        lock (_lock)
        {
            if (!_partitions.TryGetValue(tp, out var s)) _partitions[tp] = s = new PartitionState();
            if (s.Pending.Count > 0 || s.Highest >= 0)
            {
                if (offset <= s.Highest)
                {
                    s.Reset();
                }
            }
            s.Pending.Enqueue(offset);
            s.InFlight.Add(offset);
            s.Highest = offset;
        }
    }

    /// <summary>
    /// Marks <paramref name="offset"/> done. Returns the new commit point (the offset to store: last contiguous done + 1)
    /// when it advanced, else null. Unknown offsets (already done, or of a partition reset by revocation) are ignored.
    /// </summary>
    public long? MarkDone(TopicPartition tp, long offset)
    {
        ArgumentNullException.ThrowIfNull(tp);
        lock (_lock)
        {
            if (!_partitions.TryGetValue(tp, out var s) || !s.InFlight.Remove(offset)) return null;
            s.Done.Add(offset);
            long? commit = null;
            while (s.Pending.TryPeek(out var head) && s.Done.Remove(head))
            {
                s.Pending.Dequeue();
                commit = head + 1;
            }
            if (commit is not null) s.Committable = commit;
            return commit;
        }
    }

    /// <summary>The offset to store for <paramref name="tp"/> (every tracked message before it is done), or null if none yet.</summary>
    public long? Committable(TopicPartition tp)
    {
        lock (_lock) return _partitions.TryGetValue(tp, out var s) ? s.Committable : null;
    }

    /// <summary>Messages of <paramref name="tp"/> handed out and not yet done.</summary>
    public int InFlight(TopicPartition tp)
    {
        lock (_lock) return _partitions.TryGetValue(tp, out var s) ? s.InFlight.Count : 0;
    }

    /// <summary>Messages handed out and not yet done, over all partitions.</summary>
    public int TotalInFlight
    {
        get
        {
            lock (_lock) return _partitions.Values.Sum(s => s.InFlight.Count);
        }
    }

    /// <summary>Forgets partitions (revoked or lost): later done marks for them are ignored.</summary>
    public void Reset(IEnumerable<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        lock (_lock)
        {
            foreach (var tp in partitions) _partitions.Remove(tp);
        }
    }

    private sealed class PartitionState
    {
        public readonly Queue<long> Pending = new();   // tracked and not yet committable, in offset order
        public readonly HashSet<long> InFlight = [];   // tracked, not done
        public readonly HashSet<long> Done = [];       // done, waiting for an earlier offset
        public long Highest = -1;
        public long? Committable;

        public void Reset()
        {
            Pending.Clear();
            InFlight.Clear();
            Done.Clear();
            Highest = -1;
        }
    }
}
