using System.Net;
using System.Net.Sockets;
using ClickHouse.Driver;

namespace Emotion.Store;

/// <summary>How the store treats a failed ClickHouse request.</summary>
public enum ClickHouseFailure
{
    /// <summary>About the statement or the data (syntax, parse error, type mismatch): retrying cannot help.</summary>
    Permanent,

    /// <summary>A passing problem of this request (its own timeout, memory limit): retried <see cref="ClickHouseOptions.RetryCount"/> times.</summary>
    Transient,

    /// <summary>
    /// The server is not serving (refused or reset connections, timeouts, HTTP 5xx without a ClickHouse error, network,
    /// overload, read-only replicas): waited out for <see cref="ClickHouseOptions.OutageRetryFor"/>.
    /// </summary>
    Outage,

    /// <summary>
    /// Unknown table (60) or database (81): a schema error on a healthy server, but also what a server that is shutting
    /// down answers while it detaches its tables. An outage when the server then fails <c>SELECT 1</c>, else transient.
    /// </summary>
    MissingSchema,
}

/// <summary>Which ClickHouse failures are worth retrying, and for how long.</summary>
public static class TransientErrors
{
    // Server codes for a request that may pass on its own: 159 TIMEOUT_EXCEEDED, 241 MEMORY_LIMIT_EXCEEDED and
    // 319 UNKNOWN_STATUS_OF_INSERT. They can also be deterministic (a query too big for the limits), so they are
    // retried a bounded number of times, never waited on forever.
    private static readonly HashSet<int> TransientServerCodes = [159, 241, 319];

    // Server codes that say the server (or its cluster) is not serving right now, whatever the statement:
    // 202 TOO_MANY_SIMULTANEOUS_QUERIES, 203 NO_FREE_CONNECTION, 209 SOCKET_TIMEOUT, 210 NETWORK_ERROR,
    // 242 TABLE_IS_READ_ONLY (replica lost its keeper session), 252 TOO_MANY_PARTS (merges catch up),
    // 999 KEEPER_EXCEPTION.
    private static readonly HashSet<int> OutageServerCodes = [202, 203, 209, 210, 242, 252, 999];

    private const int UnknownTable = 60;
    private const int UnknownDatabase = 81;

    /// <summary>
    /// Sorts a failure (see <see cref="ClickHouseFailure"/>). ClickHouse sends statement errors with HTTP 500 and a
    /// <c>Code: N</c> body; a 5xx without that body (code -1 in the driver) came from a proxy or a server that is not
    /// answering queries, so it counts as an outage. Cancellation the caller asked for is permanent (it ends the wait).
    /// </summary>
    public static ClickHouseFailure Classify(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (cancellationToken.IsCancellationRequested) return ClickHouseFailure.Permanent;
        switch (exception)
        {
            case ClickHouseServerException server:
                if (server.ErrorCode is UnknownTable or UnknownDatabase) return ClickHouseFailure.MissingSchema;
                if (server.ErrorCode < 0 || OutageServerCodes.Contains(server.ErrorCode)) return ClickHouseFailure.Outage;
                return TransientServerCodes.Contains(server.ErrorCode) ? ClickHouseFailure.Transient : ClickHouseFailure.Permanent;
            case HttpRequestException http:
                if (http.StatusCode is null || (int)http.StatusCode >= 500 || http.InnerException is SocketException or IOException)
                    return ClickHouseFailure.Outage;
                return http.StatusCode == HttpStatusCode.TooManyRequests ? ClickHouseFailure.Outage : ClickHouseFailure.Permanent;
            case TaskCanceledException or TimeoutException:
                // Cancellation that the caller did not ask for is HttpClient's timeout.
                return ClickHouseFailure.Outage;
            case SocketException or IOException:
                return ClickHouseFailure.Outage;
            case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                return Classify(aggregate.InnerExceptions[0], cancellationToken);
            default:
                return ClickHouseFailure.Permanent;
        }
    }

    /// <summary>True for every failure that is retried at all (<see cref="Classify"/> is not <see cref="ClickHouseFailure.Permanent"/>).</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken = default) =>
        Classify(exception, cancellationToken) != ClickHouseFailure.Permanent;

    /// <summary>Delay before retry number <paramref name="attempt"/> (1-based): base × 2^(attempt-1), capped, with ±20% jitter.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exp = Math.Min(attempt - 1, 30);
        var ms = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exp), maxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(ms * jitter);
    }
}
