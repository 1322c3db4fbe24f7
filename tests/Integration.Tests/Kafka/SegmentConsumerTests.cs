using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Kafka.Mock;
using static Emotion.Integration.Tests.Kafka.KafkaTestKit;

namespace Emotion.Integration.Tests.Kafka;

public sealed class SegmentConsumerTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static Channel<IngestEnvelope> NewChannel(int capacity = 1000) =>
        Channel.CreateBounded<IngestEnvelope>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    [Fact]
    public void Segments_produced_with_kcat_are_decoded_in_order_per_conversation()
    {
        var topic = Unique("transcripts");
        var convs = new[] { "conv-a", "conv-b", "conv-c" };
        var lines = new List<byte[]>();
        for (var seq = 1; seq <= 10; seq++)
            foreach (var c in convs) lines.Add(Line(c, Segment(c, seq)));
        KcatProduce(broker.Bootstrap, topic, lines);

        var channel = NewChannel();
        using var consumer = new SegmentConsumer(Options(broker.Bootstrap, topic), channel.Writer);
        consumer.Start();
        var got = new List<IngestEnvelope>();
        Collect(channel.Reader, got, 30, Timeout);

        foreach (var c in convs)
        {
            var seqs = got.Where(e => e.Message.ConversationId == c).Select(e => ((TranscriptSegment)e.Message).Seq).ToList();
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seqs);
            // One conversation, one partition, increasing offsets.
            var positions = got.Where(e => e.Message.ConversationId == c).ToList();
            Assert.Single(positions.Select(p => p.Partition).Distinct());
            Assert.Equal(positions.Select(p => p.Offset).Order(), positions.Select(p => p.Offset));
        }
        Assert.Equal(0, consumer.DeadLetterCount);
        Assert.All(got, e => Assert.Equal(topic, e.Topic));
    }

    [Fact]
    public void Malformed_messages_land_in_the_dlq_with_reasons_and_original_bytes_and_good_ones_come_through()
    {
        var topic = Unique("transcripts");
        var dlq = Unique("dlq");
        var badUtf8 = Encoding.UTF8.GetBytes("k1|{\"schema\":\"x\"}").ToList();
        badUtf8.Insert(6, 0xC3);
        var lines = new List<byte[]>
        {
            Line("k1", Segment("k1", 1)),
            Line("k1", "{not json"),
            Line("k1", Segment("k1", 2).Replace("\"customer\"", "\"bot\"", StringComparison.Ordinal)),
            Line("k1", Segment("zz", 3)),
            badUtf8.ToArray(),
            Line("k1", Segment("k1", 4).Replace("emotion.transcript.v1", "emotion.transcript.v9", StringComparison.Ordinal)),
            Line("k1", Segment("k1", 5)),
        };
        KcatProduce(broker.Bootstrap, topic, lines);

        var channel = NewChannel();
        using var consumer = new SegmentConsumer(Options(broker.Bootstrap, topic, dlq: dlq), channel.Writer);
        consumer.Start();
        var got = new List<IngestEnvelope>();
        Collect(channel.Reader, got, 2, Timeout);
        Assert.Equal([1L, 5L], got.Select(e => ((TranscriptSegment)e.Message).Seq));

        var dead = ReadAll(broker.Bootstrap, dlq, 5, Timeout).Select(r => (Raw: r, Dl: DeadLetter.Parse(r.Message)!)).OrderBy(x => x.Dl.SourceOffset).ToList();
        Assert.Equal(
            [
                "invalid JSON in value at line 1, byte 2",
                "field 'speaker' must be 'agent' or 'customer', got 'bot'",
                "key 'k1' does not match conversation_id 'zz'",
                "invalid UTF-8 in value at byte 3",
                "unknown schema 'emotion.transcript.v9' (this consumer reads emotion.transcript.v1, emotion.event.v1 and emotion.audio.v1)",
            ],
            dead.Select(d => d.Dl.Reason));
        Assert.All(dead, d => Assert.Equal(topic, d.Dl.SourceTopic));
        Assert.Equal([1L, 2, 3, 4, 5], dead.Select(d => d.Dl.SourceOffset));
        Assert.Equal("{not json"u8.ToArray(), dead[0].Raw.Message.Value);
        Assert.Equal(badUtf8.Skip(3).ToArray(), dead[3].Raw.Message.Value);
        Assert.Equal("k1", Encoding.UTF8.GetString(dead[2].Raw.Message.Key!));
        WaitUntil(() => consumer.DeadLetterCount == 5, Timeout, () => $"{consumer.DeadLetterCount} dead letters acknowledged");
    }

    [Fact]
    public void A_new_consumer_in_the_group_resumes_after_the_last_stored_offset()
    {
        var topic = Unique("transcripts");
        var group = Unique("g");
        // One key: one partition, offsets 0..19.
        KcatProduce(broker.Bootstrap, topic, Enumerable.Range(0, 20).Select(i => Line("conv", Segment("conv", i))));

        var first = NewChannel();
        var seenFirst = new List<IngestEnvelope>();
        using (var a = new SegmentConsumer(Options(broker.Bootstrap, topic, group), first.Writer))
        {
            a.Start();
            Collect(first.Reader, seenFirst, 20, Timeout);
            // Durable: 0..9 in scrambled order, and 12 (which is past a gap, so not committable).
            foreach (var e in seenFirst.Take(10).Reverse()) a.MarkDone(e);
            a.MarkDone(seenFirst[12]);
            var tp = new TopicPartition(topic, seenFirst[0].Partition);
            Assert.Equal(10, a.Tracker.Committable(tp));
            a.Stop(); // Close commits the stored offset
        }

        var second = NewChannel();
        var seenSecond = new List<IngestEnvelope>();
        using var b = new SegmentConsumer(Options(broker.Bootstrap, topic, group), second.Writer);
        b.Start();
        Collect(second.Reader, seenSecond, 10, Timeout);
        // Nothing lost, nothing done re-read except 12 (done, but after the first un-done message).
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), seenSecond.Select(e => e.Offset));
    }

    [Fact]
    public async Task Consumer_resumes_after_the_broker_goes_down_and_up()
    {
        using var cluster = new MockKafkaCluster();
        var topic = Unique("transcripts");
        cluster.CreateTopic(topic, 2);
        using var producer = new JsonMessageProducer(new KafkaOptions { BootstrapServers = cluster.Bootstrap, LingerMs = 1 });
        TranscriptSegment Seg(int i) => new() { ConversationId = "c", SegmentId = $"c-{i}", Seq = i, Speaker = "agent", Text = "hola", StartMs = i, EndMs = i };

        for (var i = 0; i < 5; i++) await producer.ProduceAsync(topic, Seg(i));
        var channel = NewChannel();
        using var consumer = new SegmentConsumer(Options(cluster.Bootstrap, topic), channel.Writer);
        consumer.Start();
        var got = new List<IngestEnvelope>();
        Collect(channel.Reader, got, 5, Timeout);

        cluster.SetBrokerDown();
        var pending = Enumerable.Range(5, 5).Select(i => producer.ProduceAsync(topic, Seg(i))).ToList(); // queued while down
        cluster.SetBrokerUp();
        await Task.WhenAll(pending).WaitAsync(Timeout);
        Collect(channel.Reader, got, 10, Timeout);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), got.Select(e => ((TranscriptSegment)e.Message).Seq));
    }

    [Fact]
    public void Cooperative_sticky_rebalances_incrementally_on_the_mock()
    {
        using var cluster = new MockKafkaCluster();
        var topic = Unique("transcripts");
        cluster.CreateTopic(topic, 4);
        var group = Unique("g");
        var revokedFromA = new List<TopicPartition>();
        var chA = NewChannel();
        var chB = NewChannel();
        using var a = new SegmentConsumer(Options(cluster.Bootstrap, topic, group), chA.Writer);
        a.PartitionsRevoked += tps => { lock (revokedFromA) revokedFromA.AddRange(tps); };
        a.Start();
        WaitUntil(() => a.Assignment.Count == 4, Timeout, () => $"A has {a.Assignment.Count} partitions");

        using var b = new SegmentConsumer(Options(cluster.Bootstrap, topic, group), chB.Writer);
        b.Start();
        WaitUntil(() => a.Assignment.Count == 2 && b.Assignment.Count == 2, Timeout,
            () => $"A has {a.Assignment.Count}, B has {b.Assignment.Count} partitions");
        // Incremental: A gave up only the two partitions B took, not all four.
        lock (revokedFromA) Assert.Equal(2, revokedFromA.Count);
        Assert.Empty(a.Assignment.Intersect(b.Assignment));
    }

    [Fact]
    public void Messages_read_before_a_rebalance_are_stale_and_their_owner_reads_them_again()
    {
        // Eager (range) rebalance: A's messages still waiting in its channel when B joins were read under the old
        // assignment; the pipeline drops them (IsCurrent false) and relies on the partition's owner reading them again.
        using var cluster = new MockKafkaCluster();
        var topic = Unique("transcripts");
        cluster.CreateTopic(topic, 2);
        var group = Unique("g");
        var conversations = Enumerable.Range(0, 8).Select(i => $"conv-{i}").ToList();
        KcatProduce(cluster.Bootstrap, topic, conversations.SelectMany(c => Enumerable.Range(1, 5).Select(seq => Line(c, Segment(c, seq)))));

        var chA = NewChannel();
        using var a = new SegmentConsumer(Options(cluster.Bootstrap, topic, group, strategy: "range"), chA.Writer);
        a.Start();
        WaitUntil(() => chA.Reader.Count == 40, Timeout, () => $"A read {chA.Reader.Count} of 40 messages");
        var beforeJoin = ReadNow(chA.Reader, 40);
        Assert.All(beforeJoin, e => Assert.True(a.IsCurrent(e)));

        // Nothing was marked done, so nothing is committed: whoever owns a partition after the rebalance reads it from its start.
        var chB = NewChannel();
        using var b = new SegmentConsumer(Options(cluster.Bootstrap, topic, group, strategy: "range"), chB.Writer);
        b.Start();
        WaitUntil(() => a.Assignment.Count == 1 && b.Assignment.Count == 1, Timeout,
            () => $"A has {a.Assignment.Count}, B has {b.Assignment.Count} partitions");
        Assert.All(beforeJoin, e => Assert.False(a.IsCurrent(e), $"{e.Topic}[{e.Partition}]@{e.Offset} read before the rebalance is still current"));

        var partitionA = a.Assignment.Single().Partition.Value;
        var partitionB = b.Assignment.Single().Partition.Value;
        var expectA = beforeJoin.Count(e => e.Partition == partitionA);
        var expectB = beforeJoin.Count(e => e.Partition == partitionB);
        var afterA = new List<IngestEnvelope>();
        var afterB = new List<IngestEnvelope>();
        WaitUntil(() =>
        {
            while (chA.Reader.TryRead(out var e)) if (a.IsCurrent(e)) afterA.Add(e);
            while (chB.Reader.TryRead(out var e)) if (b.IsCurrent(e)) afterB.Add(e);
            return afterA.Count >= expectA && afterB.Count >= expectB;
        }, Timeout, () => $"after the rebalance A read {afterA.Count} of {expectA}, B {afterB.Count} of {expectB} current messages");
        // Every message is read again, under the new assignment, by its partition's owner: dropping the stale copies lost nothing.
        Assert.Equal(beforeJoin.Where(e => e.Partition == partitionA).Select(e => e.Offset).Order(), afterA.Select(e => e.Offset).Order());
        Assert.Equal(beforeJoin.Where(e => e.Partition == partitionB).Select(e => e.Offset).Order(), afterB.Select(e => e.Offset).Order());
        Assert.All(afterA, e => Assert.Equal(partitionA, e.Partition));
    }

    [Fact]
    public void Messages_already_in_a_partition_without_a_committed_offset_may_be_rereads()
    {
        // A conversation reads two partitions: the events partition's committed offset can pass a finalized
        // conversation's 'started'/'ended' while its transcripts partition has nothing committed. What was already in
        // such a partition at assignment must still be checked against the ledger; what comes after cannot be a re-read.
        using var cluster = new MockKafkaCluster();
        var topic = Unique("transcripts");
        cluster.CreateTopic(topic, 1);
        KcatProduce(cluster.Bootstrap, topic, Enumerable.Range(1, 5).Select(seq => Line("c1", Segment("c1", seq))));
        var channel = NewChannel();
        using var consumer = new SegmentConsumer(Options(cluster.Bootstrap, topic), channel.Writer);
        consumer.Start();
        var got = new List<IngestEnvelope>();
        Collect(channel.Reader, got, 5, Timeout);
        Assert.All(got, e => Assert.True(e.MayBeReread, $"offset {e.Offset}, in the partition before it was assigned, is not marked as a possible re-read"));

        KcatProduce(cluster.Bootstrap, topic, Enumerable.Range(6, 3).Select(seq => Line("c1", Segment("c1", seq))));
        var later = new List<IngestEnvelope>();
        Collect(channel.Reader, later, 3, Timeout);
        Assert.All(later, e => Assert.False(e.MayBeReread, $"offset {e.Offset}, produced after the assignment, is marked as a possible re-read"));
    }

    private static List<IngestEnvelope> ReadNow(ChannelReader<IngestEnvelope> reader, int count)
    {
        var got = new List<IngestEnvelope>();
        while (got.Count < count && reader.TryRead(out var e)) got.Add(e);
        return got;
    }
}

/// <summary>A consumer whose brokers all vanish (e.g. the broker came back on another address) must not run on as a silent zombie.</summary>
public sealed class BrokersDownTests
{
    [Fact]
    public async Task Consumer_stops_with_an_error_naming_the_servers_when_every_broker_stays_unreachable()
    {
        var cluster = new MockKafkaCluster();
        var topic = "zombie-" + Guid.NewGuid().ToString("N");
        cluster.CreateTopic(topic, 1);
        var options = new KafkaOptions
        {
            BootstrapServers = cluster.Bootstrap,
            GroupId = "g-" + Guid.NewGuid().ToString("N"),
            InputTopics = [topic],
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            BrokersDownTimeoutS = 3,
        };
        var channel = Channel.CreateBounded<IngestEnvelope>(10);
        using var consumer = new SegmentConsumer(options, channel.Writer);
        consumer.Start();
        KafkaTestKit.WaitUntil(() => consumer.Assignment.Count == 1, TimeSpan.FromSeconds(30), () => "no assignment");
        // The broker goes away for good (its process was restarted on another port).
        cluster.Dispose();
        var finished = await Task.WhenAny(consumer.Completion, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == consumer.Completion, "the consumer kept running with every broker gone");
        var error = Assert.IsType<KafkaException>(consumer.Completion.Exception?.GetBaseException());
        Assert.Contains(options.BootstrapServers, error.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }
}
