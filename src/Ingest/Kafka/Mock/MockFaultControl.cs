using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;

namespace Emotion.Ingest.Kafka.Mock;

/// <summary>
/// Fault injection for a running mock cluster from outside its process: a line-based TCP control port on loopback.
/// A client connects, sends one command line, reads one answer line (<c>ok: ...</c> or <c>error: ...</c>) and the
/// connection closes. <c>emotion broker</c> serves it and writes its address beside the bootstrap file;
/// <c>emotion broker fault ...</c> is the client. Commands (see <see cref="Help"/>): <c>down</c>, <c>up</c>,
/// <c>latency MS</c>, <c>errors API CODE [COUNT]</c>, <c>clear</c>.
/// </summary>
public sealed class MockFaultControl : IDisposable
{
    /// <summary>The command summary sent for <c>help</c> and for an unknown command.</summary>
    public const string Help =
        "down [BROKER] | up [BROKER] | latency MS [BROKER] | errors API CODE [COUNT] | clear " +
        "(BROKER: a broker id, default all; API: a name such as Produce, Fetch, Metadata, OffsetCommit, JoinGroup, Heartbeat, or a number; " +
        "CODE: a Kafka error name such as NotLeaderForPartition or a number)";

    // Kafka API keys by name, for the commands; the numbers are the protocol's.
    private static readonly Dictionary<string, short> ApiKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Produce"] = 0, ["Fetch"] = 1, ["ListOffsets"] = 2, ["Metadata"] = 3, ["OffsetCommit"] = 8, ["OffsetFetch"] = 9,
        ["FindCoordinator"] = 10, ["JoinGroup"] = 11, ["Heartbeat"] = 12, ["LeaveGroup"] = 13, ["SyncGroup"] = 14,
        ["ApiVersions"] = 18, ["InitProducerId"] = 22,
    };

    private readonly MockKafkaCluster _cluster;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly HashSet<short> _erroredApis = [];

    /// <summary>Listens on 127.0.0.1 (<paramref name="port"/> 0: an ephemeral port) for commands to <paramref name="cluster"/>.</summary>
    /// <param name="onCommand">Called with each command and its answer (the broker prints them).</param>
    public MockFaultControl(MockKafkaCluster cluster, int port = 0, Action<string, string>? onCommand = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _cluster = cluster;
        OnCommand = onCommand;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Address = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary><c>127.0.0.1:port</c> of the control port.</summary>
    public string Address { get; }

    private Action<string, string>? OnCommand { get; }

    /// <summary>Runs one command line against the cluster and returns the answer (<c>ok: ...</c> or <c>error: ...</c>).</summary>
    public string Execute(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return "error: empty command; " + Help;
        try
        {
            lock (_gate)
            {
                return words[0].ToLowerInvariant() switch
                {
                    "down" => Down(words),
                    "up" => Up(words),
                    "latency" or "rtt" => Latency(words),
                    "errors" => Errors(words),
                    "clear" => Clear(),
                    "help" => "ok: " + Help,
                    _ => $"error: unknown command '{words[0]}'; " + Help,
                };
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            return "error: " + e.Message;
        }
    }

    /// <summary>Sends one command to the control port at <paramref name="address"/> (<c>host:port</c>) and returns the answer.</summary>
    public static async Task<string> SendAsync(string address, string command, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        ArgumentNullException.ThrowIfNull(command);
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            throw new FormatException($"control address '{address}' is not host:port");
        using var client = new TcpClient();
        await client.ConnectAsync(address[..colon], port, cancellationToken).ConfigureAwait(false);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command.ReplaceLineEndings(" ") + "\n"), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "error: the broker closed the control connection without an answer";
    }

    private string Down(string[] w)
    {
        var id = Broker(w, 1);
        _cluster.SetBrokerDown(id);
        return $"ok: {Brokers(id)} down (connections dropped and refused; no leader change)";
    }

    private string Up(string[] w)
    {
        var id = Broker(w, 1);
        _cluster.SetBrokerUp(id);
        return $"ok: {Brokers(id)} up";
    }

    private string Latency(string[] w)
    {
        if (w.Length < 2 || !int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            throw new FormatException("latency needs a number of milliseconds (0 removes it)");
        var id = Broker(w, 2);
        _cluster.SetBrokerRtt(id, ms);
        return string.Create(CultureInfo.InvariantCulture, $"ok: {Brokers(id)} delay every response by {ms} ms");
    }

    private string Errors(string[] w)
    {
        if (w.Length < 3) throw new FormatException("errors needs API CODE [COUNT], e.g. 'errors Produce NotLeaderForPartition 3'");
        var api = Api(w[1]);
        var code = Code(w[2]);
        var count = 1;
        if (w.Length > 3 && (!int.TryParse(w[3], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100_000))
            throw new FormatException($"COUNT must be 1 to 100000, got '{w[3]}'");
        _cluster.PushRequestErrors(api, Enumerable.Repeat(code, count).ToArray());
        _erroredApis.Add(api);
        return string.Create(CultureInfo.InvariantCulture, $"ok: the next {count} request(s) with API key {api} fail with {code} ({(int)code})");
    }

    private string Clear()
    {
        foreach (var api in _erroredApis) _cluster.ClearRequestErrors(api);
        _erroredApis.Clear();
        _cluster.SetBrokerRtt(-1, 0);
        _cluster.SetBrokerUp(-1);
        return "ok: all brokers up, no added latency, no queued request errors";
    }

    private int Broker(string[] w, int index)
    {
        if (w.Length <= index) return -1;
        if (!int.TryParse(w[index], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1 || id > _cluster.Brokers)
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"BROKER must be 1 to {_cluster.Brokers}, got '{w[index]}'"));
        return id;
    }

    private static string Brokers(int id) => id < 0 ? "all brokers" : string.Create(CultureInfo.InvariantCulture, $"broker {id}");

    private static short Api(string s)
    {
        if (ApiKeys.TryGetValue(s, out var key)) return key;
        if (short.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out key)) return key;
        throw new FormatException($"unknown API '{s}': use one of {string.Join(", ", ApiKeys.Keys)} or an API key number");
    }

    private static ErrorCode Code(string s)
    {
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return (ErrorCode)n;
        if (Enum.TryParse<ErrorCode>(s, ignoreCase: true, out var code)) return code;
        throw new FormatException($"unknown Kafka error '{s}': use a Confluent.Kafka ErrorCode name (NotLeaderForPartition, RequestTimedOut, ...) or a number");
    }

    private async Task AcceptLoopAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client, ct), ct);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.UTF8);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10)); // a client that never sends a line does not hold a task forever
                var line = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
                if (line is null) return;
                var answer = Execute(line);
                OnCommand?.Invoke(line.Trim(), answer);
                await stream.WriteAsync(Encoding.UTF8.GetBytes(answer + "\n"), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Stops listening. The cluster is not touched (faults in force stay in force until it is disposed).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
