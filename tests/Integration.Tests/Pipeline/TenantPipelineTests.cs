using System.Text.Json;
using Emotion.Integration.Tests.Kafka;
using Emotion.Store;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>
/// Two tenants whose platforms number conversations independently use the same conversation id: through the whole
/// pipeline each keeps its own conversation, rows and survey.
/// </summary>
public sealed class TenantPipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static readonly (string Speaker, string Text)[] Acme =
    [
        ("agent", "buenos días banco acme le habla carla en qué le puedo ayudar"),
        ("customer", "me cobraron dos veces en la tarjeta cuatro uno uno uno y estoy furioso"),
        ("agent", "lamento la molestia ya le reintegro el cobro duplicado de acme"),
    ];

    private static readonly (string Speaker, string Text)[] Globex =
    [
        ("agent", "globex telecomunicaciones buenas tardes habla martín"),
        ("customer", "hace tres días que no tengo internet en mi casa"),
        ("agent", "ya le envío un técnico de globex para mañana temprano"),
        ("customer", "muchas gracias excelente atención"),
    ];

    private static string Seg(string conv, int seq, string speaker, string text, string? tenant) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["schema"] = "emotion.transcript.v1", ["conversation_id"] = conv, ["segment_id"] = $"{conv}-{seq}", ["seq"] = seq,
            ["speaker"] = speaker, ["text"] = text, ["start_ms"] = seq * 4000, ["end_ms"] = seq * 4000 + 3000, ["lang"] = "es",
            ["tenant"] = tenant,
        });

    private static string Event(string conv, string type, string extra = "") =>
        $$"""{"schema":"emotion.event.v1","type":"{{type}}","conversation_id":"{{conv}}","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}{{extra}}}""";

    private static string Started(string conv, string tenant) => Event(conv, "started", $",\"tenant\":\"{tenant}\",\"agent_id\":\"{tenant}-a1\",\"language\":\"es\"");

    private static string Ended(string conv, int count, string? tenant) =>
        Event(conv, "ended", $",\"segment_count\":{count}" + (tenant is null ? "" : $",\"tenant\":\"{tenant}\""));

    private void Produce(PipelineEnv env, string topic, params string[] values) =>
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + topic, values.Select(v => KafkaTestKit.Line(JsonDocument.Parse(v).RootElement.GetProperty("conversation_id").GetString()!, v)));

    /// <summary>One tenant's conversation produced whole: tenant on 'started' only (segments and 'ended' without), or on every message.</summary>
    private void ProduceConversation(PipelineEnv env, string conv, string tenant, (string Speaker, string Text)[] turns, bool tenantOnEveryMessage)
    {
        var named = tenantOnEveryMessage ? tenant : null;
        Produce(env, "events", Started(conv, tenant));
        Produce(env, "transcripts", turns.Select((t, i) => Seg(conv, i + 1, t.Speaker, t.Text, named)).ToArray());
        Produce(env, "events", Ended(conv, turns.Length, named));
    }

    [Fact]
    public async Task Two_tenants_using_the_same_conversation_id_keep_their_own_rows()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var id = Guid.NewGuid().ToString("N")[..8];
        var oneAfterOther = "seq-" + id;
        var atTheSameTime = "both-" + id;

        await using (var run = await RunningPipeline.StartAsync(env, cs))
        {
            // One after the other, as v1 producers send them: the tenant only on 'started'. Within FinalizedMemoryS of the
            // first, so the first is still remembered when the second starts.
            ProduceConversation(env, oneAfterOther, "acme", Acme, tenantOnEveryMessage: false);
            await WaitForTurnsAsync(store, "acme", oneAfterOther, Acme.Length, run);
            ProduceConversation(env, oneAfterOther, "globex", Globex, tenantOnEveryMessage: false);
            await WaitForTurnsAsync(store, "globex", oneAfterOther, Globex.Length, run);

            // At the same time, interleaved message by message, the tenant on every message.
            Produce(env, "events", Started(atTheSameTime, "acme"), Started(atTheSameTime, "globex"));
            var interleaved = new List<string>();
            for (var i = 0; i < Math.Max(Acme.Length, Globex.Length); i++)
            {
                if (i < Acme.Length) interleaved.Add(Seg(atTheSameTime, i + 1, Acme[i].Speaker, Acme[i].Text, "acme"));
                if (i < Globex.Length) interleaved.Add(Seg(atTheSameTime, i + 1, Globex[i].Speaker, Globex[i].Text, "globex"));
            }
            Produce(env, "transcripts", [.. interleaved]);
            Produce(env, "events", Ended(atTheSameTime, Acme.Length, "acme"), Ended(atTheSameTime, Globex.Length, "globex"));
            await WaitForTurnsAsync(store, "acme", atTheSameTime, Acme.Length, run);
            await WaitForTurnsAsync(store, "globex", atTheSameTime, Globex.Length, run);
            await run.StopAsync();
            Assert.Equal(2 * (Acme.Length + Globex.Length), run.Runner.SegmentsScored);
        }

        foreach (var conv in new[] { oneAfterOther, atTheSameTime })
        {
            var convs = await PipelineEnv.QueryAsync(store,
                $"SELECT tenant, agent_id, turns FROM conversations FINAL WHERE conversation_id = '{conv}' ORDER BY tenant");
            Assert.Equal([$"acme/acme-a1/{Acme.Length}", $"globex/globex-a1/{Globex.Length}"],
                convs.Select(c => $"{c.GetProperty("tenant").GetString()}/{c.GetProperty("agent_id").GetString()}/{c.GetProperty("turns")}"));
            foreach (var (tenant, turns) in new[] { ("acme", Acme), ("globex", Globex) })
            {
                var texts = await PipelineEnv.QueryAsync(store,
                    $"SELECT text FROM utterances FINAL WHERE conversation_id = '{conv}' AND tenant = '{tenant}' ORDER BY turn");
                Assert.Equal(turns.Select(t => t.Text), texts.Select(t => t.GetProperty("text").GetString()));
            }
            Assert.Equal(0, await ResultTables.CountAsync(store, $"utterances FINAL WHERE conversation_id = '{conv}' AND tenant NOT IN ('acme', 'globex')"));
            Assert.Equal(2, await ResultTables.CountAsync(store, $"v_conversations WHERE conversation_id = '{conv}'"));
        }
    }

    [Fact]
    public async Task A_survey_naming_one_tenant_attaches_only_to_that_tenants_conversation()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "srv-" + Guid.NewGuid().ToString("N")[..8];

        await using (var run = await RunningPipeline.StartAsync(env, cs))
        {
            ProduceConversation(env, conv, "acme", Acme, tenantOnEveryMessage: true);
            ProduceConversation(env, conv, "globex", Globex, tenantOnEveryMessage: true);
            await WaitForTurnsAsync(store, "acme", conv, Acme.Length, run);
            await WaitForTurnsAsync(store, "globex", conv, Globex.Length, run);
            Produce(env, "events", Event(conv, "survey", ",\"tenant\":\"acme\",\"nps\":3"));
            await run.WaitUntilAsync(async () => await ResultTables.CountAsync(store, $"conversation_events WHERE conversation_id = '{conv}'") >= 1,
                Deadline, () => "the survey was not stored");
            await run.StopAsync();
        }

        var rows = await PipelineEnv.QueryAsync(store, $"SELECT tenant, nps FROM v_conversations WHERE conversation_id = '{conv}' ORDER BY tenant");
        Assert.Equal(["acme", "globex"], rows.Select(r => r.GetProperty("tenant").GetString()));
        Assert.Equal(3, rows[0].GetProperty("nps").GetInt32());
        Assert.True(rows[1].GetProperty("nps").ValueKind == JsonValueKind.Null,
            $"globex's conversation got the survey acme's customer answered: nps {rows[1].GetProperty("nps")}");
    }

    private static Task WaitForTurnsAsync(ClickHouseStore store, string tenant, string conv, int turns, RunningPipeline run) =>
        run.WaitUntilAsync(async () => await ResultTables.CountAsync(store,
                $"conversations FINAL WHERE tenant = '{tenant}' AND conversation_id = '{conv}' AND turns = {turns}") == 1,
            Deadline, () => $"{tenant}/{conv} was not finalized with its {turns} turns");
}
