using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Replay;
using Emotion.Integration.Tests.Kafka;
using Emotion.Integration.Tests.Pipeline;

namespace Emotion.Integration.Tests.Privacy;

/// <summary>
/// Issue 14: a conversation with a card number, a DNI, a CURP, an e-mail address and a phone number, written with digits
/// and spelled out, goes through a real <c>emotion run</c> process; afterwards no table of its ClickHouse database, no
/// message on the dead-letter topic and no line the run logged holds any of them, and the redaction counts are stored.
/// </summary>
public sealed class PrivacyPipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    private static readonly (string Speaker, string Text)[] Turns =
    [
        ("agent", "banco andino buenos días le habla carla en qué le puedo ayudar"),
        ("customer", "hola me cobraron en la tarjeta 4111 1111 1111 1111 algo que no reconozco y estoy furiosa"),
        ("agent", "lo siento mucho, para validar su identidad me confirma su dni por favor"),
        ("customer", "sí es el 12345678Z"),
        ("agent", "gracias, y su curp para el expediente"),
        ("customer", "HEGG560427MVZRRL04"),
        ("customer", "el correo es juan.perez@gmail.com o si prefiere juan punto perez arroba gmail punto com"),
        ("customer", "mi celular es seis uno dos tres cuatro cinco seis siete ocho o al 612 345 678"),
        ("customer", "la tarjeta otra vez cuatro uno uno uno, uno uno uno uno, uno uno uno uno, uno uno uno uno"),
        ("agent", "perfecto, ya anulé el cobro y le llega la confirmación al correo, muchas gracias"),
    ];

    /// <summary>Every form in which the values were sent; none may be found anywhere afterwards.</summary>
    private static readonly string[] Needles =
    [
        "4111 1111", "4111111111111111", "cuatro uno uno uno, uno uno uno uno", "12345678", "HEGG560427", "MVZRRL04",
        "juan.perez", "juan punto perez", "perez arroba", "@gmail", "612 345 678", "612345678", "seis uno dos tres cuatro",
    ];

    /// <summary>Digit strings that must not appear in any text once everything but digits is removed.</summary>
    private static readonly string[] DigitNeedles = ["4111111111111111", "12345678", "612345678"];

    [Fact]
    public async Task A_replayed_conversation_with_personal_data_leaves_none_in_any_table_topic_or_log_line()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "privacy-" + Guid.NewGuid().ToString("N")[..8];
        var turns = Turns.Select((t, i) => new TurnRecord(t.Speaker, i * 6.0, i * 6.0 + 5, t.Text)).ToList();
        env.Produce([new ConversationRecord(conv, "banco-andino", "ag-7", "t-1", "reclamos", "es", "voice", turns)]);

        // A message the decoder rejects (speaker 'bot'), with personal data in it, in its key and in a header.
        var poison = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["schema"] = "emotion.transcript.v1", ["conversation_id"] = conv, ["segment_id"] = conv + "-99", ["seq"] = 99,
            ["speaker"] = "bot", ["text"] = "tarjeta 4111 1111 1111 1111, dni 12345678Z, juan.perez@gmail.com", ["start_ms"] = 1, ["end_ms"] = 2,
        });
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = broker.Bootstrap }).Build())
        {
            await producer.ProduceAsync(env.Prefix + "transcripts", new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(conv),
                Value = Encoding.UTF8.GetBytes(poison),
                Headers = new Headers { { "x-caller", "612 345 678"u8.ToArray() } },
            });
        }

        using (var run = new EmotionRunProcess(env, cs, "g-" + Guid.NewGuid().ToString("N"), "privacy run", exitWhenIdleS: 5))
        {
            Assert.True(run.WaitForExit(Deadline), "the run did not finish\n" + run.Tail());
            Assert.True(run.ExitCode == 0, $"the run exited {run.ExitCode}\n" + run.Tail());
            var log = run.Tail(400);
            Assert.Contains("Dead letter", log, StringComparison.Ordinal);
            AssertClean("the run's output", log);
        }

        // Every table and view of the database, every row, every column. An aggregate-state column (the console's daily
        // sums, migration 0008) is binary, not text: it is read through finalizeAggregation, i.e. as the value it stands
        // for, so a state that kept a text (groupArray of a string, say) would show it here.
        var tables = await PipelineEnv.QueryAsync(store, $"SELECT name FROM system.tables WHERE database = '{store.Database}' ORDER BY name");
        Assert.Contains(tables, t => t.GetProperty("name").GetString() == "utterance_redactions");
        Assert.Contains(tables, t => t.GetProperty("name").GetString() == "utterance_words");
        var rowsSeen = 0;
        var stateColumns = 0;
        foreach (var name in tables.Select(t => t.GetProperty("name").GetString()!))
        {
            var columns = await PipelineEnv.QueryAsync(store,
                $"SELECT name, type FROM system.columns WHERE database = '{store.Database}' AND table = '{name}'");
            Assert.NotEmpty(columns);
            var select = string.Join(", ", columns.Select(c =>
            {
                var column = c.GetProperty("name").GetString()!;
                if (!c.GetProperty("type").GetString()!.StartsWith("AggregateFunction(", StringComparison.Ordinal)) return $"`{column}`";
                stateColumns++;
                return $"finalizeAggregation(`{column}`) AS `{column}`";
            }));
            foreach (var row in await PipelineEnv.QueryAsync(store, $"SELECT {select} FROM `{name}`"))
            {
                rowsSeen++;
                AssertClean($"table {name}", row.GetRawText());
            }
        }
        Assert.True(rowsSeen > Turns.Length, $"only {rowsSeen} rows in the database");
        Assert.True(stateColumns > 0, "no aggregate-state column was read: the console's daily sums are missing");

        // utterance_words holds one word a row, so the scan above cannot see a number or an address that was split into
        // words. Each of its words must be a word of a stored (redacted) text of the same turn, which the scan read whole.
        var wordsOfTexts = (await PipelineEnv.QueryAsync(store, $"SELECT segment_id, text FROM utterances WHERE conversation_id = '{conv}'"))
            .SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r.GetProperty("text").GetString()!.ToLowerInvariant(), @"[\p{L}\p{N}]+")
                .Select(m => (Segment: r.GetProperty("segment_id").GetString()!, Word: m.Value)))
            .ToHashSet();
        var words = await PipelineEnv.QueryAsync(store, $"SELECT segment_id, word FROM utterance_words WHERE conversation_id = '{conv}'");
        Assert.True(words.Count >= Turns.Length, $"only {words.Count} rows in utterance_words for the conversation");
        foreach (var w in words)
        {
            var key = (w.GetProperty("segment_id").GetString()!, w.GetProperty("word").GetString()!);
            Assert.True(wordsOfTexts.Contains(key), $"utterance_words holds '{key.Item2}' for {key.Item1}, which no stored text of that turn says");
        }
        var texts = (await PipelineEnv.QueryAsync(store, $"SELECT text FROM utterances FINAL WHERE conversation_id = '{conv}' ORDER BY turn"))
            .Select(r => r.GetProperty("text").GetString()!).ToList();
        Assert.Equal(Turns.Length, texts.Count);
        Assert.Equal("sí es el <id>", texts[3]);
        Assert.Equal("<id>", texts[5]);

        // The counts: two cards, two ids (DNI, CURP), two e-mails, two phones.
        var counts = Assert.Single(await PipelineEnv.QueryAsync(store, $"SELECT * FROM v_redactions WHERE conversation_id = '{conv}'"));
        Assert.Equal(2, Count(counts, "cards"));
        Assert.Equal(2, Count(counts, "ids"));
        Assert.Equal(2, Count(counts, "emails"));
        Assert.Equal(2, Count(counts, "phones"));
        Assert.Equal(0, Count(counts, "ibans") + Count(counts, "accounts"));
        Assert.Equal(6, Count(counts, "utterances_redacted"));

        // The dead-letter topic: value, key and every header.
        var dead = Assert.Single(KafkaTestKit.ReadAll(broker.Bootstrap, env.Prefix + "dlq", 1, TimeSpan.FromSeconds(30)));
        var dl = DeadLetter.Parse(dead.Message)!;
        Assert.StartsWith("redacted: ", dl.Privacy, StringComparison.Ordinal);
        AssertClean("the dead letter's value", Encoding.UTF8.GetString(dead.Message.Value!));
        AssertClean("the dead letter's key", Encoding.UTF8.GetString(dead.Message.Key!));
        foreach (var h in dead.Message.Headers) AssertClean($"dead-letter header {h.Key}", Encoding.UTF8.GetString(h.GetValueBytes()));
        Assert.Contains("<card>", Encoding.UTF8.GetString(dead.Message.Value!), StringComparison.Ordinal);
    }

    private static long Count(JsonElement row, string column)
    {
        var v = row.GetProperty(column);
        return v.ValueKind == JsonValueKind.String ? long.Parse(v.GetString()!, CultureInfo.InvariantCulture) : v.GetInt64();
    }

    private static void AssertClean(string where, string text)
    {
        foreach (var needle in Needles)
        {
            Assert.False(text.Contains(needle, StringComparison.OrdinalIgnoreCase), $"{where} holds '{needle}':\n{text}");
        }
        // Also each run of digits and number separators with the separators removed ("4111-1111-...", "4 1 1 1 ...").
        foreach (var piece in System.Text.RegularExpressions.Regex.Split(text, @"[^0-9 ().-]+"))
        {
            var digits = new string(piece.Where(char.IsAsciiDigit).ToArray());
            foreach (var needle in DigitNeedles)
            {
                Assert.False(digits.Contains(needle, StringComparison.Ordinal), $"{where} holds the digits {needle}: '{piece}' in\n{text}");
            }
        }
    }
}
