using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Replay;
using Emotion.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Emotion.Integration.Tests.Pipeline;

/// <summary>
/// A real <c>emotion run</c> process (the built <c>emotion.dll</c>) on a <see cref="PipelineEnv"/>, with its output kept
/// for assertions and failure messages. Killed on dispose if it is still running.
/// </summary>
internal sealed class EmotionRunProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public EmotionRunProcess(PipelineEnv env, string clickHouse, string group, string name, int? exitWhenIdleS = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        var dll = Path.Combine(AppContext.BaseDirectory, "emotion.dll");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "run", "--bootstrap-servers", env.Bootstrap, "--clickhouse", clickHouse, "--model", PipelineEnv.ModelDir,
                     "--group", group, "--topic-prefix", env.Prefix })
            psi.ArgumentList.Add(a);
        if (exitWhenIdleS is { } s)
        {
            psi.ArgumentList.Add("--exit-when-idle");
            psi.ArgumentList.Add(s.ToString(CultureInfo.InvariantCulture));
        }
        // The same timings as the other pipeline tests; anything else (e.g. Kafka__PartitionAssignmentStrategy) comes from
        // this process's environment, which the child inherits.
        psi.Environment["Kafka__SessionTimeoutMs"] = "6000";
        psi.Environment["Kafka__HeartbeatIntervalMs"] = "500";
        psi.Environment["Kafka__AutoCommitIntervalMs"] = "200";
        psi.Environment["Pipeline__EndGraceS"] = "1";
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    /// <summary>Whether a line of its output contains <paramref name="text"/>.</summary>
    public bool Logged(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Whether a line of its output matches <paramref name="pattern"/>.</summary>
    public bool Logged(System.Text.RegularExpressions.Regex pattern) => _lines.Any(pattern.IsMatch);

    /// <summary>The last <paramref name="count"/> lines of its output, for failure messages.</summary>
    public string Tail(int count = 15) => $"--- {Name} ---\n" + string.Join('\n', _lines.TakeLast(count));

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>SIGTERM: a graceful stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        while (_lines.Count > 400) _lines.TryDequeue(out _);
    }
}

/// <summary>
/// Produces conversations on the replay timeline (as <c>emotion replay --speed N --stagger S</c> does), so that many are
/// in flight at once. <see cref="StopStarting"/> ends the stream early: no new conversation starts, the ones started
/// finish. A fault test keeps the stream going until its fault is under way, however slow the machine is.
/// </summary>
internal sealed class PacedProducer
{
    private readonly PipelineEnv _env;
    private readonly IReadOnlyList<ConversationRecord> _conversations;
    private readonly double _speed;
    private readonly double _staggerS;
    private volatile bool _stopStarting;
    private int _started;

    public PacedProducer(PipelineEnv env, IReadOnlyList<ConversationRecord> conversations, double speed, double staggerS)
    {
        (_env, _conversations, _speed, _staggerS) = (env, conversations, speed, staggerS);
        Running = Task.Run(ProduceAsync);
    }

    /// <summary>Completes when every started conversation has been produced and acknowledged.</summary>
    public Task Running { get; }

    /// <summary>Conversations started so far.</summary>
    public int Started => Volatile.Read(ref _started);

    /// <summary>The conversations started, once <see cref="Running"/> completed: what the pipeline must hold.</summary>
    public IReadOnlyList<ConversationRecord> Produced => _conversations.Take(Started).ToList();

    /// <summary>Starts no more conversations; those in flight finish.</summary>
    public void StopStarting() => _stopStarting = true;

    private async Task ProduceAsync()
    {
        using var producer = new JsonMessageProducer(new KafkaOptions { BootstrapServers = _env.Bootstrap, TopicPrefix = _env.Prefix, LingerMs = 5 });
        long failed = 0;
        var clock = Stopwatch.StartNew();
        var started = new bool[_conversations.Count];
        foreach (var step in ReplaySchedule.Build(_conversations, _speed, _staggerS))
        {
            if (step.Kind == ReplayStepKind.Started)
            {
                if (_stopStarting) continue;
                started[step.Conversation] = true;
                Interlocked.Increment(ref _started);
            }
            else if (!started[step.Conversation])
            {
                continue;
            }
            var wait = step.Due - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait); // pacing to a timeline, not waiting for a condition
            var message = ReplaySchedule.Message(_conversations[step.Conversation], step, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var topic = step.Kind == ReplayStepKind.Segment ? _env.Prefix + Topics.Transcripts : _env.Prefix + Topics.Events;
            producer.Produce(topic, message, r =>
            {
                if (r.Error.IsError) Interlocked.Increment(ref failed);
            });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, Interlocked.Read(ref failed));
    }
}

/// <summary>
/// Every result table of a pipeline database by key, as dashboards read it: <c>utterances FINAL</c>, <c>conversations FINAL</c>
/// and the analysis rows of current analyses (the <c>v_*</c> views, which drop rows an earlier finalization left under a
/// key the latest one no longer has). Timestamps of processing (scored_at, finalized_at) are left out: they differ between runs.
/// </summary>
internal static class ResultTables
{
    /// <summary>(table, key columns, value columns).</summary>
    public static readonly (string Table, string Key, string Values)[] All =
    [
        ("utterances FINAL", "tenant, conversation_id, segment_id",
            "turn, speaker, text, lang, phase, round(valence, 4) AS v, label, emotion, round(emotion_confidence, 4) AS ec, is_final, version"),
        ("conversations FINAL", "tenant, conversation_id",
            "agent_id, team_id, campaign, channel, language, turns, customer_start_label, round(customer_start_score, 4) AS css, customer_end_label, "
            + "round(customer_end_score, 4) AS ces, negative_to_positive, started_negative, round(shift, 4) AS s, round(driver_agent, 4) AS da, "
            + "round(driver_process, 4) AS dp, round(driver_product, 4) AS dr, round(driver_prior_experience, 4) AS dx, primary_driver, process_topic, "
            + "agent_focus, round(experience_index, 3) AS ei, memorable_moments, round(negative_load, 4) AS nl, alerts, version"),
        ("v_phases", "tenant, conversation_id, phase, speaker",
            "phase_order, round(mean_valence, 4) AS m, round(min_valence, 4) AS mn, round(negative_share, 4) AS ns, dominant_emotion, turns, round(seconds, 2) AS sec"),
        ("v_drivers", "tenant, conversation_id, driver, topic", "round(share, 4) AS sh, evidence_turns"),
        ("v_behaviours", "tenant, conversation_id, behaviour", "count, round(seconds, 2) AS sec, evidence_turns"),
        ("v_memorable_moments", "tenant, conversation_id, turn", "round(valence, 4) AS v, emotion, text, after_negative_start"),
    ];

    /// <summary>Key -> whole row (JSON) of one table.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(ClickHouseStore store, string table, string key, string values)
    {
        var rows = await store.QueryAsync<JsonElement>($"SELECT {key}, {values} FROM {table}");
        var keyColumns = key.Split(',', StringSplitOptions.TrimEntries);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            var k = string.Join('/', keyColumns.Select(c => r.GetProperty(c).ToString()));
            Assert.True(result.TryAdd(k, r.GetRawText()), $"{table}: two rows with key {k}");
        }
        return result;
    }

    /// <summary>Every table of <paramref name="actual"/> against <paramref name="expected"/>; empty when they hold the same rows.</summary>
    public static async Task<string> DiffAsync(ClickHouseStore expected, ClickHouseStore actual)
    {
        var report = new StringBuilder();
        foreach (var (table, key, values) in All)
        {
            var want = await ReadAsync(expected, table, key, values);
            var got = await ReadAsync(actual, table, key, values);
            var missing = want.Keys.Where(k => !got.ContainsKey(k)).ToList();
            var extra = got.Keys.Where(k => !want.ContainsKey(k)).ToList();
            var differ = want.Keys.Where(k => got.TryGetValue(k, out var g) && !SameRow(g, want[k])).ToList();
            if (missing.Count + extra.Count + differ.Count == 0) continue;
            report.Append(CultureInfo.InvariantCulture,
                $"{table}: {want.Count} rows expected, {got.Count} found; {missing.Count} missing, {extra.Count} extra, {differ.Count} different\n");
            foreach (var k in missing.Take(3)) report.Append(CultureInfo.InvariantCulture, $"  missing {want[k]}\n");
            foreach (var k in extra.Take(3)) report.Append(CultureInfo.InvariantCulture, $"  extra   {got[k]}\n");
            foreach (var k in differ.Take(3)) report.Append(CultureInfo.InvariantCulture, $"  expected {want[k]}\n  found    {got[k]}\n");
        }
        return report.ToString();
    }

    /// <summary>
    /// Equal rows, numbers within 0.0011: the model's float32 scores differ in the last digit with the micro-batch they
    /// were computed in (seen: valence 0.5839 against 0.584 after round(, 4)).
    /// </summary>
    public static bool SameRow(string a, string b)
    {
        if (a == b) return true;
        using var x = JsonDocument.Parse(a);
        using var y = JsonDocument.Parse(b);
        var xs = x.RootElement.EnumerateObject().ToList();
        var ys = y.RootElement.EnumerateObject().ToList();
        if (xs.Count != ys.Count) return false;
        for (var i = 0; i < xs.Count; i++)
        {
            if (xs[i].Name != ys[i].Name) return false;
            var (u, v) = (xs[i].Value, ys[i].Value);
            if (u.GetRawText() == v.GetRawText()) continue;
            if (u.ValueKind == JsonValueKind.Number && v.ValueKind == JsonValueKind.Number && Math.Abs(u.GetDouble() - v.GetDouble()) <= 0.0011) continue;
            return false;
        }
        return true;
    }

    public static async Task<long> CountAsync(ClickHouseStore store, string from)
    {
        var rows = await store.QueryAsync<JsonElement>($"SELECT count() AS n FROM {from}");
        return long.Parse(rows[0].GetProperty("n").ToString(), CultureInfo.InvariantCulture);
    }

    /// <summary>count() of a table, 0 while its database does not exist yet (a run that has not started).</summary>
    public static long CountOrZero(ClickHouseStore store, string from)
    {
        try
        {
            return CountAsync(store, from).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or ClickHouse.Driver.ClickHouseServerException)
        {
            return 0;
        }
    }
}

/// <summary>The pipeline in this process, running until stopped (no idle exit), so messages can be produced in steps.</summary>
internal sealed class RunningPipeline : IAsyncDisposable
{
    private readonly Microsoft.Extensions.Hosting.IHost _host;
    private readonly CancellationTokenSource _stop = new();

    private RunningPipeline(Microsoft.Extensions.Hosting.IHost host, Emotion.Host.Pipeline.PipelineRunner runner)
    {
        _host = host;
        Runner = runner;
        Running = Task.Run(() => runner.RunAsync(null, _stop.Token));
    }

    public Emotion.Host.Pipeline.PipelineRunner Runner { get; }

    public Task Running { get; }

    /// <param name="overrides">Settings over <see cref="PipelineEnv.Settings"/>'s (e.g. <c>Pipeline:FlushIntervalMs</c>).</param>
    public static async Task<RunningPipeline> StartAsync(PipelineEnv env, string clickHouse, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var host = await StartHostAsync(env, clickHouse, "g-" + Guid.NewGuid().ToString("N"), overrides);
        return new RunningPipeline(host,
            host.Services.GetRequiredService<Emotion.Host.Pipeline.PipelineRunner>());
    }

    /// <summary>
    /// The reference for a fault test: one uninterrupted member over the whole stream. Its 'ended' grace is long (30 s),
    /// so that reading the backlog, where a consumer reads the small events well ahead of the transcripts, finalizes every
    /// conversation once with all its announced segments instead of through the late-segment path.
    /// </summary>
    public static async Task RunReferenceAsync(PipelineEnv env, string clickHouse, TimeSpan idle, TimeSpan timeout)
    {
        using var host = await StartHostAsync(env, clickHouse, "g-ref-" + Guid.NewGuid().ToString("N"),
            new Dictionary<string, string?> { ["Pipeline:EndGraceS"] = "30" });
        var runner = host.Services.GetRequiredService<Emotion.Host.Pipeline.PipelineRunner>();
        using var cts = new CancellationTokenSource(timeout);
        await runner.RunAsync(idle, cts.Token);
        Assert.False(cts.IsCancellationRequested, $"the reference run did not go idle within {timeout.TotalSeconds} s");
        await host.StopAsync();
    }

    private static async Task<Microsoft.Extensions.Hosting.IHost> StartHostAsync(PipelineEnv env, string clickHouse, string group,
        IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = env.Settings(clickHouse, group);
        if (overrides is not null)
        {
            var merged = new Dictionary<string, string?>(settings.Overrides!);
            foreach (var (k, v) in overrides) merged[k] = v;
            settings = settings with { Overrides = merged };
        }
        var host = Emotion.Host.Pipeline.PipelineHost.Build(settings);
        await host.StartAsync();
        await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        return host;
    }

    /// <summary>Waits for <paramref name="condition"/> with a deadline; fails at once with the pipeline's error if it stopped.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (Running.IsCompleted) await Running; // surfaces the pipeline's failure
            if (sw.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s: {what()}");
            await Task.Delay(100);
        }
    }

    /// <summary>A graceful stop: the writer flushes, then the consumer commits; rethrows the pipeline's failure.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Running;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Running;
        }
        catch (InvalidOperationException)
        {
            // Already reported by StopAsync or the assertion that failed first.
        }
        await _host.StopAsync();
        _host.Dispose();
        _stop.Dispose();
    }
}
