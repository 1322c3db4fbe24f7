using Emotion.Host.Pipeline;
using Emotion.Scoring;

namespace Emotion.Host.Tests;

public class ConversationTrackerTests
{
    private static readonly PipelineOptions Options = new() { IdleTimeoutS = 60, EndGraceS = 3, FinalizedMemoryS = 600 };
    private static readonly ConversationKey C1 = new("acme", "c1");
    private long _offset;

    private ConversationTracker<int> NewTracker() => new(Options, _ => 0);

    private MessagePosition Pos(string topic = "t", int partition = 0) => new(topic, partition, _offset++);

    private TrackedSegment Seg(string id, long seq, bool final = true, string text = "hola") =>
        new(id, seq, Speaker.Customer, seq * 1000, seq * 1000 + 900, text, "es", final, null, null, 0, Pos());

    private static ConversationMeta Meta(string tenant) => new(tenant, "ag-1", null, null, null, "call", "es", 0);

    [Fact]
    public void Ended_conversation_is_finalized_once_every_announced_segment_arrived()
    {
        var t = NewTracker();
        t.OnSegment(C1, Seg("s1", 1), 0);
        t.OnEnded(C1, segmentCount: 2, endedAtMs: 5000, Pos("events"), 10);
        Assert.Empty(t.Collect(20));

        t.OnSegment(C1, Seg("s2", 2), 30);
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
        t.OnSegment(C1, Seg("s1", 1), 0);
        t.OnEnded(C1, null, 5000, Pos("events"), 1000);
        Assert.Empty(t.Collect(3999));
        Assert.Single(t.Collect(4000));
    }

    [Fact]
    public void Grace_after_ended_waits_while_the_partition_with_the_segments_lags()
    {
        // Under load the events partition can be read ahead of the transcripts partition: the wall-clock grace passes
        // with the last segments still unread. The stage's check says whether that partition was read far enough.
        var t = NewTracker();
        var lagging = true;
        (MessagePosition At, long Ts)? asked = null;
        t.MayCloseAfterGrace = (at, ts) =>
        {
            asked = (at, ts);
            return !lagging;
        };
        t.OnSegment(C1, Seg("s1", 1), 0);
        var endedAt = Pos("events", 2);
        t.OnEnded(C1, segmentCount: 2, endedAtMs: 5000, endedAt, 1000, kafkaTsMs: 77_000);
        Assert.Empty(t.Collect(2000)); // within the grace: not even asked
        Assert.Null(asked);
        Assert.Empty(t.Collect(4000)); // grace passed, but the partition lags
        Assert.Equal((endedAt, 77_000L), asked);

        t.OnSegment(C1, Seg("s2", 2), 4500);
        var done = Assert.Single(t.Collect(4600)); // the announced count arrived: no need to ask
        Assert.Equal(["s1", "s2"], done.Segments.Select(s => s.SegmentId));

        // A segment that never comes: once the partition is caught up the grace decides; the idle timeout bounds the wait anyway.
        var c2 = new ConversationKey("acme", "c2");
        t.OnSegment(c2, Seg("x1", 1), 10_000);
        t.OnEnded(c2, segmentCount: 3, endedAtMs: 5000, Pos("events", 2), 10_000, kafkaTsMs: 80_000);
        Assert.Empty(t.Collect(14_000));
        lagging = false;
        Assert.Single(t.Collect(14_001));

        var c3 = new ConversationKey("acme", "c3");
        lagging = true;
        t.OnEnded(c3, segmentCount: 3, endedAtMs: 5000, Pos("events", 2), 20_000, kafkaTsMs: 90_000);
        Assert.Empty(t.Collect(20_000 + Options.IdleTimeoutS * 1000L - 1));
        Assert.Single(t.Collect(20_000 + Options.IdleTimeoutS * 1000L));
    }

    [Fact]
    public void Silent_conversation_is_finalized_by_idle_timeout()
    {
        var t = NewTracker();
        t.OnSegment(C1, Seg("s1", 1), 0);
        Assert.Empty(t.Collect(59_999));
        Assert.Equal("idle_timeout", Assert.Single(t.Collect(60_000)).Reason);
    }

    [Fact]
    public void Final_segment_replaces_its_partial_and_a_partial_never_replaces_a_final()
    {
        var t = NewTracker();
        t.OnSegment(C1, Seg("s1", 1, final: false, text: "me cobra"), 0);
        t.OnSegment(C1, Seg("s1", 1, final: true, text: "me cobraron dos veces"), 1);
        t.OnSegment(C1, Seg("s1", 1, final: false, text: "me cob"), 2);
        t.OnEnded(C1, 1, 0, Pos("events"), 3);
        var seg = Assert.Single(Assert.Single(t.Collect(4)).Segments);
        Assert.Equal("me cobraron dos veces", seg.Text);
    }

    [Fact]
    public void Late_segment_reopens_the_conversation_from_its_stored_segments_with_a_higher_version()
    {
        var t = NewTracker();
        var s1 = Seg("s1", 1);
        t.OnSegment(C1, s1, 0);
        t.OnEnded(C1, 1, 0, Pos("events"), 0);
        var first = Assert.Single(t.Collect(1));
        Assert.Equal(0, t.ActiveCount);

        var late = Seg("s2", 2);
        var (key, disposition) = t.Resolve("acme", "c1", late.Position);
        Assert.Equal(Disposition.Late, disposition);
        // The finalized state was released: the caller reads the segments back from the stored rows.
        t.Reopen(t.Finalized(key)!, Meta("acme"), [s1], 10);
        t.OnSegment(key, late, 10);
        Assert.Empty(t.Collect(11));
        var second = Assert.Single(t.Collect(10 + 3000));
        Assert.Equal(["s1", "s2"], second.Segments.Select(s => s.SegmentId));
        Assert.True(second.Version > first.Version);
        Assert.Equal(first.Version + 1, second.Version);
        // Positions already made durable are not handed over twice.
        Assert.Single(second.Positions);
    }

    [Fact]
    public void A_message_read_again_after_a_restart_is_recognised_as_already_finalized()
    {
        var t = NewTracker();
        var mark = new FinalizedMark(C1, 14, new Dictionary<(string, int), long> { [("t", 0)] = 120, [("events", 0)] = 40 });
        t.Remember(mark, null, 0);
        Assert.Equal(Disposition.Incorporated, t.Resolve(null, "c1", new MessagePosition("t", 0, 118)).Disposition);
        Assert.Equal(Disposition.Incorporated, t.Resolve("acme", "c1", new MessagePosition("events", 0, 40)).Disposition);
        Assert.Equal(Disposition.Late, t.Resolve("acme", "c1", new MessagePosition("t", 0, 121)).Disposition);
        // The same id under another tenant is another conversation.
        Assert.Equal((new ConversationKey("other", "c1"), Disposition.Track), t.Resolve("other", "c1", new MessagePosition("t", 0, 119)));
    }

    [Fact]
    public void Two_tenants_reusing_a_conversation_id_one_after_the_other_stay_apart()
    {
        var t = NewTracker();
        var a = new ConversationKey("bank-a", "call-7");
        t.OnStarted(a, Meta("bank-a"), Pos("events"), 0);
        t.OnSegment(t.Resolve(null, "call-7", Pos()).Key, Seg("s1", 1, text: "mi tarjeta"), 0);
        t.OnEnded(a, 1, 0, Pos("events"), 0);
        Assert.Single(t.Collect(1));

        // Tenant B starts its own call-7 while A's is still remembered; B's segments carry no tenant.
        var b = new ConversationKey("telco-b", "call-7");
        t.OnStarted(b, Meta("telco-b"), Pos("events"), 10);
        var (key, disposition) = t.Resolve(null, "call-7", Pos());
        Assert.Equal((b, Disposition.Track), (key, disposition));
        t.OnSegment(key, Seg("s1", 1, text: "mi router"), 10);
        t.OnEnded(b, 1, 0, Pos("events"), 10);
        var done = Assert.Single(t.Collect(11));
        Assert.Equal(b, done.Key);
        Assert.Equal("mi router", Assert.Single(done.Segments).Text);
    }

    [Fact]
    public void Segments_without_a_tenant_never_join_another_tenants_conversation_when_two_are_open()
    {
        var t = NewTracker();
        t.OnStarted(new ConversationKey("bank-a", "x"), Meta("bank-a"), Pos("events"), 0);
        t.OnStarted(new ConversationKey("telco-b", "x"), Meta("telco-b"), Pos("events"), 0);
        var (key, _) = t.Resolve(null, "x", Pos());
        Assert.False(key.HasTenant);
    }

    [Fact]
    public void Segments_that_arrive_before_started_join_the_conversation_it_names()
    {
        var t = NewTracker();
        var (early, _) = t.Resolve(null, "c9", Pos());
        Assert.False(early.HasTenant);
        t.OnSegment(early, Seg("s1", 1), 0);
        var named = new ConversationKey("acme", "c9");
        t.OnStarted(named, Meta("acme"), Pos("events"), 1);
        Assert.False(t.IsActive(early));
        Assert.Equal(1, t.SegmentCount(named));
        t.OnEnded(named, 1, 0, Pos("events"), 2);
        var done = Assert.Single(t.Collect(3));
        Assert.Equal(named, done.Key);
        Assert.Equal(3, done.Positions.Count);
    }

    [Fact]
    public void An_unnamed_late_segment_is_handed_over_unnamed_with_the_remembered_finalization_to_join()
    {
        var t = NewTracker();
        t.OnStarted(C1, Meta("acme"), Pos("events"), 0);
        t.OnSegment(C1, Seg("s1", 1), 0);
        t.OnEnded(C1, 1, 0, Pos("events"), 0);
        Assert.Single(t.Collect(1));

        // No active conversation with the id: the late segment waits unnamed (a 'started' of another tenant may follow).
        var (key, disposition) = t.Resolve(null, "c1", Pos());
        Assert.Equal((new ConversationKey("", "c1"), Disposition.Track), (key, disposition));
        t.OnSegment(key, Seg("s2", 2), 5);
        var unnamed = Assert.Single(t.Collect(5 + 60_000));
        Assert.False(unnamed.Key.HasTenant);
        var mark = t.OnlyFinalized("c1");
        Assert.NotNull(mark);
        t.Reopen(mark, Meta("acme"), [Seg("s1", 1)], 70_000, unnamed);
        var merged = Assert.Single(t.Collect(70_000 + 3000));
        Assert.Equal(C1, merged.Key);
        Assert.Equal(["s1", "s2"], merged.Segments.Select(s => s.SegmentId));
    }

    [Fact]
    public void Finalized_conversations_release_their_segments_and_are_forgotten_after_the_memory_window()
    {
        var t = NewTracker();
        for (var i = 0; i < 100; i++)
        {
            var k = new ConversationKey("acme", $"c{i}");
            t.OnSegment(k, Seg("s1", 1), 0);
            t.OnEnded(k, 1, 0, Pos("events"), 0);
        }
        Assert.Equal(100, t.Collect(1).Count);
        Assert.Equal(0, t.ActiveCount);
        Assert.Equal(100, t.RememberedCount);
        Assert.Empty(t.Collect(600_001));
        Assert.Equal(0, t.RememberedCount);
        Assert.False(t.Knows("c5"));
    }

    [Fact]
    public void Revoked_partition_drops_the_conversations_that_read_from_it()
    {
        var t = NewTracker();
        var c2 = new ConversationKey("acme", "c2");
        t.OnSegment(C1, Seg("s1", 1) with { Position = new("t", 0, 1) }, 0);
        t.OnSegment(c2, Seg("s1", 1) with { Position = new("t", 1, 1) }, 0);
        Assert.Equal(1, t.Revoke([("t", 0)]));
        Assert.Equal(1, t.ActiveCount);
        Assert.False(t.IsActive(C1));
        Assert.True(t.IsActive(c2));
    }

    [Fact]
    public void Segments_are_handed_over_in_sequence_order_whatever_the_arrival_order()
    {
        var t = NewTracker();
        t.OnSegment(C1, Seg("s3", 3), 0);
        t.OnSegment(C1, Seg("s1", 1), 0);
        t.OnSegment(C1, Seg("s2", 2), 0);
        t.OnEnded(C1, 3, 0, Pos("events"), 0);
        Assert.Equal([1L, 2L, 3L], Assert.Single(t.Collect(0)).Segments.Select(s => s.Seq));
    }

    [Theory]
    [InlineData(" acme ", "acme")]
    [InlineData("acme", "acme")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void Tenants_are_trimmed_so_whitespace_never_makes_a_second_conversation(string? tenant, string expected) =>
        Assert.Equal(expected, ConversationKey.Of(tenant, "c1").Tenant);
}
