using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Integration.Tests.Kafka;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>
/// Every kind of poison message issue 15 found crashing <c>emotion run</c> (and every restart) goes to the DLQ with its
/// reason, and the conversations around it are scored and stored as if it had not been there.
/// </summary>
public sealed class PoisonMessagePipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private const long Year10000Ms = 253_402_300_800_000;

    private static string Seg(string conv, int seq, string text, string extra = "") =>
        $$"""{"schema":"emotion.transcript.v1","conversation_id":"{{conv}}","segment_id":"{{conv}}-{{seq}}","seq":{{seq}},"speaker":"customer","text":"{{text}}","start_ms":{{seq * 4000}},"end_ms":{{seq * 4000 + 3000}},"lang":"es"{{extra}}}""";

    private static string Event(string conv, string type, long ts, string extra = "") =>
        $$"""{"schema":"emotion.event.v1","type":"{{type}}","conversation_id":"{{conv}}","ts":{{ts}}{{extra}}}""";

    [Fact]
    public async Task Poison_messages_of_every_kind_go_to_the_DLQ_with_a_reason_and_the_pipeline_goes_on()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var id = Guid.NewGuid().ToString("N")[..8];
        var good = "good-" + id;
        var orphan = "orphan-" + id; // no started event: once crashed when its idle timeout fired
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var huge = "{\"schema\":\"emotion.transcript.v1\",\"text\":\"" + new string('x', 1_200_000); // invalid JSON, 1.2 MB

        // (topic, key, value, Kafka timestamp or null, expected reason prefix)
        var poison = new (string Topic, string Key, string Value, long? KafkaTs, string Reason)[]
        {
            ("transcripts", good, Seg(good, 90, "hola \\ud800 mundo"), null,
                "field 'text' contains an unpaired UTF-16 surrogate escape (\\ud800)"),
            ("transcripts", good, Seg(good, 91, "hola", $",\"produced_at\":{Year10000Ms}"), null,
                "field 'produced_at' must be between 0 and 4102444800000, got 253402300800000"),
            ("transcripts", orphan, Seg(orphan, 1, "hola").Replace("\"end_ms\":7000", "\"end_ms\":9000000000000000000", StringComparison.Ordinal), null,
                "field 'end_ms' must be between 0 and 604800000, got 9000000000000000000"),
            ("transcripts", good, Seg(good, 92, "hola"), Year10000Ms,
                "Kafka message timestamp must be between 0 and 4102444800000 (2100-01-01), got 253402300800000"),
            ("transcripts", good, huge, null, "invalid JSON in value at line 1, byte "),
            ("events", orphan, Event(orphan, "started", Year10000Ms), null,
                "field 'ts' must be between 0 and 4102444800000, got 253402300800000"),
            ("events", good, Event(good, "qa_score", now, ",\"score\":1e400"), null,
                "field 'score' must be between 0 and 100, got 1e400"),
        };

        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = broker.Bootstrap,
            MessageMaxBytes = 2_000_000, // a producer that raised its limit wrote the oversized one
            LingerMs = 1,
        }).Build())
        {
            async Task Send(string topic, string key, string value, long? kafkaTs = null)
            {
                var m = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) };
                if (kafkaTs is { } ts) m.Timestamp = new Timestamp(ts, TimestampType.CreateTime);
                await producer.ProduceAsync(env.Prefix + topic, m);
            }
            await Send("events", good, Event(good, "started", now, ",\"tenant\":\"poison-test\""));
            await Send("transcripts", good, Seg(good, 1, "buenos días, tengo un problema con mi factura"));
            foreach (var p in poison) await Send(p.Topic, p.Key, p.Value, p.KafkaTs);
            await Send("transcripts", good, Seg(good, 2, "muchas gracias, ya quedó resuelto"));
            await Send("events", good, Event(good, "ended", now + 10_000, ",\"segment_count\":2"));
        }

        var runner = await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);

        Assert.Equal(2, runner.SegmentsScored);
        var dead = KafkaTestKit.ReadAll(broker.Bootstrap, env.Prefix + "dlq", poison.Length, TimeSpan.FromSeconds(30))
            .Select(r => (Raw: r, Dl: DeadLetter.Parse(r.Message)!))
            .ToList();
        Assert.Equal(poison.Length, dead.Count);
        foreach (var p in poison)
        {
            var d = Assert.Single(dead, d => d.Dl.Reason.StartsWith(p.Reason, StringComparison.Ordinal));
            Assert.Equal(env.Prefix + p.Topic, d.Dl.SourceTopic);
            Assert.Equal(p.Key, Encoding.UTF8.GetString(d.Raw.Message.Key!));
            if (p.Value.Length < DeadLetter.DefaultMaxBytes)
            {
                Assert.Equal(p.Value, Encoding.UTF8.GetString(d.Raw.Message.Value!));
                Assert.Null(d.Dl.TruncatedFromBytes);
            }
            else
            {
                // Cut to fit the broker's message size, and says so.
                Assert.Equal(Encoding.UTF8.GetByteCount(p.Value), d.Dl.TruncatedFromBytes);
                Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"value truncated from {Encoding.UTF8.GetByteCount(p.Value)} to "), d.Dl.Reason, StringComparison.Ordinal);
                Assert.True(d.Raw.Message.Value!.Length < DeadLetter.DefaultMaxBytes);
                Assert.StartsWith(p.Value[..1000], Encoding.UTF8.GetString(d.Raw.Message.Value), StringComparison.Ordinal);
            }
        }

        var rows = await PipelineEnv.QueryAsync(store,
            $"SELECT segment_id, tenant FROM utterances FINAL WHERE conversation_id = '{good}' ORDER BY turn");
        Assert.Equal([$"{good}-1", $"{good}-2"], rows.Select(r => r.GetProperty("segment_id").GetString()));
        var conv = Assert.Single(await PipelineEnv.QueryAsync(store,
            $"SELECT tenant, turns FROM conversations FINAL WHERE conversation_id = '{good}'"));
        Assert.Equal("poison-test", conv.GetProperty("tenant").GetString());
        Assert.Equal(2, conv.GetProperty("turns").GetInt32());
        Assert.Empty(await PipelineEnv.QueryAsync(store,
            string.Create(CultureInfo.InvariantCulture, $"SELECT conversation_id FROM utterances WHERE conversation_id = '{orphan}'")));
    }
}
