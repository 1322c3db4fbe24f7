using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Emotion.Host.Bench;
using Emotion.Integration.Tests.Kafka;
using Emotion.Store;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>The whole pipeline against the real broker, the shipped model and the real ClickHouse.</summary>
public sealed class PipelineEndToEndTests(KafkaTestBroker broker) : IClassFixture<KafkaTestBroker>, IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RestartDeadline = TimeSpan.FromSeconds(300);

    private static string Seg(string conv, int seq, string speaker, string text) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schema"] = "emotion.transcript.v1", ["conversation_id"] = conv, ["segment_id"] = $"{conv}-{seq}", ["seq"] = seq,
            ["speaker"] = speaker, ["text"] = text, ["start_ms"] = seq * 4000, ["end_ms"] = seq * 4000 + 3000, ["lang"] = "es",
        });

    private static string Event(string conv, string type, string extra = "") =>
        $$"""{"schema":"emotion.event.v1","type":"{{type}}","conversation_id":"{{conv}}","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}{{extra}}}""";

    /// <summary>Produces a whole conversation with kcat, as an outside producer would: started, numbered segments, ended with their count.</summary>
    private void KcatConversation(PipelineEnv env, string conv, string startedFields, params (string Speaker, string Text)[] turns)
    {
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv, Event(conv, "started", startedFields))]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "transcripts",
            turns.Select((t, i) => KafkaTestKit.Line(conv, Seg(conv, i + 1, t.Speaker, t.Text))));
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events",
            [KafkaTestKit.Line(conv, Event(conv, "ended", $",\"segment_count\":{turns.Length}"))]);
    }

    [Fact]
    public async Task Segments_produced_with_kcat_come_out_scored_in_ClickHouse()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "kcat-" + Guid.NewGuid().ToString("N")[..8];
        KcatConversation(env, conv, ",\"tenant\":\"banco-test\",\"agent_id\":\"a1\",\"team_id\":\"t1\",\"campaign\":\"reclamos\",\"language\":\"es\"",
            ("agent", "buenos días gracias por llamar en qué le puedo ayudar"),
            ("customer", "estoy furioso me cobraron dos veces y nadie me soluciona nada es un desastre"),
            ("agent", "lamento mucho la molestia ya le reintegro el cobro duplicado"),
            ("customer", "muchísimas gracias excelente atención me salvó el día"));

        var runner = await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);

        Assert.Equal(4, runner.SegmentsScored);
        var rows = await PipelineEnv.QueryAsync(store,
            $"SELECT segment_id, speaker, valence, label, emotion, phase, model_version FROM utterances FINAL WHERE conversation_id = '{conv}' ORDER BY turn");
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.InRange(r.GetProperty("valence").GetDouble(), -1.0, 1.0);
            Assert.False(string.IsNullOrEmpty(r.GetProperty("phase").GetString()), "finalized utterances carry their phase");
            Assert.False(string.IsNullOrEmpty(r.GetProperty("model_version").GetString()));
        });
        Assert.True(rows[1].GetProperty("valence").GetDouble() < 0, "the angry complaint is scored negative");
        Assert.True(rows[3].GetProperty("valence").GetDouble() > 0, "the warm thanks is scored positive");

        var convs = await PipelineEnv.QueryAsync(store,
            $"SELECT tenant, agent_id, negative_to_positive, finalized_reason, turns FROM conversations FINAL WHERE conversation_id = '{conv}'");
        var c = Assert.Single(convs);
        Assert.Equal("banco-test", c.GetProperty("tenant").GetString());
        Assert.Equal("ended", c.GetProperty("finalized_reason").GetString());
        Assert.Equal(4, c.GetProperty("turns").GetInt32());
    }

    [Fact]
    public async Task Malformed_messages_reach_the_DLQ_and_do_not_stop_the_rest()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "dlq-" + Guid.NewGuid().ToString("N")[..8];
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "transcripts",
        [
            KafkaTestKit.Line(conv, Seg(conv, 1, "customer", "hola buenas tardes")),
            KafkaTestKit.Line(conv, "{not json at all"),
            KafkaTestKit.Line(conv, Seg(conv, 2, "bot", "speaker that does not exist")),
            KafkaTestKit.Line(conv, Seg(conv, 3, "customer", "necesito ayuda con mi factura")),
        ]);
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv, Event(conv, "ended", ",\"segment_count\":2"))]);

        var runner = await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);

        Assert.Equal(2, runner.SegmentsScored);
        var dead = KafkaTestKit.ReadAll(broker.Bootstrap, env.Prefix + "dlq", 2, TimeSpan.FromSeconds(30));
        var reasons = dead.Select(d => Encoding.UTF8.GetString(d.Message.Headers.GetLastBytes("dlq-reason"))).ToList();
        Assert.Contains(reasons, r => r.Contains("JSON", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(reasons, r => r.Contains("speaker", StringComparison.Ordinal));
        Assert.Contains(dead, d => Encoding.UTF8.GetString(d.Message.Value!) == "{not json at all");
        var rows = await PipelineEnv.QueryAsync(store, $"SELECT segment_id FROM utterances FINAL WHERE conversation_id = '{conv}' ORDER BY segment_id");
        Assert.Equal([$"{conv}-1", $"{conv}-3"], rows.Select(r => r.GetProperty("segment_id").GetString()));
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    public async Task Pipeline_stopped_mid_stream_and_restarted_leaves_the_same_rows_as_an_uninterrupted_run(string signal)
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var conversations = SyntheticConversations.Generate(400, 12, seed: 7, idPrefix: "kill-" + Guid.NewGuid().ToString("N")[..6]);
        // The stream comes in two parts and the run is stopped before the second exists, so the stop is mid-stream
        // however fast the pipeline is (a graceful stop can otherwise finish everything already read).
        env.Produce(conversations.Take(200).ToList());

        // A real process, stopped (SIGKILL or SIGTERM) once some conversations are in.
        var crashed = env.NewDatabase(out var crashedStore);
        var group = "g-kill-" + Guid.NewGuid().ToString("N");
        var first = StartRun(env, crashed, group, exitWhenIdle: null);
        PipelineEnv.WaitUntil(() => Count(crashedStore, "conversations") >= 5 || first.HasExited, Deadline,
            () => "the first run wrote no conversations");
        Assert.False(first.HasExited, "the first run exited by itself before it could be stopped");
        if (signal == "KILL")
        {
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }
        else
        {
            // Graceful: the run stops taking messages, flushes, commits what is durable and exits 0.
            using (var kill = Process.Start("kill", ["-TERM", first.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
            Assert.True(first.WaitForExit(60_000), "the run did not stop within 60 s of SIGTERM");
            Assert.Equal(0, first.ExitCode);
        }
        var before = Count(crashedStore, "conversations");
        Assert.True(before < conversations.Count, $"the stop came too late to test anything ({before} of {conversations.Count} done)");
        env.Produce(conversations.Skip(200).ToList());

        var second = StartRun(env, crashed, group, exitWhenIdle: 3);
        // Generous: on a loaded machine the restart alone (runtime, model, migrations, group join) takes half a minute.
        Assert.True(second.WaitForExit((int)RestartDeadline.TotalMilliseconds), "the restarted run did not finish\n" + Tail(second));
        Assert.True(second.ExitCode == 0, $"the restarted run exited {second.ExitCode}\n" + Tail(second));

        // Reference: one uninterrupted run over the same topic, another group and database.
        var reference = env.NewDatabase(out var referenceStore);
        await env.RunUntilIdleAsync(reference, "g-ref-" + Guid.NewGuid().ToString("N"), Idle, Deadline);

        foreach (var table in new[] { "utterances", "conversations", "conversation_phases", "conversation_drivers" })
        {
            await referenceStore.ExecuteAsync($"OPTIMIZE TABLE {table} FINAL");
            await crashedStore.ExecuteAsync($"OPTIMIZE TABLE {table} FINAL");
        }
        const string utterances = "SELECT conversation_id, segment_id, speaker, round(valence, 4) AS v, label, emotion, phase, version FROM utterances ORDER BY conversation_id, segment_id";
        const string convs = "SELECT conversation_id, tenant, agent_id, turns, negative_to_positive, round(shift, 4) AS s, primary_driver, process_topic, agent_focus, round(experience_index, 3) AS ei, version FROM conversations ORDER BY conversation_id";
        const string phases = "SELECT conversation_id, phase, speaker, round(mean_valence, 4) AS m, turns FROM conversation_phases ORDER BY conversation_id, phase, speaker";
        var expectedUtterances = await Rows(referenceStore, utterances);
        Assert.Equal(conversations.Sum(c => c.Turns.Count), expectedUtterances.Count);
        AssertSameRows("utterances", expectedUtterances, await Rows(crashedStore, utterances));
        var expectedConvs = await Rows(referenceStore, convs);
        Assert.Equal(conversations.Count, expectedConvs.Count);
        AssertSameRows("conversations", expectedConvs, await Rows(crashedStore, convs));
        AssertSameRows("conversation_phases", await Rows(referenceStore, phases), await Rows(crashedStore, phases));
    }

    /// <summary>
    /// Equal row lists under <see cref="ResultTables.SameRow"/> (numbers within 0.0011: a restarted run scores its turns in
    /// other micro-batches, and a mean near a rounding boundary, seen -0.6595 against -0.6594, rounds either way; a lost,
    /// repeated or re-ordered turn changes counts, ids or labels). On failure the first differing rows are shown in full
    /// (xunit's collection diff cuts them at 50 characters).
    /// </summary>
    private static void AssertSameRows(string table, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var diffs = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
            .Where(i => i >= expected.Count || i >= actual.Count || !ResultTables.SameRow(expected[i], actual[i])).Take(3)
            .Select(i => $"row {i}:\n  uninterrupted: {(i < expected.Count ? expected[i] : "(none)")}\n  restarted:     {(i < actual.Count ? actual[i] : "(none)")}")
            .ToList();
        if (diffs.Count > 0)
            Assert.Fail($"{table}: the restarted run's rows differ from the uninterrupted run's ({expected.Count} against {actual.Count} rows)\n" + string.Join("\n", diffs));
    }

    [Fact]
    public async Task Customer_turning_negative_raises_a_live_alert_and_a_late_survey_joins_its_conversation()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conv = "alert-" + Guid.NewGuid().ToString("N")[..8];
        KcatConversation(env, conv, ",\"tenant\":\"telco-test\",\"agent_id\":\"a9\"",
            ("agent", "buenas tardes en qué le puedo ayudar"),
            ("customer", "hace tres días que no tengo internet y nadie me da una solución"),
            ("agent", "eso no es mi área tiene que llamar a soporte técnico"),
            ("customer", "es una vergüenza estoy harto de este servicio horrible me quiero dar de baja"),
            ("customer", "son unos inútiles nunca más les pago un peso"));

        var runner = await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);
        Assert.True(runner.AlertsSent >= 1, "no live alert for a customer who turned furious");
        var alert = KafkaTestKit.ReadAll(broker.Bootstrap, env.Prefix + "alerts", 1, TimeSpan.FromSeconds(30))[0];
        using (var json = JsonDocument.Parse(alert.Message.Value))
        {
            Assert.Equal(conv, json.RootElement.GetProperty("conversation_id").GetString());
            Assert.Equal("telco-test", json.RootElement.GetProperty("tenant").GetString());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("rule").GetString()));
            Assert.InRange(json.RootElement.GetProperty("delay_ms").GetInt64(), 0, 60_000);
        }
        var alertRows = await PipelineEnv.QueryAsync(store, $"SELECT turn, delay_ms FROM alerts FINAL WHERE conversation_id = '{conv}'");
        Assert.NotEmpty(alertRows);

        // The survey arrives after the conversation was finalized, without a tenant, in a second run.
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", [KafkaTestKit.Line(conv, Event(conv, "survey", ",\"nps\":2"))]);
        await env.RunUntilIdleAsync(cs, "g-" + Guid.NewGuid().ToString("N"), Idle, Deadline);
        var joined = await PipelineEnv.QueryAsync(store, $"SELECT tenant, nps FROM v_conversations WHERE conversation_id = '{conv}'");
        var row = Assert.Single(joined);
        Assert.Equal("telco-test", row.GetProperty("tenant").GetString());
        Assert.Equal(2, row.GetProperty("nps").GetInt32());
    }

    [Fact]
    public async Task Surveys_of_pipeline_conversations_calibrate_the_experience_index()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var cs = env.NewDatabase(out var store);
        var conversations = SyntheticConversations.Generate(30, 10, seed: 11, idPrefix: "srv-" + Guid.NewGuid().ToString("N")[..6]);
        env.Produce(conversations);
        var group = "g-" + Guid.NewGuid().ToString("N");
        await env.RunUntilIdleAsync(cs, group, Idle, Deadline);

        // Surveys whose NPS follows each conversation's experience index (plus a fixed wobble), as real ones roughly do. The
        // index is stretched over the whole 0-10 scale first, so the wobble weighs the same whatever the spread of the
        // indices the turn model gives these synthetic conversations.
        var analyses = await PipelineEnv.QueryAsync(store, "SELECT conversation_id, experience_index FROM conversations FINAL");
        Assert.Equal(30, analyses.Count);
        var indices = analyses.Select(a => a.GetProperty("experience_index").GetDouble()).ToList();
        var (low, high) = (indices.Min(), indices.Max());
        Assert.True(high - low >= 10, $"the synthetic conversations' experience indices should differ; got {low:0.0}-{high:0.0}");
        var lines = analyses.Select((a, i) =>
        {
            var id = a.GetProperty("conversation_id").GetString()!;
            var nps = Math.Clamp((int)Math.Round(10 * (indices[i] - low) / (high - low) + (i % 3 - 1)), 0, 10);
            return KafkaTestKit.Line(id, Event(id, "survey", $",\"nps\":{nps}"));
        }).ToList();
        KafkaTestKit.KcatProduce(broker.Bootstrap, env.Prefix + "events", lines);
        await env.RunUntilIdleAsync(cs, group, Idle, Deadline);

        var samples = await Emotion.Host.Commands.SurveyReport.LoadAsync(store, null, CancellationToken.None);
        Assert.Equal(30, samples.Count);
        var report = Emotion.Scoring.ExperienceCalibrator.Fit(samples).Report;
        Assert.Equal(30, report.Samples);
        Assert.True(report.PearsonIndex > 0.8, $"the NPS was built from the index, so they correlate; got {report.PearsonIndex:0.000}");
        Assert.Equal(Emotion.Scoring.CalibrationSample.FeatureNames.Count, report.Features.Count);
    }

    [Fact]
    public async Task Pipeline_stops_with_an_error_when_ClickHouse_rejects_writes_and_a_rerun_loses_nothing()
    {
        await using var env = new PipelineEnv(broker.Bootstrap);
        var conversations = SyntheticConversations.Generate(50, 10, seed: 5, idPrefix: "chfail-" + Guid.NewGuid().ToString("N")[..6]);
        env.Produce(conversations);
        var cs = env.NewDatabase(out var store);
        await new Migrator(store).MigrateAsync();
        // A table that vanished (an operator's mistake, a broken cluster): inserts into it fail.
        await store.ExecuteAsync("RENAME TABLE conversations TO conversations_away");
        var group = "g-" + Guid.NewGuid().ToString("N");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => env.RunUntilIdleAsync(cs, group, Idle, Deadline));
        Assert.Contains("pipeline stopped", error.Message, StringComparison.Ordinal);

        await store.ExecuteAsync("RENAME TABLE conversations_away TO conversations");
        await env.RunUntilIdleAsync(cs, group, Idle, Deadline);
        Assert.Equal(conversations.Count, Count(store, "conversations"));
        Assert.Equal(conversations.Sum(c => c.Turns.Count), Count(store, "utterances"));
    }

    /// <summary>Started runs, killed at the end of the test whatever happened, so a failed assertion leaves no process behind.</summary>
    private readonly List<Process> _runs = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Process, System.Collections.Concurrent.ConcurrentQueue<string>> _output = new();

    /// <summary>The last lines a run printed, for a failure message.</summary>
    private string Tail(Process p) => _output.TryGetValue(p, out var q) ? string.Join('\n', q) : "";

    public void Dispose()
    {
        foreach (var p in _runs)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
    }

    private Process StartRun(PipelineEnv env, string clickHouse, string group, int? exitWhenIdle)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "emotion.dll");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "run", "--bootstrap-servers", env.Bootstrap, "--clickhouse", clickHouse, "--model", PipelineEnv.ModelDir,
                     "--group", group, "--topic-prefix", env.Prefix })
            psi.ArgumentList.Add(a);
        if (exitWhenIdle is { } s)
        {
            psi.ArgumentList.Add("--exit-when-idle");
            psi.ArgumentList.Add(s.ToString(CultureInfo.InvariantCulture));
        }
        psi.Environment["Kafka__SessionTimeoutMs"] = "6000";
        psi.Environment["Kafka__HeartbeatIntervalMs"] = "500";
        psi.Environment["Kafka__AutoCommitIntervalMs"] = "200";
        psi.Environment["Pipeline__EndGraceS"] = "1";
        var p = Process.Start(psi)!;
        _runs.Add(p);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _output[p] = lines;
        void Keep(string? line)
        {
            if (line is null) return;
            lines.Enqueue(line);
            while (lines.Count > 40) lines.TryDequeue(out _);
        }
        p.OutputDataReceived += (_, e) => Keep(e.Data);
        p.ErrorDataReceived += (_, e) => Keep(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static long Count(ClickHouseStore store, string table)
    {
        try
        {
            var rows = store.QueryAsync<JsonElement>($"SELECT count() AS n FROM {table} FINAL").GetAwaiter().GetResult();
            return long.Parse(rows[0].GetProperty("n").ToString(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or ClickHouse.Driver.ClickHouseServerException)
        {
            return 0; // the run has not created its database yet
        }
    }

    private static async Task<List<string>> Rows(ClickHouseStore store, string sql) =>
        (await store.QueryAsync<JsonElement>(sql)).Select(r => r.GetRawText()).ToList();
}
