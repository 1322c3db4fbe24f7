using System.Text.Json;
using Emotion.Integration.Tests.Kafka;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>A segment that arrives after its conversation was finalized reopens it with everything it had.</summary>
public sealed class LateSegmentPipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static string Seg(string conv, int seq, string text) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["schema"] = "emotion.transcript.v1", ["conversation_id"] = conv, ["segment_id"] = $"{conv}-{seq}", ["seq"] = seq,
            ["speaker"] = seq % 2 == 1 ? "agent" : "customer", ["text"] = text, ["start_ms"] = seq * 4000, ["end_ms"] = seq * 4000 + 3000,
            ["lang"] = "es", ["tenant"] = "acme",
        });

    private static string Event(string conv, string type, string extra) =>
        $$"""{"schema":"emotion.event.v1","type":"{{type}}","conversation_id":"{{conv}}","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"tenant":"acme"{{extra}}}""";

    /// <summary>
    /// The 'ended' grace passes before the last segment is read (events and transcripts are separate topics, so a consumer
    /// with a backlog reads them at different paces): the conversation is finalized with two of its three turns, and the
    /// third arrives while those rows are still on their way to ClickHouse (here the writer flushes every 5 s; under load
    /// the ordinary intervals are enough). Reopened, the conversation must still hold all three turns.
    /// </summary>
    [Fact]
    public async Task A_segment_arriving_while_its_finalized_conversation_is_being_written_keeps_the_earlier_turns()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "late-" + Guid.NewGuid().ToString("N")[..8];
        string[] texts =
        [
            "buenos días en qué le puedo ayudar",
            "me cobraron dos veces la cuota y estoy furioso",
            "ya le reintegro el cobro duplicado",
        ];

        await using var run = await RunningPipeline.StartAsync(env, cs, new Dictionary<string, string?> { ["Pipeline:FlushIntervalMs"] = "5000", ["Pipeline:FinalizedFlushIntervalMs"] = "5000" });
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events",
            [KafkaTestKit.Line(conv, Event(conv, "started", ",\"agent_id\":\"a1\",\"language\":\"es\""))]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "transcripts",
            [KafkaTestKit.Line(conv, Seg(conv, 1, texts[0])), KafkaTestKit.Line(conv, Seg(conv, 2, texts[1]))]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv, Event(conv, "ended", ",\"segment_count\":3"))]);
        await run.WaitUntilAsync(() => Task.FromResult(run.Runner.ConversationsFinalized >= 1), Deadline, () => "the conversation was not finalized after its grace");

        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "transcripts", [KafkaTestKit.Line(conv, Seg(conv, 3, texts[2]))]);
        // Five messages in the second finalization: version 6.
        await run.WaitUntilAsync(async () => await ResultTables.CountAsync(store, $"conversations FINAL WHERE conversation_id = '{conv}' AND version = 6") == 1,
            Deadline, () => "the conversation was not finalized again with its late segment");
        await run.StopAsync();

        var c = Assert.Single(await PipelineEnv.QueryAsync(store, $"SELECT turns FROM conversations FINAL WHERE conversation_id = '{conv}'"));
        Assert.True(c.GetProperty("turns").GetInt32() == 3, $"the reopened conversation has {c.GetProperty("turns")} turns of 3");
        var phases = await ResultTables.CountAsync(store, $"v_phases WHERE conversation_id = '{conv}'");
        var current = await PipelineEnv.QueryAsync(store, $"SELECT text FROM utterances FINAL WHERE conversation_id = '{conv}' AND version = 6 ORDER BY turn");
        Assert.Equal(texts, current.Select(r => r.GetProperty("text").GetString()));
        Assert.True(phases > 0);
    }
}
