using System.Diagnostics;
using System.Globalization;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Microsoft.Extensions.Logging;

namespace Emotion.Host.Pipeline;

/// <summary>
/// Where the scoring loop's wall time goes, for a debug log line per interval: waiting for input, scoring, tracking,
/// finalizing and handing rows to the writer, with the messages taken in by kind. Costs a few timestamps a turn; reports
/// only when debug logging is on for the pipeline. Not thread-safe: the loop owns it.
/// </summary>
internal sealed class LoopTimings(ILogger log, long everyMs = 1000)
{
    /// <summary>The phases of one loop turn.</summary>
    public enum Phase { Wait, Score, Process, Collect, Handoff }

    private readonly long[] _ticks = new long[5];
    private readonly bool _on = log.IsEnabled(LogLevel.Debug);
    private long _turns, _segments, _audio, _events, _largestBatch;
    private long _since = Stopwatch.GetTimestamp();
    private TimeSpan _cpuSince = Environment.CpuUsage.TotalTime;
    private long _mark;

    /// <summary>Starts timing a phase.</summary>
    public void Start()
    {
        if (_on) _mark = Stopwatch.GetTimestamp();
    }

    /// <summary>Ends the phase started last and starts the next one.</summary>
    public void Lap(Phase phase)
    {
        if (!_on) return;
        var now = Stopwatch.GetTimestamp();
        _ticks[(int)phase] += now - _mark;
        _mark = now;
    }

    /// <summary>Counts a batch taken in.</summary>
    public void Took(IReadOnlyList<IngestEnvelope> batch)
    {
        if (!_on) return;
        _turns++;
        _largestBatch = Math.Max(_largestBatch, batch.Count);
        foreach (var e in batch)
        {
            switch (e.Message)
            {
                case TranscriptSegment: _segments++; break;
                case AudioChunk: _audio++; break;
                default: _events++; break;
            }
        }
    }

    /// <summary>Logs and resets once the interval has passed (or at once with <paramref name="force"/>).</summary>
    public void ReportIfDue(int active, int unwritten, bool force = false)
    {
        if (!_on) return;
        var now = Stopwatch.GetTimestamp();
        var elapsedMs = (now - _since) * 1000.0 / Stopwatch.Frequency;
        if (!force && elapsedMs < everyMs) return;
        if (_turns > 0 || force)
        {
            string Ms(Phase p) => (_ticks[(int)p] * 1000.0 / Stopwatch.Frequency).ToString("0", CultureInfo.InvariantCulture);
            // The process's CPU time beside the wall time: on a loaded machine the loop may be runnable but not running.
            var cpuMs = (Environment.CpuUsage.TotalTime - _cpuSince).TotalMilliseconds;
            log.LogDebug("Loop over {Elapsed} ms (process CPU {Cpu} ms): {Turns} turns (largest batch {Largest}) took {Segments} segments, " +
                "{Audio} audio chunks, {Events} events; ms waiting for input {Wait}, scoring {Score}, tracking {Process}, finalizing {Collect}, " +
                "handing to the writer {Handoff}; {Active} conversations in progress, {Unwritten} finalized not yet written",
                elapsedMs.ToString("0", CultureInfo.InvariantCulture), cpuMs.ToString("0", CultureInfo.InvariantCulture), _turns, _largestBatch,
                _segments, _audio, _events, Ms(Phase.Wait), Ms(Phase.Score), Ms(Phase.Process), Ms(Phase.Collect), Ms(Phase.Handoff), active, unwritten);
        }
        Array.Clear(_ticks);
        _turns = _segments = _audio = _events = _largestBatch = 0;
        _since = now;
        _cpuSince = Environment.CpuUsage.TotalTime;
    }
}
