using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Emotion.Audio.Tests;
using Emotion.Integration.Tests.Kafka;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>
/// A call's audio and transcript produced with kcat, as an outside producer would (each audio chunk a message whose value
/// is the file's bytes and whose <c>emotion-meta</c> header is its metadata), through the real broker, the shipped model
/// and the real ClickHouse.
/// </summary>
public sealed class AudioPipelineTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task Audio_and_transcript_produced_with_kcat_come_out_as_rows_with_acoustic_columns()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "audio-" + Guid.NewGuid().ToString("N")[..8];
        const string agentText = "buenos días gracias por llamar en qué le puedo ayudar";
        const string customerText = "me cobraron dos veces la cuota y nadie me soluciona nada";
        var agent = Speech.Say("es", agentText);
        var customer = Speech.Say("es", customerText);
        // The customer starts 0.8 s before the agent is done: 0.8 s of overtalk, the customer breaking in.
        const double overlap = 0.8;
        var la = Speech.Seconds(agent);
        var lc = Speech.Seconds(customer);
        var total = 0.5 + la - overlap + lc + 1.0;
        var agentChannel = Speech.Concat(Speech.Silence(0.5), agent, Speech.Silence(total - 0.5 - la));
        var customerChannel = Speech.Concat(Speech.Silence(0.5 + la - overlap), customer, Speech.Silence(1.0));

        var dir = Directory.CreateTempSubdirectory("emotion-audio-e2e-").FullName;
        try
        {
            // Agent: 16 kHz 16-bit WAV chunks of 1 s. Customer: 8 kHz mu-law raw chunks of 1 s. One corrupted WAV.
            var agentChunks = Speech.Chunks(conv, "agent", agentChannel, Speech.Rate, 0, 1000);
            var customerMulaw = Speech.Convert16k(customerChannel, "raw", "mu-law", 8000, 8);
            var customerChunks = Speech.Chunks(conv, "customer", customerMulaw, 8000, 0, 1000, "mulaw", bytesPerFrame: 1);
            for (var i = 0; i < agentChunks.Count; i++)
            {
                var wav = Speech.Convert16k(agentChunks[i].Payload.ToArray(), "wav", "signed-integer", Speech.Rate, 16);
                KcatAudio(env, conv, wav, Meta(conv, "agent", i, agentChunks[i].Meta.StartMs, "wav", Speech.Rate, last: i == agentChunks.Count - 1), dir);
            }
            // Sent out of order, one twice: the stage puts them back in sequence and drops the repeat.
            var order = Enumerable.Range(0, customerChunks.Count).ToList();
            (order[1], order[2]) = (order[2], order[1]);
            order.Add(3);
            foreach (var i in order)
            {
                KcatAudio(env, conv, customerChunks[i].Payload.ToArray(),
                    Meta(conv, "customer", i, customerChunks[i].Meta.StartMs, "mulaw", 8000, last: i == customerChunks.Count - 1), dir);
            }
            var corrupt = Encoding.ASCII.GetBytes("RIFX this is not a wav file at all");
            KcatAudio(env, conv, corrupt, Meta(conv, "agent", 999, 0, "wav", Speech.Rate, last: false), dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        var agentEnd = (long)((0.5 + la) * 1000);
        var customerStart = (long)((0.5 + la - overlap) * 1000);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv,
            $$"""{"schema":"emotion.event.v1","type":"started","conversation_id":"{{conv}}","ts":{{Now()}},"tenant":"banco-audio","agent_id":"a1","language":"es"}""")]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "transcripts",
        [
            KafkaTestKit.Line(conv, Seg(conv, 1, "agent", agentText, 500, agentEnd)),
            KafkaTestKit.Line(conv, Seg(conv, 2, "customer", customerText, customerStart, customerStart + (long)(lc * 1000))),
        ]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv,
            $$"""{"schema":"emotion.event.v1","type":"ended","conversation_id":"{{conv}}","ts":{{Now()}},"segment_count":2}""")]);

        await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);

        var windows = await PipelineEnv.QueryAsync(store,
            $"SELECT speaker, segment_id, turn, voiced_s, loudness_dbfs, pitch_median_hz, pitch_range_st, speaking_rate, rate_source, overtalk_s, arousal_label " +
            $"FROM audio_windows FINAL WHERE conversation_id = '{conv}' AND tenant = 'banco-audio' ORDER BY turn");
        Assert.Equal(2, windows.Count);
        Assert.Equal([$"{conv}-1", $"{conv}-2"], windows.Select(w => w.GetProperty("segment_id").GetString()));
        foreach (var w in windows)
        {
            Assert.InRange(w.GetProperty("voiced_s").GetDouble(), 1.5, 6);
            Assert.InRange(w.GetProperty("loudness_dbfs").GetDouble(), -35, -5);
            Assert.InRange(w.GetProperty("pitch_median_hz").GetDouble(), 70, 260);
            Assert.InRange(w.GetProperty("speaking_rate").GetDouble(), 2, 9);
            Assert.Equal("transcript", w.GetProperty("rate_source").GetString());
            Assert.InRange(w.GetProperty("overtalk_s").GetDouble(), overlap - 0.2, overlap + 0.2);
        }
        var spans = await PipelineEnv.QueryAsync(store,
            $"SELECT kind, (end_ms - start_ms) / 1000 AS seconds, speaker FROM audio_spans FINAL WHERE conversation_id = '{conv}' AND kind = 'overtalk'");
        var o = Assert.Single(spans);
        Assert.Equal("customer", o.GetProperty("speaker").GetString());
        var seconds = o.GetProperty("seconds").GetDouble(); // UInt64 columns come back quoted
        Assert.InRange(seconds, overlap - 0.2, overlap + 0.2);
        var conversation = Assert.Single(await PipelineEnv.QueryAsync(store,
            $"SELECT finalized_reason, turns, analysis_json FROM conversations FINAL WHERE conversation_id = '{conv}'"));
        Assert.Equal(2, conversation.GetProperty("turns").GetInt32());
        using var analysis = JsonDocument.Parse(conversation.GetProperty("analysis_json").GetString()!);
        Assert.InRange(analysis.RootElement.GetProperty("audio").GetProperty("overtalk_s").GetDouble(), overlap - 0.2, overlap + 0.2);

        var dead = KafkaTestKit.ReadAll(broker.Bootstrap, env.Prefix + "dlq", 1, TimeSpan.FromSeconds(30));
        var reason = Encoding.UTF8.GetString(Assert.Single(dead).Message.Headers.GetLastBytes("dlq-reason"));
        Assert.Equal("wav payload does not start with a RIFF/WAVE header", reason);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Seg(string conv, int seq, string speaker, string text, long start, long end) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schema"] = "emotion.transcript.v1", ["conversation_id"] = conv, ["segment_id"] = $"{conv}-{seq}", ["seq"] = seq,
            ["speaker"] = speaker, ["text"] = text, ["start_ms"] = start, ["end_ms"] = end, ["lang"] = "es",
        });

    private static string Meta(string conv, string channel, long seq, long startMs, string encoding, int rate, bool last) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"schema":"emotion.audio.v1","conversation_id":"{{conv}}","channel":"{{channel}}","seq":{{seq}},"start_ms":{{startMs}},"encoding":"{{encoding}}","sample_rate":{{rate}},"last":{{(last ? "true" : "false")}}}""");

    /// <summary>One audio chunk with kcat: the file is the value, the metadata a header, the conversation id the key.</summary>
    private void KcatAudio(PipelineEnv env, string conv, byte[] payload, string meta, string dir)
    {
        var file = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".bin");
        File.WriteAllBytes(file, payload);
        var psi = new ProcessStartInfo("/usr/bin/kcat") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-P", "-b", broker.Bootstrap, "-t", env.Prefix + "audio", "-k", conv, "-H", "emotion-meta=" + meta,
                     "-X", "topic.partitioner=murmur2_random", file })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), "kcat did not finish in 30 s");
        Assert.True(p.ExitCode == 0, $"kcat failed ({p.ExitCode}): {err}");
    }
}
