using Confluent.Kafka;
using Emotion.Ingest.Kafka;

namespace Emotion.Ingest.Tests;

public class OffsetTrackerTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);

    private static OffsetTracker Tracked(TopicPartition tp, params long[] offsets)
    {
        var t = new OffsetTracker();
        foreach (var o in offsets) t.Track(tp, o);
        return t;
    }

    [Fact]
    public void In_order_done_marks_advance_the_commit_point_one_by_one()
    {
        var t = Tracked(P0, 0, 1, 2);
        Assert.Equal(1, t.MarkDone(P0, 0));
        Assert.Equal(2, t.MarkDone(P0, 1));
        Assert.Equal(3, t.MarkDone(P0, 2));
        Assert.Equal(0, t.InFlight(P0));
    }

    [Fact]
    public void Out_of_order_done_marks_commit_only_the_contiguous_prefix()
    {
        var t = Tracked(P0, 10, 11, 12, 13);
        Assert.Null(t.MarkDone(P0, 12));
        Assert.Null(t.MarkDone(P0, 11));
        Assert.Null(t.Committable(P0));
        Assert.Equal(13, t.MarkDone(P0, 10));   // 10, 11, 12 done; 13 in flight
        Assert.Equal(13, t.Committable(P0));
        Assert.Equal(14, t.MarkDone(P0, 13));
    }

    [Fact]
    public void Gaps_in_offset_numbers_do_not_block_the_commit_point()
    {
        // Compacted topics and transaction markers leave holes: 5, 8, 9.
        var t = Tracked(P0, 5, 8, 9);
        Assert.Null(t.MarkDone(P0, 8));
        Assert.Equal(9, t.MarkDone(P0, 5));
        Assert.Equal(10, t.MarkDone(P0, 9));
    }

    [Fact]
    public void Partitions_are_independent()
    {
        var t = new OffsetTracker();
        t.Track(P0, 0);
        t.Track(P1, 0);
        t.Track(P0, 1);
        Assert.Equal(1, t.MarkDone(P1, 0));
        Assert.Null(t.MarkDone(P0, 1));
        Assert.Equal(2, t.MarkDone(P0, 0));
        Assert.Equal(0, t.TotalInFlight);
    }

    [Fact]
    public void Unknown_and_repeated_done_marks_are_ignored()
    {
        var t = Tracked(P0, 0, 1);
        Assert.Null(t.MarkDone(P0, 7));
        Assert.Null(t.MarkDone(P1, 0));
        Assert.Equal(1, t.MarkDone(P0, 0));
        Assert.Null(t.MarkDone(P0, 0));
        Assert.Equal(1, t.InFlight(P0));
    }

    [Fact]
    public void Revocation_reset_forgets_the_partition()
    {
        var t = Tracked(P0, 0, 1, 2);
        Assert.Equal(1, t.MarkDone(P0, 0));
        t.Reset([P0]);
        Assert.Null(t.MarkDone(P0, 1));    // done after revocation: the next owner re-reads it
        Assert.Null(t.Committable(P0));
        Assert.Equal(0, t.InFlight(P0));
        // Re-assigned later: tracking starts over from the committed offset.
        t.Track(P0, 1);
        Assert.Equal(2, t.MarkDone(P0, 1));
    }

    [Fact]
    public void Rewind_restarts_the_partition_state()
    {
        var t = Tracked(P0, 0, 1, 2);
        t.Track(P0, 1); // seek back / re-delivery
        Assert.Equal(1, t.InFlight(P0));
        Assert.Null(t.MarkDone(P0, 0));
        Assert.Equal(2, t.MarkDone(P0, 1));
    }

    [Fact]
    public void Concurrent_done_marks_end_at_the_last_offset_plus_one()
    {
        var t = new OffsetTracker();
        for (var i = 0; i < 10_000; i++) t.Track(P0, i);
        Parallel.For(0, 10_000, i => t.MarkDone(P0, 9_999 - i));
        Assert.Equal(10_000, t.Committable(P0));
        Assert.Equal(0, t.TotalInFlight);
    }
}
