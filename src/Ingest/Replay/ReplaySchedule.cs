using Emotion.Ingest.Contracts;

namespace Emotion.Ingest.Replay;

/// <summary>What a replay step sends.</summary>
public enum ReplayStepKind
{
    Started,
    Segment,
    Ended,
}

/// <summary>One message of a replay: when to send it (from the start of the replay), which conversation, what.</summary>
/// <param name="Conversation">Index into the conversation list.</param>
/// <param name="Turn">Turn index for <see cref="ReplayStepKind.Segment"/>, else -1.</param>
public readonly record struct ReplayStep(TimeSpan Due, int Conversation, ReplayStepKind Kind, int Turn);

/// <summary>
/// The replay timeline, as pure functions. Conversation <c>i</c> starts at <c>i × stagger</c>; its <c>started</c>
/// event goes then, each turn goes when the turn ends (<c>end_s</c>), and <c>ended</c> goes with the last turn's end.
/// Times are divided by <c>speed</c>; speed 0 sends everything at once. Within a conversation the order is always
/// started, turns in file order, ended.
/// </summary>
public static class ReplaySchedule
{
    /// <summary>The steps of all conversations, sorted by due time (ties keep conversation and turn order).</summary>
    public static IReadOnlyList<ReplayStep> Build(IReadOnlyList<ConversationRecord> conversations, double speed, double staggerS = 0)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        if (double.IsNaN(speed) || speed < 0) throw new ArgumentOutOfRangeException(nameof(speed), "speed must be >= 0 (0: no pacing)");
        if (double.IsNaN(staggerS) || staggerS < 0) throw new ArgumentOutOfRangeException(nameof(staggerS), "stagger must be >= 0");
        var steps = new List<ReplayStep>();
        for (var c = 0; c < conversations.Count; c++)
        {
            var conv = conversations[c];
            var start = c * staggerS;
            steps.Add(new ReplayStep(Scale(start, speed), c, ReplayStepKind.Started, -1));
            // Turns go in file order even if a producer's end times are not monotonic (overlapping speech).
            var lastDue = start;
            for (var t = 0; t < conv.Turns.Count; t++)
            {
                lastDue = Math.Max(lastDue, start + conv.Turns[t].EndS);
                steps.Add(new ReplayStep(Scale(lastDue, speed), c, ReplayStepKind.Segment, t));
            }
            steps.Add(new ReplayStep(Scale(lastDue, speed), c, ReplayStepKind.Ended, -1));
        }
        // OrderBy is stable: equal times keep the order above.
        return steps.OrderBy(s => s.Due).ToList();
    }

    private static TimeSpan Scale(double seconds, double speed) =>
        speed == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(seconds / speed);

    /// <summary>The segment id of turn <paramref name="turn"/>: <c>{conversation}-{seq}</c>, seq = turn + 1.</summary>
    public static string SegmentId(string conversationId, int turn) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{conversationId}-{turn + 1}");

    /// <summary>The message of a step, stamped with <paramref name="nowMs"/> (event ts, produced_at).</summary>
    public static IIngestMessage Message(ConversationRecord conversation, ReplayStep step, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        switch (step.Kind)
        {
            case ReplayStepKind.Started:
                return new ConversationStarted
                {
                    ConversationId = conversation.ConversationId,
                    Ts = nowMs,
                    Tenant = conversation.Tenant,
                    Campaign = conversation.Campaign,
                    AgentId = conversation.AgentId,
                    TeamId = conversation.TeamId,
                    Channel = conversation.Channel,
                    Language = conversation.Language,
                };
            case ReplayStepKind.Ended:
                return new ConversationEnded
                {
                    ConversationId = conversation.ConversationId,
                    Ts = nowMs,
                    SegmentCount = conversation.Turns.Count,
                    Reason = "replay",
                    Tenant = conversation.Tenant,
                };
            default:
                var turn = conversation.Turns[step.Turn];
                return new TranscriptSegment
                {
                    ConversationId = conversation.ConversationId,
                    SegmentId = SegmentId(conversation.ConversationId, step.Turn),
                    Seq = step.Turn + 1,
                    Speaker = turn.Speaker,
                    Text = turn.Text,
                    StartMs = (long)Math.Round(turn.StartS * 1000),
                    EndMs = Math.Max((long)Math.Round(turn.StartS * 1000), (long)Math.Round(turn.EndS * 1000)),
                    Lang = conversation.Language,
                    IsFinal = true,
                    Phase = turn.Phase,
                    ProducedAt = nowMs,
                    Tenant = conversation.Tenant,
                };
        }
    }
}
