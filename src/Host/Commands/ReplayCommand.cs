using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
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

        var command = new Command("replay", "Produce conversations from a JSON Lines file into Kafka at real-time pace or faster.");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { bootstrap, prefix, speed, noPace, stagger }) command.Options.Add(o);

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
            return await RunAsync(path, servers, parse.GetValue(prefix) ?? Topics.DefaultPrefix, s, st, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(FileInfo path, string servers, string prefix, double speed, double stagger, CancellationToken ct)
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

        var steps = ReplaySchedule.Build(conversations, speed, stagger);
        var totalSegments = conversations.Sum(c => c.Turns.Count);
        var options = new KafkaOptions { BootstrapServers = servers, ClientId = "emotion-replay", TopicPrefix = prefix, LingerMs = 5 };
        var transcripts = Topics.Name(Topics.Transcripts, prefix);
        var events = Topics.Name(Topics.Events, prefix);

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
                var message = ReplaySchedule.Message(conv, step, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                var topic = step.Kind == ReplayStepKind.Segment ? transcripts : events;
                var id = step.Kind switch
                {
                    ReplayStepKind.Segment => ReplaySchedule.SegmentId(conv.ConversationId, step.Turn),
                    ReplayStepKind.Started => conv.ConversationId + "-started",
                    _ => conv.ConversationId + "-ended",
                };
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
                if (step.Kind == ReplayStepKind.Segment) segments++;
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
        Console.WriteLine($"emotion replay: {finished} conversations, {segments} segments, {Interlocked.Read(ref delivered)} messages delivered, {Interlocked.Read(ref failed)} failed, {badLines} bad lines, {remaining} unflushed, in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        if (firstError is not null) Console.Error.WriteLine($"emotion replay: first delivery error: {firstError}");
        return badLines > 0 || failed > 0 || remaining > 0 || ct.IsCancellationRequested ? 1 : 0;
    }

    private static StreamReader? OpenFile(FileInfo path) => path.Exists ? new StreamReader(path.FullName) : null;
}
