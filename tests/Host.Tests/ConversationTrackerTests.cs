using Emotion.Host.Pipeline;
using Emotion.Scoring;

namespace Emotion.Host.Tests;

public class ConversationTrackerTests
{
    private static readonly PipelineOptions Options = new() { IdleTimeoutS = 60, EndGraceS = 3, FinalizedMemoryS = 600 };
    private long _offset;

    private ConversationTracker<int> NewTracker() => new(Options, _ => 0);

    private MessagePosition Pos(string topic = "t", int partition = 0) => new(topic, partition, _offset++);

    private TrackedSegment Seg(string id, long seq, bool final = true, string text = "hola") =>
        new(id, seq, Speaker.Customer, seq * 1000, seq * 1000 + 900, text, "es", final, null, null, 0, Pos());

    [Fact]
    public void Ended_conversation_is_finalized_once_every_announced_segment_arrived()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s1", 1), 0);
        t.OnEnded("c1", segmentCount: 2, endedAtMs: 5000, Pos("events"), 10);
        Assert.Empty(t.Collect(20));

        t.OnSegment("c1", Seg("s2", 2), 30);
        var done = Assert.Single(t.Collect(40));
        Assert.Equal("ended", done.Reason);
        Assert.Equal(["s1", "s2"], done.Segments.Select(s => s.SegmentId));
        Assert.Equal(3, done.Positions.Count);
        Assert.Equal(0, t.ActiveCount);
    }

    [Fact]
    public void Ended_without_a_count_waits_for_the_grace_period()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s1", 1), 0);
        t.OnEnded("c1", null, 5000, Pos("events"), 1000);
        Assert.Empty(t.Collect(3999));
        Assert.Single(t.Collect(4000));
    }

    [Fact]
    public void Silent_conversation_is_finalized_by_idle_timeout()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s1", 1), 0);
        Assert.Empty(t.Collect(59_999));
        Assert.Equal("idle_timeout", Assert.Single(t.Collect(60_000)).Reason);
    }

    [Fact]
    public void Final_segment_replaces_its_partial_and_a_partial_never_replaces_a_final()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s1", 1, final: false, text: "me cobra"), 0);
        t.OnSegment("c1", Seg("s1", 1, final: true, text: "me cobraron dos veces"), 1);
        t.OnSegment("c1", Seg("s1", 1, final: false, text: "me cob"), 2);
        t.OnEnded("c1", 1, 0, Pos("events"), 3);
        var seg = Assert.Single(Assert.Single(t.Collect(4)).Segments);
        Assert.Equal("me cobraron dos veces", seg.Text);
    }

    [Fact]
    public void Late_segment_reopens_the_conversation_with_everything_and_a_higher_version()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s1", 1), 0);
        t.OnEnded("c1", 1, 0, Pos("events"), 0);
        var first = Assert.Single(t.Collect(1));

        t.OnSegment("c1", Seg("s2", 2), 10);
        Assert.Empty(t.Collect(11));
        var second = Assert.Single(t.Collect(10 + 3000));
        Assert.Equal(["s1", "s2"], second.Segments.Select(s => s.SegmentId));
        Assert.True(second.Version > first.Version);
        // Positions already made durable are not handed over twice.
        Assert.Single(second.Positions);
    }

    [Fact]
    public void Revoked_partition_drops_the_conversations_that_read_from_it()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s1", 1) with { Position = new("t", 0, 1) }, 0);
        t.OnSegment("c2", Seg("s1", 1) with { Position = new("t", 1, 1) }, 0);
        Assert.Equal(1, t.Revoke([("t", 0)]));
        Assert.Equal(1, t.ActiveCount);
        Assert.Null(t.Meta("c2"));
    }

    [Fact]
    public void Segments_are_handed_over_in_sequence_order_whatever_the_arrival_order()
    {
        var t = NewTracker();
        t.OnSegment("c1", Seg("s3", 3), 0);
        t.OnSegment("c1", Seg("s1", 1), 0);
        t.OnSegment("c1", Seg("s2", 2), 0);
        t.OnEnded("c1", 3, 0, Pos("events"), 0);
        Assert.Equal([1L, 2L, 3L], Assert.Single(t.Collect(0)).Segments.Select(s => s.Seq));
    }
}
