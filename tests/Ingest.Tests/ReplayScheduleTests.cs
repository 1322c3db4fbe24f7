using Emotion.Ingest.Contracts;
using Emotion.Ingest.Replay;

namespace Emotion.Ingest.Tests;

public class ReplayScheduleTests
{
    private static ConversationRecord Conv(string id, params (double Start, double End)[] turns) =>
        new(id, "acme", "a1", "t1", "cobros", "es", "voice",
            turns.Select((t, i) => new TurnRecord(i % 2 == 0 ? "agent" : "customer", t.Start, t.End, $"turn {i}")).ToList());

    [Fact]
    public void Real_time_sends_started_then_each_turn_at_its_end_then_ended()
    {
        var steps = ReplaySchedule.Build([Conv("c1", (0, 2), (2.5, 4))], speed: 1);
        Assert.Equal(
            [(0.0, ReplayStepKind.Started, -1), (2.0, ReplayStepKind.Segment, 0), (4.0, ReplayStepKind.Segment, 1), (4.0, ReplayStepKind.Ended, -1)],
            steps.Select(s => (s.Due.TotalSeconds, s.Kind, s.Turn)));
    }

    [Fact]
    public void Speed_divides_every_time()
    {
        var steps = ReplaySchedule.Build([Conv("c1", (0, 2), (2.5, 4))], speed: 4);
        Assert.Equal([0.0, 0.5, 1.0, 1.0], steps.Select(s => s.Due.TotalSeconds));
    }

    [Fact]
    public void Speed_zero_sends_everything_at_once_in_conversation_order()
    {
        var steps = ReplaySchedule.Build([Conv("c1", (0, 2)), Conv("c2", (0, 1))], speed: 0);
        Assert.All(steps, s => Assert.Equal(TimeSpan.Zero, s.Due));
        Assert.Equal(
            [(0, ReplayStepKind.Started), (0, ReplayStepKind.Segment), (0, ReplayStepKind.Ended), (1, ReplayStepKind.Started), (1, ReplayStepKind.Segment), (1, ReplayStepKind.Ended)],
            steps.Select(s => (s.Conversation, s.Kind)));
    }

    [Fact]
    public void Conversations_interleave_and_stagger_shifts_their_starts()
    {
        var steps = ReplaySchedule.Build([Conv("c1", (0, 3)), Conv("c2", (0, 1))], speed: 1, staggerS: 1);
        Assert.Equal(
            [(0.0, 0, ReplayStepKind.Started), (1.0, 1, ReplayStepKind.Started), (2.0, 1, ReplayStepKind.Segment), (2.0, 1, ReplayStepKind.Ended), (3.0, 0, ReplayStepKind.Segment), (3.0, 0, ReplayStepKind.Ended)],
            steps.Select(s => (s.Due.TotalSeconds, s.Conversation, s.Kind)));
    }

    [Fact]
    public void Overlapping_turns_keep_file_order()
    {
        var steps = ReplaySchedule.Build([Conv("c1", (0, 5), (1, 3))], speed: 1);
        Assert.Equal([0, 1], steps.Where(s => s.Kind == ReplayStepKind.Segment).Select(s => s.Turn));
        Assert.Equal([5.0, 5.0], steps.Where(s => s.Kind == ReplayStepKind.Segment).Select(s => s.Due.TotalSeconds));
    }

    [Fact]
    public void Negative_speed_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplaySchedule.Build([], speed: -1));

    [Fact]
    public void Messages_carry_ids_times_and_metadata()
    {
        var c = Conv("c1", (0.25, 1.5), (2, 3));
        var steps = ReplaySchedule.Build([c], 1);
        var started = Assert.IsType<ConversationStarted>(ReplaySchedule.Message(c, steps[0], 1000));
        Assert.Equal(("c1", 1000L, "acme", "a1", "t1", "cobros", "voice", "es"), (started.ConversationId, started.Ts, started.Tenant, started.AgentId, started.TeamId, started.Campaign, started.Channel, started.Language));
        var seg = Assert.IsType<TranscriptSegment>(ReplaySchedule.Message(c, steps[1], 2000));
        Assert.Equal(("c1-1", 1L, "agent", 250L, 1500L, "es", true, 2000L), (seg.SegmentId, seg.Seq, seg.Speaker, seg.StartMs, seg.EndMs, seg.Lang, seg.IsFinal, seg.ProducedAt));
        var ended = Assert.IsType<ConversationEnded>(ReplaySchedule.Message(c, steps[^1], 3000));
        Assert.Equal(2, ended.SegmentCount);
    }
}
