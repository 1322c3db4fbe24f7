using System.Net;
using System.Net.Sockets;
using ClickHouse.Driver;

namespace Emotion.Store;

/// <summary>Which ClickHouse failures are worth retrying.</summary>
public static class TransientErrors
{
    // Server error codes that describe load or the network, not the statement:
    // 159 TIMEOUT_EXCEEDED, 202 TOO_MANY_SIMULTANEOUS_QUERIES, 203 NO_FREE_CONNECTION, 209 SOCKET_TIMEOUT,
    // 210 NETWORK_ERROR, 242 TABLE_IS_READ_ONLY (replica lost its keeper session), 252 TOO_MANY_PARTS,
    // 319 UNKNOWN_STATUS_OF_INSERT, 999 KEEPER_EXCEPTION.
    private static readonly HashSet<int> TransientServerCodes = [159, 202, 203, 209, 210, 242, 252, 319, 999];

    /// <summary>
    /// True for connection failures (refused, reset, DNS), timeouts, HTTP 502/503/504 from a proxy, and the server
    /// error codes above. A server error about the statement or the data (syntax, unknown table, parse error) is
    /// not transient even though ClickHouse sends it with HTTP 500: retrying it cannot help.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (cancellationToken.IsCancellationRequested) return false;
        switch (exception)
        {
            case ClickHouseServerException server:
                return TransientServerCodes.Contains(server.ErrorCode);
            case HttpRequestException http:
                return http.StatusCode is null
                    or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                    || http.InnerException is SocketException or IOException;
            case TaskCanceledException or TimeoutException:
                // Cancellation that the caller did not ask for is HttpClient's timeout.
                return true;
            case SocketException or IOException:
                return true;
            case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                return IsTransient(aggregate.InnerExceptions[0], cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>Delay before retry number <paramref name="attempt"/> (1-based): base × 2^(attempt-1), capped, with ±20% jitter.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exp = Math.Min(attempt - 1, 30);
        var ms = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exp), maxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(ms * jitter);
    }
}
