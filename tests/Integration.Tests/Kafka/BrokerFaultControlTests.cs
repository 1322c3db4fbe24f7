using System.Diagnostics;
using Confluent.Kafka;
using Emotion.Ingest.Kafka.Mock;
using static Emotion.Integration.Tests.Kafka.KafkaTestKit;

namespace Emotion.Integration.Tests.Kafka;

/// <summary>
/// Faults injected from outside the broker's process through its control port (what <c>emotion broker fault ...</c>
/// sends), observed by a real Kafka producer.
/// </summary>
public sealed class BrokerFaultControlTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static IProducer<Null, string> Producer(string bootstrap) => new ProducerBuilder<Null, string>(new ProducerConfig
    {
        BootstrapServers = bootstrap,
        LingerMs = 0,
        MessageTimeoutMs = 60_000,
    }).Build();

    private static async Task<TimeSpan> TimedProduceAsync(IProducer<Null, string> producer, string topic)
    {
        var sw = Stopwatch.StartNew();
        await producer.ProduceAsync(topic, new Message<Null, string> { Value = "x" }).WaitAsync(Timeout);
        return sw.Elapsed;
    }

    [Fact]
    public async Task Latency_down_up_and_request_errors_sent_to_the_control_port_reach_the_broker()
    {
        using var cluster = new MockKafkaCluster();
        var topic = Unique("faults");
        cluster.CreateTopic(topic, 1);
        var seen = new List<string>();
        using var control = new MockFaultControl(cluster, onCommand: (line, answer) => { lock (seen) seen.Add($"{line} -> {answer}"); });
        using var producer = Producer(cluster.Bootstrap);
        await TimedProduceAsync(producer, topic); // connected and warm

        // Latency: every response is delayed.
        Assert.StartsWith("ok: all brokers delay every response by 1500 ms", await MockFaultControl.SendAsync(control.Address, "latency 1500"), StringComparison.Ordinal);
        Assert.True(await TimedProduceAsync(producer, topic) >= TimeSpan.FromMilliseconds(1400), "a produce under 1500 ms latency was acknowledged sooner");
        Assert.StartsWith("ok:", await MockFaultControl.SendAsync(control.Address, "latency 0"), StringComparison.Ordinal);

        // Down: nothing is acknowledged until the broker is up again.
        Assert.StartsWith("ok: all brokers down", await MockFaultControl.SendAsync(control.Address, "down"), StringComparison.Ordinal);
        var pending = producer.ProduceAsync(topic, new Message<Null, string> { Value = "while down" });
        await Task.WhenAny(pending, Task.Delay(3000));
        Assert.False(pending.IsCompleted, "a produce was acknowledged while the broker was down");
        Assert.StartsWith("ok: all brokers up", await MockFaultControl.SendAsync(control.Address, "up"), StringComparison.Ordinal);
        var delivered = await pending.WaitAsync(Timeout);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);

        // Request errors: the next Produce request fails with a non-retriable error.
        Assert.Equal("ok: the next 1 request(s) with API key 0 fail with MsgSizeTooLarge (10)",
            await MockFaultControl.SendAsync(control.Address, "errors Produce MsgSizeTooLarge 1"));
        var failed = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => TimedProduceAsync(producer, topic));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, failed.Error.Code);
        await TimedProduceAsync(producer, topic); // only one was queued

        Assert.StartsWith("ok: all brokers up, no added latency", await MockFaultControl.SendAsync(control.Address, "clear"), StringComparison.Ordinal);
        lock (seen) Assert.Equal(6, seen.Count); // the broker reports every command it ran
    }

    [Theory]
    [InlineData("", "error: empty command; ")]
    [InlineData("reboot", "error: unknown command 'reboot'; ")]
    [InlineData("latency soon", "error: latency needs a number of milliseconds")]
    [InlineData("down 7", "error: BROKER must be 1 to 1, got '7'")]
    [InlineData("errors Produce", "error: errors needs API CODE [COUNT]")]
    [InlineData("errors Nope NotLeaderForPartition", "error: unknown API 'Nope'")]
    [InlineData("errors Produce NoSuchError", "error: unknown Kafka error 'NoSuchError'")]
    [InlineData("errors Fetch 6 0", "error: COUNT must be 1 to 100000, got '0'")]
    [InlineData("help", "ok: down [BROKER] | up [BROKER]")]
    public void Bad_commands_are_answered_with_the_reason_and_change_nothing(string line, string answer)
    {
        using var cluster = new MockKafkaCluster();
        using var control = new MockFaultControl(cluster);
        Assert.StartsWith(answer, control.Execute(line), StringComparison.Ordinal);
    }
}
