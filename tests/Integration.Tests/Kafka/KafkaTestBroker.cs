using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Confluent.Kafka;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Kafka.Mock;

namespace Emotion.Integration.Tests.Kafka;

/// <summary>
/// The broker the Kafka integration tests use: <c>$EMOTION_BOOTSTRAP_SERVERS</c> (set by the test script, which starts
/// <c>scripts/broker.sh</c>). Without it, the tests fail when <c>CI=true</c> and otherwise start an in-process
/// <see cref="MockKafkaCluster"/>, so a developer can run them from the IDE.
/// </summary>
public sealed class KafkaTestBroker : IDisposable
{
    private readonly MockKafkaCluster? _inProcess;

    public KafkaTestBroker()
    {
        if (Environment.GetEnvironmentVariable("EMOTION_BOOTSTRAP_SERVERS") is { Length: > 0 } env)
        {
            Bootstrap = env;
            return;
        }
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("EMOTION_BOOTSTRAP_SERVERS is not set: in CI the Kafka tests need the broker that scripts/broker.sh starts (the test script sets it).");
        _inProcess = new MockKafkaCluster();
        Bootstrap = _inProcess.Bootstrap;
    }

    public string Bootstrap { get; }

    public void Dispose() => _inProcess?.Dispose();
}

/// <summary>Helpers shared by the Kafka tests.</summary>
internal static class KafkaTestKit
{
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> whatFailed)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s: {whatFailed()}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Drains <paramref name="reader"/> into <paramref name="into"/> until it holds <paramref name="count"/> items.</summary>
    public static void Collect<T>(ChannelReader<T> reader, List<T> into, int count, TimeSpan timeout) =>
        WaitUntil(() =>
        {
            while (reader.TryRead(out var item)) into.Add(item);
            return into.Count >= count;
        }, timeout, () => $"got {into.Count} of {count} messages");

    public static KafkaOptions Options(string bootstrap, string topic, string? group = null, string? dlq = null, string strategy = "cooperative-sticky") => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group ?? Unique("g"),
        InputTopics = [topic],
        DeadLetterTopic = dlq ?? Unique("dlq"),
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 500,
        MaxPollIntervalMs = 30000,
        AutoCommitIntervalMs = 200,
        PartitionAssignmentStrategy = strategy,
        LingerMs = 1,
    };

    /// <summary>Produces <c>key|value</c> lines with kcat, as an outside producer would.</summary>
    public static void KcatProduce(string bootstrap, string topic, IEnumerable<byte[]> lines)
    {
        const string kcat = "/usr/bin/kcat";
        Assert.True(File.Exists(kcat), "kcat is missing: install the Debian package 'kcat' (scripts/test.sh does).");
        var psi = new ProcessStartInfo(kcat)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-P", "-b", bootstrap, "-t", topic, "-K", "|", "-X", "topic.partitioner=murmur2_random" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdin = p.StandardInput.BaseStream;
        foreach (var line in lines)
        {
            stdin.Write(line);
            stdin.WriteByte((byte)'\n');
        }
        stdin.Close();
        var err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), "kcat did not finish in 30 s");
        Assert.True(p.ExitCode == 0, $"kcat failed ({p.ExitCode}): {err}");
    }

    public static byte[] Line(string key, string value) => Encoding.UTF8.GetBytes(key + "|" + value);

    public static string Segment(string conv, int seq, string speaker = "customer", long start = -1) =>
        $$"""{"schema":"emotion.transcript.v1","conversation_id":"{{conv}}","segment_id":"{{conv}}-{{seq}}","seq":{{seq}},"speaker":"{{speaker}}","text":"turno {{seq}}","start_ms":{{(start < 0 ? seq * 1000 : start)}},"end_ms":{{seq * 1000 + 500}}}""";

    /// <summary>Reads <paramref name="count"/> messages of <paramref name="topic"/> from the beginning with a plain consumer.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int count, TimeSpan timeout)
    {
        using var c = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = Unique("reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        c.Subscribe(topic);
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var sw = Stopwatch.StartNew();
        while (results.Count < count && sw.Elapsed < timeout)
        {
            try
            {
                if (c.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r) results.Add(r);
            }
            catch (ConsumeException ex) when (ex.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
            }
        }
        c.Close();
        Assert.True(results.Count >= count, $"read {results.Count} of {count} messages from {topic} in {timeout.TotalSeconds} s");
        return results;
    }
}
