using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace Emotion.Web;

/// <summary>
/// The server time of every request: a <c>Server-Timing: app;dur=MS</c> header (time until the response starts, which
/// is when a page is complete) and the histogram <c>emotion.console.request.duration</c> on the meter <c>Emotion.Web</c>.
/// The benchmark reads the header.
/// </summary>
internal static class ServerTiming
{
    private static readonly Meter Meter = new("Emotion.Web");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("emotion.console.request.duration", "ms", "Server time of a console request until its response starts.");

    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = "app;dur=" + ms.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            Duration.Record(ms, new KeyValuePair<string, object?>("path", RouteOf(context.Request.Path)));
            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
    }

    private static string RouteOf(PathString path)
    {
        var p = path.Value ?? "/";
        var second = p.IndexOf('/', 1);
        return second < 0 ? p : p[..second];
    }
}
