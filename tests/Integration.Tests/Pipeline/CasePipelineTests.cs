using System.Text.Json;
using Emotion.Integration.Tests.Kafka;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>Issue 13 through the whole pipeline: a conversation produced with kcat comes out triaged, with its moments of truth.</summary>
public sealed class CasePipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static string Segment(string conv, int seq, string speaker, string text) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schema"] = "emotion.transcript.v1", ["conversation_id"] = conv, ["segment_id"] = $"{conv}-{seq}", ["seq"] = seq,
            ["speaker"] = speaker, ["text"] = text, ["start_ms"] = seq * 4000, ["end_ms"] = seq * 4000 + 3000, ["lang"] = "es",
        });

    private static string Event(string conv, string type, string extra = "") =>
        $$"""{"schema":"emotion.event.v1","type":"{{type}}","conversation_id":"{{conv}}","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}{{extra}}}""";

    [Fact]
    public async Task A_finalized_conversation_lands_with_its_case_class_contact_reason_and_moments_of_truth()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "case-" + Guid.NewGuid().ToString("N")[..8];
        (string Speaker, string Text)[] turns =
        [
            ("agent", "buenos días gracias por llamar en qué le puedo ayudar"),
            ("customer", "me llegó la factura y me cobraron dos veces la cuota quiero que me devuelvan el dinero"),
            ("agent", "claro me confirma su dni por favor"),
            ("customer", "sí es el cuatro cuatro cinco cinco"),
            ("agent", "listo ya le devolví el cobro duplicado"),
            ("customer", "muchísimas gracias excelente atención"),
        ];
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events",
            [KafkaTestKit.Line(conv, Event(conv, "started", ",\"tenant\":\"banco-test\",\"agent_id\":\"a1\",\"team_id\":\"t1\",\"campaign\":\"reclamos\",\"language\":\"es\""))]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "transcripts", turns.Select((t, i) => KafkaTestKit.Line(conv, Segment(conv, i + 1, t.Speaker, t.Text))));
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv, Event(conv, "ended", $",\"segment_count\":{turns.Length}"))]);

        await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);

        var triage = Assert.Single(await PipelineEnv.QueryAsync(store,
            $"SELECT case_class, contact_reason, known_event FROM v_triage WHERE conversation_id = '{conv}'"));
        Assert.Equal("claim", triage.GetProperty("case_class").GetString());
        Assert.Equal("billing_error", triage.GetProperty("contact_reason").GetString());
        Assert.Equal("bill", triage.GetProperty("known_event").GetString());
        var moments = (await PipelineEnv.QueryAsync(store, $"SELECT moment, turn FROM v_moments WHERE conversation_id = '{conv}' ORDER BY turn"))
            .Select(m => m.GetProperty("moment").GetString()).ToList();
        Assert.Contains("identity_check", moments);
        Assert.Contains("resolution_statement", moments);
    }
}
