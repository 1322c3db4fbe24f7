using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Emotion.Ingest.Kafka;
using Emotion.Ingest.Kafka.Mock;

namespace Emotion.Host.Commands;

/// <summary>
/// The <c>emotion broker</c> command: a local Kafka-protocol broker (librdkafka's in-memory mock cluster) for the
/// embedded default and for tests. It writes its bootstrap address to <see cref="CommonOptions.BrokerAddressFile"/>
/// and removes the file on exit. While it runs, <c>emotion broker fault ...</c> injects faults into it through the
/// control port whose address it writes to the <c>control</c> file beside the address file (<see cref="MockFaultControl"/>).
/// </summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers.", DefaultValueFactory = _ => 1 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of each emotion.* topic.", DefaultValueFactory = _ => 4 };
        var port = new Option<int>("--port")
        {
            Description = "Fixed port for broker 1 (broker i gets port+i-1), served by a forwarder in front of the mock. 0 (default): ephemeral ports; read the address file.",
            DefaultValueFactory = _ => 0,
        };
        var host = new Option<string>("--host")
        {
            Description = "Address the fixed-port forwarders bind and advertise (with --port).",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var prefix = new Option<string>("--topic-prefix") { Description = "Prefix of the pipeline topics.", DefaultValueFactory = _ => Topics.DefaultPrefix };
        var topics = new Option<string[]>("--topic")
        {
            Description = "Extra topic to create, as name or name:partitions (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var addressFile = new Option<string?>("--address-file") { Description = $"Where to write the bootstrap address. Default: {CommonOptions.BrokerAddressFile}." };

        var command = new Command("broker", "Run a local Kafka-protocol broker (in-memory; data is lost on exit) until Ctrl-C/SIGTERM.");
        foreach (var o in new Option[] { brokers, partitions, port, host, prefix, topics, addressFile }) command.Options.Add(o);
        command.Subcommands.Add(CreateFault());

        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(brokers);
            var p = parse.GetValue(partitions);
            if (n < 1 || p < 1)
            {
                Console.Error.WriteLine("emotion broker: --brokers and --partitions must be at least 1");
                return 2;
            }
            var extra = new List<(string Name, int Partitions)>();
            foreach (var spec in parse.GetValue(topics) ?? [])
            {
                var parts = spec.Split(':', 2);
                var count = p;
                if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
                {
                    Console.Error.WriteLine($"emotion broker: --topic '{spec}': expected name or name:partitions with partitions >= 1");
                    return 2;
                }
                extra.Add((parts[0], count));
            }

            var file = parse.GetValue(addressFile) ?? CommonOptions.BrokerAddressFile;
            MockKafkaCluster cluster;
            try
            {
                cluster = new MockKafkaCluster(n, parse.GetValue(port), parse.GetValue(host));
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or InvalidOperationException or DllNotFoundException or FormatException)
            {
                Console.Error.WriteLine($"emotion broker: could not start: {ex.Message}");
                return 1;
            }

            using (cluster)
            {
                var pre = parse.GetValue(prefix) ?? Topics.DefaultPrefix;
                foreach (var t in Topics.All) cluster.CreateTopic(Topics.Name(t, pre), p, n);
                foreach (var (name, count) in extra) cluster.CreateTopic(name, count, n);

                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                // Write then rename so a reader never sees a half-written address.
                var tmp = file + ".tmp";
                await File.WriteAllTextAsync(tmp, cluster.Bootstrap + "\n", CancellationToken.None);
                File.Move(tmp, file, overwrite: true);

                using var control = new MockFaultControl(cluster, onCommand: (line, answer) => Console.WriteLine($"emotion broker: fault '{line}': {answer}"));
                var controlFile = ControlFile(file);
                await File.WriteAllTextAsync(controlFile + ".tmp", control.Address + "\n", CancellationToken.None);
                File.Move(controlFile + ".tmp", controlFile, overwrite: true);

                Console.WriteLine($"emotion broker: {n} broker(s) at {cluster.Bootstrap}");
                Console.WriteLine($"emotion broker: topics {string.Join(", ", Topics.All.Select(t => Topics.Name(t, pre)).Concat(extra.Select(e => e.Name)))} ({p} partitions each unless given)");
                Console.WriteLine($"emotion broker: address written to {file}; Ctrl-C or SIGTERM stops it (data is in memory only)");
                Console.WriteLine($"emotion broker: fault control at {control.Address} ({controlFile}): emotion broker fault down|up|latency MS|errors API CODE [COUNT]|clear");

                // System.CommandLine cancels ct on Ctrl-C; SIGTERM is handled here explicitly.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
                {
                    ctx.Cancel = true;
                    stop.Cancel();
                });
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    // Only remove the file if it still names this broker (another one may have been started since).
                    try
                    {
                        if (File.Exists(file) && File.ReadAllText(file).Trim() == cluster.Bootstrap) File.Delete(file);
                        if (File.Exists(controlFile) && File.ReadAllText(controlFile).Trim() == control.Address) File.Delete(controlFile);
                    }
                    catch (IOException)
                    {
                    }
                    Console.WriteLine("emotion broker: stopped");
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>The control address file that belongs to a broker address file: <c>control</c> in the same folder.</summary>
    private static string ControlFile(string addressFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(addressFile))!, "control");

    /// <summary><c>emotion broker fault ...</c>: sends one command to the running broker and prints its answer.</summary>
    private static Command CreateFault()
    {
        var words = new Argument<string[]>("command")
        {
            Description = "down [BROKER] | up [BROKER] | latency MS [BROKER] | errors API CODE [COUNT] | clear | help",
            Arity = ArgumentArity.OneOrMore,
        };
        var controlFile = new Option<string?>("--control-file")
        {
            Description = $"The running broker's control address file. Default: {ControlFile(CommonOptions.BrokerAddressFile)}.",
        };
        var command = new Command("fault", "Inject a fault into the running 'emotion broker': take brokers down or up, add latency, make requests fail.");
        command.Arguments.Add(words);
        command.Options.Add(controlFile);
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(controlFile) ?? ControlFile(CommonOptions.BrokerAddressFile);
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"emotion broker fault: {file} not found: is 'emotion broker' running (scripts/broker.sh start)?");
                return 1;
            }
            var address = (await File.ReadAllTextAsync(file, ct)).Trim();
            string answer;
            try
            {
                answer = await MockFaultControl.SendAsync(address, string.Join(' ', parse.GetValue(words) ?? []), ct);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"emotion broker fault: cannot reach the broker's control port {address} ({e.Message}): is 'emotion broker' running?");
                return 1;
            }
            Console.WriteLine(answer);
            return answer.StartsWith("ok", StringComparison.Ordinal) ? 0 : 2;
        });
        return command;
    }
}
