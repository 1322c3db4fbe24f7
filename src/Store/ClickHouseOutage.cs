using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Emotion.Store;

/// <summary>
/// Whether ClickHouse is in an outage, shared by every request of one store, so that an outage is one warning when it
/// starts, a reminder at most once a minute, and one line when it ends, however many requests wait on it.
/// </summary>
internal sealed class ClickHouseOutage(ILogger logger, ClickHouseOptions options, TimeProvider time)
{
    private static readonly TimeSpan ReminderEvery = TimeSpan.FromMinutes(1);
    private readonly Lock gate = new();
    private long sinceTimestamp;
    private DateTimeOffset sinceLocal;
    private long lastLogTimestamp;
    private volatile bool down;

    /// <summary>True between the first failed request of an outage and the next request that succeeds.</summary>
    public bool IsDown => down;

    /// <summary>A request failed because ClickHouse is not serving; logs the start of the outage or a throttled reminder.</summary>
    public void Failed(string reason)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            if (!down)
            {
                down = true;
                sinceTimestamp = now;
                lastLogTimestamp = now;
                sinceLocal = time.GetLocalNow();
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    logger.LogWarning("ClickHouse unreachable since {Since} ({Reason}); retrying every {Seconds} s at most, {Limit}",
                        sinceLocal.ToString("HH:mm:ss", CultureInfo.InvariantCulture), reason, Seconds(options.RetryMaxDelay), Limit());
                }
                return;
            }
            if (time.GetElapsedTime(lastLogTimestamp, now) < ReminderEvery)
            {
                if (logger.IsEnabled(LogLevel.Debug)) logger.LogDebug("ClickHouse still unreachable: {Reason}", reason);
                return;
            }
            lastLogTimestamp = now;
            if (logger.IsEnabled(LogLevel.Warning))
            {
                logger.LogWarning("ClickHouse still unreachable after {Seconds} s (since {Since}): {Reason}",
                    Seconds(time.GetElapsedTime(sinceTimestamp, now)), sinceLocal.ToString("HH:mm:ss", CultureInfo.InvariantCulture), reason);
            }
        }
    }

    /// <summary>A request succeeded; ends the outage if there was one.</summary>
    public void Succeeded()
    {
        if (!down) return;
        lock (gate)
        {
            if (!down) return;
            down = false;
            if (logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("ClickHouse back after {Seconds} s", Seconds(time.GetElapsedTime(sinceTimestamp)));
        }
    }

    private string Limit() => options.OutageRetryFor <= TimeSpan.Zero
        ? "until it answers (ClickHouse:OutageRetryFor = forever)"
        : $"for up to {Seconds(options.OutageRetryFor)} s (ClickHouse:OutageRetryFor)";

    private static string Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, t.TotalSeconds < 10 ? 1 : 0).ToString(CultureInfo.InvariantCulture);
}
