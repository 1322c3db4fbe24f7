using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ClickHouse.Driver;
using Emotion.Store;
using Microsoft.Extensions.Logging;

namespace Emotion.Integration.Tests.Store;

/// <summary>
/// A ClickHouse outage is waited out: the store talks to the real server through a port this test controls, which
/// first refuses connections, then answers HTTP 503, then forwards to ClickHouse. The shared test server itself is
/// never stopped.
/// </summary>
public sealed class ClickHouseOutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private sealed record ProbeRow(uint Id, string Note);

    [Fact]
    public async Task Write_waits_out_refused_connections_and_503s_then_completes_when_ClickHouse_is_back()
    {
        await using var db = TestDatabase.CreateEmpty();
        await db.Store.ExecuteInAsync("default", $"CREATE DATABASE {db.Store.Database}");
        await db.Store.ExecuteAsync("CREATE TABLE probe (id UInt32, note String) ENGINE = Log");
        using var proxy = new OutageProxy(ClickHousePort());
        var log = new CapturingLogger();
        using var store = new ClickHouseStore(Options(db.Store.Database, proxy.Port, TimeSpan.Zero), log);

        // Phase 1: nothing listens (connection refused).
        var write = store.InsertAsync("probe", [new ProbeRow(1, "written through an outage")]);
        Wait(() => log.Count(LogLevel.Warning) >= 1, "the outage warning");
        Assert.Contains("ClickHouse unreachable since ", log.Lines(LogLevel.Warning)[0], StringComparison.Ordinal);
        Assert.Contains("ClickHouse:OutageRetryFor = forever", log.Lines(LogLevel.Warning)[0], StringComparison.Ordinal);
        await Task.Delay(1000); // several attempts, RetryCount = 0 would have given up on the first
        Assert.False(write.IsCompleted, write.Exception?.ToString());

        // Phase 2: HTTP 503 from something in front of ClickHouse.
        proxy.Answer503();
        Wait(() => proxy.Answered503 >= 2, "two requests answered 503");
        Assert.False(write.IsCompleted, write.Exception?.ToString());

        // Phase 3: ClickHouse is back.
        proxy.Forward();
        await write.WaitAsync(Deadline);

        var rows = await db.Store.QueryAsync<ProbeRow>("SELECT id, note FROM probe");
        Assert.Equal([new ProbeRow(1, "written through an outage")], rows);
        // One line when it started, one when it ended: not a warning per attempt.
        Assert.Single(log.Lines(LogLevel.Warning));
        Assert.Contains(log.Lines(LogLevel.Information), l => l.StartsWith("ClickHouse back after ", StringComparison.Ordinal));
        Assert.Empty(log.Lines(LogLevel.Error));
    }

    [Fact]
    public async Task Outage_longer_than_OutageRetryFor_fails_with_the_connection_error()
    {
        using var proxy = new OutageProxy(ClickHousePort()); // never starts listening
        var log = new CapturingLogger();
        using var store = new ClickHouseStore(Options("default", proxy.Port, TimeSpan.FromSeconds(1.5)), log);
        var sw = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => store.ExecuteAsync("SELECT 1"));
        Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(20));
        Assert.Contains(log.Lines(LogLevel.Error), l => l.Contains("longer than ClickHouse:OutageRetryFor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_table_on_a_healthy_server_still_fails_after_RetryCount()
    {
        await using var db = TestDatabase.CreateEmpty();
        await db.Store.ExecuteInAsync("default", $"CREATE DATABASE {db.Store.Database}");
        var log = new CapturingLogger();
        using var store = new ClickHouseStore(new ClickHouseOptions
        {
            ConnectionString = TestDatabase.ConnectionString,
            Database = db.Store.Database,
            RetryCount = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        }, log);
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<ClickHouseServerException>(() => store.InsertAsync("no_such_table", [new ProbeRow(1, "x")]));
        Assert.Equal(60, e.ErrorCode);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
        Assert.DoesNotContain(log.Lines(LogLevel.Warning), l => l.Contains("unreachable", StringComparison.Ordinal));
    }

    private static ClickHouseOptions Options(string database, int port, TimeSpan outageRetryFor)
    {
        var b = new DbConnectionStringBuilder { ConnectionString = TestDatabase.ConnectionString };
        b["Host"] = "127.0.0.1";
        b["Port"] = port.ToString(CultureInfo.InvariantCulture);
        return new ClickHouseOptions
        {
            ConnectionString = b.ConnectionString,
            Database = database,
            RetryCount = 0,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(250),
            OutageRetryFor = outageRetryFor,
        };
    }

    private static int ClickHousePort()
    {
        var b = new DbConnectionStringBuilder { ConnectionString = TestDatabase.ConnectionString };
        return b.TryGetValue("Port", out var p) ? int.Parse((string)p, CultureInfo.InvariantCulture) : 8123;
    }

    private static void Wait(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > Deadline) Assert.Fail($"timed out after {Deadline.TotalSeconds} s waiting for {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>A port that refuses connections until <see cref="Answer503"/>, then answers 503, then forwards to ClickHouse.</summary>
    private sealed class OutageProxy : IDisposable
    {
        private readonly int target;
        private readonly CancellationTokenSource cts = new();
        private TcpListener? listener;
        private volatile bool forward;
        private int answered503;

        public OutageProxy(int target)
        {
            this.target = target;
            // Reserve a free port, then release it: connections to it are refused until the listener starts.
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        public int Port { get; }

        public int Answered503 => Volatile.Read(ref answered503);

        public void Answer503()
        {
            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _ = Task.Run(AcceptLoopAsync);
        }

        public void Forward() => forward = true;

        private async Task AcceptLoopAsync()
        {
            while (!cts.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener!.AcceptSocketAsync(cts.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => forward ? PipeAsync(client) : RefuseAsync(client));
            }
        }

        private async Task RefuseAsync(Socket client)
        {
            using (client)
            {
                try
                {
                    var buffer = new byte[8192];
                    await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                    await client.SendAsync(Encoding.ASCII.GetBytes(
                        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nService Unavailable"),
                        SocketFlags.None, cts.Token);
                    Interlocked.Increment(ref answered503);
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }

        private async Task PipeAsync(Socket client)
        {
            using (client)
            using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                try
                {
                    await server.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target), cts.Token);
                    await using var a = new NetworkStream(client, ownsSocket: false);
                    await using var b = new NetworkStream(server, ownsSocket: false);
                    await Task.WhenAny(a.CopyToAsync(b, cts.Token), b.CopyToAsync(a, cts.Token));
                }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }

        public void Dispose()
        {
            cts.Cancel();
            listener?.Stop();
            cts.Dispose();
        }
    }

    /// <summary>Keeps formatted log lines by level.</summary>
    private sealed class CapturingLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Text)> lines = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines) lines.Add((logLevel, formatter(state, exception)));
        }

        public List<string> Lines(LogLevel level)
        {
            lock (lines) return lines.Where(l => l.Level == level).Select(l => l.Text).ToList();
        }

        public int Count(LogLevel level) => Lines(level).Count;
    }
}
