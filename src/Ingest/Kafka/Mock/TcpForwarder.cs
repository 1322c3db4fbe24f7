using System.Net;
using System.Net.Sockets;

namespace Emotion.Ingest.Kafka.Mock;

/// <summary>
/// Listens on a fixed port and pipes every connection to a target port. The mock cluster only binds ephemeral
/// loopback ports (librdkafka binds port 0 in <c>rd_kafka_mock_broker_new</c>); a forwarder in front of each mock
/// broker, plus <c>rd_kafka_mock_broker_set_host_port</c> to advertise it, gives the cluster a fixed address.
/// </summary>
internal sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _acceptLoop;

    public TcpForwarder(IPAddress listenAddress, int listenPort, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(listenAddress, listenPort);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port this forwarder listens on.</summary>
    public int Port { get; }

    private async Task AcceptLoopAsync()
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => PipeAsync(client, ct), CancellationToken.None);
        }
    }

    private async Task PipeAsync(Socket client, CancellationToken ct)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.NoDelay = true;
            upstream.NoDelay = true;
            try
            {
                await upstream.ConnectAsync(_target, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return; // broker is down: the client sees a closed connection, as it would with the broker itself
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var a = CopyAsync(client, upstream, linked);
            var b = CopyAsync(upstream, client, linked);
            await Task.WhenAny(a, b).ConfigureAwait(false);
            await linked.CancelAsync().ConfigureAwait(false);
            try { await Task.WhenAll(a, b).ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationTokenSource cts)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n == 0) break;
                var sent = 0;
                while (sent < n) sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
        try { _acceptLoop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _cts.Dispose();
    }
}
