using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Emotion.Audio;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Replay;
using Spectre.Console;

namespace Emotion.Host.Commands;

/// <summary>
/// The <c>emotion replay FILE</c> command: produces the conversations of a JSON Lines file as a live system would
/// (a <c>started</c> event, one final transcript segment per turn when the turn ends, an <c>ended</c> event), paced in
/// real time or faster.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Conversation JSON Lines file ('-' for stdin)." };
        var bootstrap = CommonOptions.BootstrapServers();
        var prefix = new Option<string>("--topic-prefix") { Description = "Prefix of the topics.", DefaultValueFactory = _ => Topics.DefaultPrefix };
        var speed = new Option<double>("--speed") { Description = "Pace: 1 = real time, N = N times faster, 0 = as fast as possible.", DefaultValueFactory = _ => 1.0 };
        var noPace = new Option<bool>("--no-pace") { Description = "As fast as possible (same as --speed 0)." };
        var stagger = new Option<double>("--stagger") { Description = "Seconds between conversation starts (0: all start together).", DefaultValueFactory = _ => 0.0 };
        var audio = new Option<DirectoryInfo?>("--audio")
        {
            Description = "Also send each conversation's audio from this folder to the audio topic, paced like its turns: ID.agent.wav and ID.customer.wav, or a two-channel ID.wav (left agent, right customer).",
        };
        var audioChunkMs = new Option<int>("--audio-chunk-ms") { Description = "Length of each audio chunk (ms).", DefaultValueFactory = _ => 500 };

        var command = new Command("replay", "Produce conversations from a JSON Lines file into Kafka at real-time pace or faster.");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { bootstrap, prefix, speed, noPace, stagger, audio, audioChunkMs }) command.Options.Add(o);

        command.SetAction(async (parse, ct) =>
        {
            var s = parse.GetValue(noPace) ? 0 : parse.GetValue(speed);
            var st = parse.GetValue(stagger);
            if (double.IsNaN(s) || s < 0 || double.IsNaN(st) || st < 0)
            {
                Console.Error.WriteLine("emotion replay: --speed and --stagger must be >= 0");
                return 2;
            }
            string servers;
            try
            {
                servers = CommonOptions.ResolveBootstrap(parse.GetValue(bootstrap));
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine($"emotion replay: {ex.Message}");
                return 2;
            }
            if (Preflight.Kafka(servers, TimeSpan.FromSeconds(10)) is { } kafkaError)
            {
                Console.Error.WriteLine($"emotion replay: {kafkaError}");
                return 1;
            }
            var path = parse.GetValue(file)!;
            var audioDir = parse.GetValue(audio);
            if (audioDir is { Exists: false })
            {
                Console.Error.WriteLine($"emotion replay: --audio folder not found: {audioDir.FullName}");
                return 2;
            }
            var chunkMs = parse.GetValue(audioChunkMs);
            if (chunkMs is < 10 or > 60_000)
            {
                Console.Error.WriteLine("emotion replay: --audio-chunk-ms must be between 10 and 60000");
                return 2;
            }
            return await RunAsync(path, servers, parse.GetValue(prefix) ?? Topics.DefaultPrefix, s, st, audioDir?.FullName, chunkMs, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(FileInfo path, string servers, string prefix, double speed, double stagger, string? audioDir, int chunkMs,
        CancellationToken ct)
    {
        // Read everything first: conversations are interleaved on one timeline.
        var conversations = new List<Emotion.Ingest.Replay.ConversationRecord>();
        var badLines = 0;
        using (var reader = path.Name == "-" ? new StreamReader(Console.OpenStandardInput()) : OpenFile(path))
        {
            if (reader is null)
            {
                Console.Error.WriteLine($"emotion replay: file not found: {path.FullName}");
                return 2;
            }
            await foreach (var (conv, err) in ConversationFile.ReadAsync(reader, ct))
            {
                if (err is not null)
                {
                    badLines++;
                    Console.Error.WriteLine($"emotion replay: {path.Name}:{err.Line.ToString(CultureInfo.InvariantCulture)}: skipped: {err.Reason}");
                }
                else conversations.Add(conv!);
            }
        }

        var (steps, audioChunks) = WithAudio(ReplaySchedule.Build(conversations, speed, stagger), conversations, speed, stagger, audioDir, chunkMs);
        var totalSegments = conversations.Sum(c => c.Turns.Count);
        var options = new KafkaOptions { BootstrapServers = servers, ClientId = "emotion-replay", TopicPrefix = prefix, LingerMs = 5 };
        var transcripts = Topics.Name(Topics.Transcripts, prefix);
        var events = Topics.Name(Topics.Events, prefix);
        var audioTopic = Topics.Name(Topics.Audio, prefix);

        long delivered = 0, failed = 0, segments = 0, finished = 0;
        string? firstError = null;
        using var producer = new JsonMessageProducer(options);
        void OnDelivery(DeliveryReport<byte[]?, byte[]?> r)
        {
            if (r.Error.IsError)
            {
                if (Interlocked.Increment(ref failed) == 1) firstError = $"{r.Topic}: {r.Error.Reason}";
            }
            else Interlocked.Increment(ref delivered);
        }

        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        Console.WriteLine($"emotion replay: {conversations.Count} conversations, {totalSegments} segments to {servers} (speed {(speed == 0 ? "unpaced" : speed.ToString("0.###", CultureInfo.InvariantCulture) + "x")}, stagger {stagger.ToString("0.###", CultureInfo.InvariantCulture)} s)");

        var clock = Stopwatch.StartNew();
        async Task SendAll(Action progress)
        {
            foreach (var step in steps)
            {
                var wait = step.Due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct); // pacing to a timeline, not waiting for a condition
                var conv = conversations[step.Conversation];
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                IIngestMessage message;
                string topic, id;
                if (step.Turn < -1)
                {
                    // An audio chunk (Turn = -2 - its index in audioChunks).
                    var chunk = audioChunks[-2 - step.Turn];
                    message = chunk with { Meta = chunk.Meta with { ProducedAt = now } };
                    topic = audioTopic;
                    id = string.Create(CultureInfo.InvariantCulture, $"{conv.ConversationId}-{chunk.Meta.Channel}-{chunk.Meta.Seq}");
                }
                else
                {
                    message = ReplaySchedule.Message(conv, step, now);
                    topic = step.Kind == ReplayStepKind.Segment ? transcripts : events;
                    id = step.Kind switch
                    {
                        ReplayStepKind.Segment => ReplaySchedule.SegmentId(conv.ConversationId, step.Turn),
                        ReplayStepKind.Started => conv.ConversationId + "-started",
                        _ => conv.ConversationId + "-ended",
                    };
                }
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, message, OnDelivery, messageId: id);
                        break;
                    }
                    catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Producer.Poll(TimeSpan.FromMilliseconds(50));
                    }
                }
                if (step.Kind == ReplayStepKind.Segment && step.Turn >= 0) segments++;
                if (step.Kind == ReplayStepKind.Ended) finished++;
                progress();
            }
        }

        try
        {
            if (interactive)
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var convTask = ctx.AddTask("conversations", maxValue: Math.Max(1, conversations.Count));
                        var segTask = ctx.AddTask("segments", maxValue: Math.Max(1, totalSegments));
                        await SendAll(() =>
                        {
                            convTask.Value = finished;
                            segTask.Value = segments;
                        });
                        convTask.Value = convTask.MaxValue;
                        segTask.Value = segTask.MaxValue;
                    });
            }
            else
            {
                var lastReport = TimeSpan.Zero;
                await SendAll(() =>
                {
                    if (clock.Elapsed - lastReport < TimeSpan.FromSeconds(5)) return;
                    lastReport = clock.Elapsed;
                    Console.WriteLine($"emotion replay: {finished}/{conversations.Count} conversations, {segments}/{totalSegments} segments");
                });
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("emotion replay: cancelled; flushing what was produced");
        }

        // Flush: wait for every acknowledgement (or delivery failure) before exiting.
        var remaining = producer.Flush(TimeSpan.FromSeconds(60));
        Console.WriteLine($"emotion replay: {finished} conversations, {segments} segments, {audioChunks.Count} audio chunks, {Interlocked.Read(ref delivered)} messages delivered, {Interlocked.Read(ref failed)} failed, {badLines} bad lines, {remaining} unflushed, in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        if (firstError is not null) Console.Error.WriteLine($"emotion replay: first delivery error: {firstError}");
        return badLines > 0 || failed > 0 || remaining > 0 || ct.IsCancellationRequested ? 1 : 0;
    }

    /// <summary>
    /// Adds each conversation's audio chunks to the timeline, each due when its audio ends (so a real-time replay sends
    /// audio as it is spoken), and moves a conversation's <c>ended</c> after its last chunk. Audio steps are marked by
    /// <c>Turn = -2 - index</c> into the returned chunk list.
    /// </summary>
    internal static (IReadOnlyList<ReplayStep> Steps, IReadOnlyList<AudioChunk> Chunks) WithAudio(IReadOnlyList<ReplayStep> steps,
        IReadOnlyList<Emotion.Ingest.Replay.ConversationRecord> conversations, double speed, double stagger, string? audioDir, int chunkMs)
    {
        if (audioDir is null) return (steps, []);
        var chunks = new List<AudioChunk>();
        var added = new List<ReplayStep>();
        var audioEnd = new Dictionary<int, TimeSpan>();
        for (var c = 0; c < conversations.Count; c++)
        {
            foreach (var t in AudioFiles.ForConversation(audioDir, conversations[c].ConversationId, conversations[c].Tenant, chunkMs))
            {
                var due = speed == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((c * stagger + t.EndS) / speed);
                added.Add(new ReplayStep(due, c, ReplayStepKind.Segment, -2 - chunks.Count));
                chunks.Add(t.Chunk);
                audioEnd[c] = audioEnd.TryGetValue(c, out var e) && e > due ? e : due;
            }
        }
        var merged = steps.Select(s => s.Kind == ReplayStepKind.Ended && audioEnd.TryGetValue(s.Conversation, out var end) && end > s.Due ? s with { Due = end } : s)
            .Concat(added)
            // Stable: at equal times the transcript steps (listed first) go before the audio, and 'ended' after both.
            .Select((s, i) => (s, i))
            .OrderBy(x => x.s.Due).ThenBy(x => x.s.Kind == ReplayStepKind.Ended ? 1 : 0).ThenBy(x => x.i)
            .Select(x => x.s)
            .ToList();
        return (merged, chunks);
    }

    private static StreamReader? OpenFile(FileInfo path) => path.Exists ? new StreamReader(path.FullName) : null;
}
