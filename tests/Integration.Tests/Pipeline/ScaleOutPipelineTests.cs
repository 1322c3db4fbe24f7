using System.Diagnostics;
using Emotion.Host.Bench;
using Emotion.Integration.Tests.Kafka;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>Scale-out: several <c>emotion run</c> processes in one consumer group share the partitions without splitting a conversation.</summary>
public sealed class ScaleOutPipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(240);
    private static readonly System.Text.RegularExpressions.Regex AssignedSome = new("Consuming [1-9]");

    /// <summary>
    /// Two real processes in one group on topics of 4 partitions, the second joining while conversations are in flight
    /// (a rebalance mid-stream), against one uninterrupted member: every table holds the same rows by key. A conversation's
    /// segments (transcripts) and its started/ended (events) must reach the same member; an assignment that splits them
    /// (cooperative-sticky gives one member transcripts and the other events) leaves conversations with 0 turns under
    /// their tenant and their turns under 'default' once the idle timeout finalizes them.
    /// </summary>
    [Fact]
    public async Task Two_members_in_one_group_keep_each_conversation_whole()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        // Conversations of ~60 s each, one every 2 s, at 8x: about 30 in flight at any time. The stream runs until the
        // second member has its partitions and 40 more conversations have started (at least 80 in all), so the join is
        // mid-stream however slow the machine is.
        var pool = SyntheticConversations.Generate(800, 12, seed: 23, idPrefix: "scale-" + Guid.NewGuid().ToString("N")[..6]);
        var scaled = env.NewDatabase(out var scaledStore);
        var group = "g-scale-" + Guid.NewGuid().ToString("N");
        // A short idle timeout, so that a conversation split between members is finalized (wrongly) within the test
        // rather than hanging it; whole conversations end long before it. The 'ended' grace of production (3 s).
        var settings = new Dictionary<string, string> { ["Pipeline__IdleTimeoutS"] = "30", ["Pipeline__EndGraceS"] = "3" };

        using var first = new EmotionRunProcess(env, scaled, group, "member A", exitWhenIdleS: 5, settings);
        var stream = Stopwatch.StartNew();
        var producer = new PacedProducer(env, pool, speed: 8, staggerS: 2);
        PipelineEnv.WaitUntil(() => ResultTables.CountOrZero(scaledStore, "conversations FINAL") >= 3 || first.HasExited || producer.Running.IsCompleted,
            Deadline, () => "member A wrote no conversations\n" + first.Tail());
        Assert.False(first.HasExited, "member A exited before the second member joined\n" + first.Tail());

        using var second = new EmotionRunProcess(env, scaled, group, "member B", exitWhenIdleS: 5, settings);
        // (A cooperative assignor first assigns nothing, then the partitions it took from A.)
        PipelineEnv.WaitUntil(() => second.Logged(AssignedSome) || second.HasExited, Deadline, () => "member B was never assigned partitions\n" + second.Tail());
        Assert.False(producer.Running.IsCompleted, $"member B got its partitions {stream.Elapsed.TotalSeconds:0} s in, after the stream ended: nothing was in flight");
        var atJoin = producer.Started;
        PipelineEnv.WaitUntil(() => producer.Started >= Math.Max(atJoin + 40, 80) || producer.Running.IsCompleted, Deadline, () => "the producer stalled");
        producer.StopStarting();
        await producer.Running;
        var conversations = producer.Produced;

        Assert.True(first.WaitForExit(Deadline), "member A did not finish\n" + first.Tail());
        Assert.True(second.WaitForExit(Deadline), "member B did not finish\n" + second.Tail());
        Assert.True(first.ExitCode == 0, $"member A exited {first.ExitCode}\n" + first.Tail());
        Assert.True(second.ExitCode == 0, $"member B exited {second.ExitCode}\n" + second.Tail());

        // Reference: one uninterrupted member over the same topics, another group and database.
        var reference = env.NewDatabase(out var referenceStore);
        await RunningPipeline.RunReferenceAsync(env, reference, TimeSpan.FromSeconds(3), Deadline);
        Assert.Equal(conversations.Count, await ResultTables.CountAsync(referenceStore, "conversations FINAL"));
        Assert.Equal(conversations.Sum(c => c.Turns.Count), await ResultTables.CountAsync(referenceStore, "utterances FINAL"));

        var orphans = await ResultTables.CountAsync(scaledStore, "conversations FINAL WHERE tenant = 'default'");
        var empty = await ResultTables.CountAsync(scaledStore, "conversations FINAL WHERE turns = 0");
        var diff = await ResultTables.DiffAsync(referenceStore, scaledStore);
        Assert.True(orphans == 0 && empty == 0 && diff.Length == 0,
            $"{conversations.Count} conversations, member B joined with {atJoin} started; {orphans} conversations under tenant 'default', {empty} with 0 turns (strategy {Environment.GetEnvironmentVariable("Kafka__PartitionAssignmentStrategy") ?? "default"})\n{diff}");
        // As a dashboard counts contacts.
        Assert.Equal(conversations.Count, await ResultTables.CountAsync(scaledStore, "v_conversations"));
    }
}
