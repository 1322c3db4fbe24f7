using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Emotion.Store;
using Microsoft.Extensions.Logging;

namespace Emotion.Host.Pipeline;

/// <summary>Rows of one or more scoring turns, and the Kafka positions that are done once they are stored.</summary>
public sealed class WriteBatch
{
    public List<UtteranceRow> Utterances { get; } = [];
    public List<AlertRow> Alerts { get; } = [];
    public List<ConversationEventRow> Events { get; } = [];
    public List<ConversationRows> Conversations { get; } = [];
    public List<LedgerRow> Ledger { get; } = [];
    /// <summary>Audio windows and spans of the conversations finalized in this batch.</summary>
    public List<AudioWindowRow> AudioWindows { get; } = [];
    public List<AudioSpanRow> AudioSpans { get; } = [];
    public List<MessagePosition> Done { get; } = [];
    /// <summary>The conversations finalized in this batch, with the version of their rows.</summary>
    public List<(ConversationKey Key, ulong Version)> Finalized { get; } = [];

    public bool IsEmpty => Utterances.Count == 0 && Alerts.Count == 0 && Events.Count == 0 && Conversations.Count == 0 && Done.Count == 0;

    public int RowCount => Utterances.Count + Alerts.Count + Events.Count + Ledger.Count + AudioWindows.Count + AudioSpans.Count
        + Conversations.Sum(c => c.RowCount);

    public void Add(WriteBatch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Utterances.AddRange(other.Utterances);
        Alerts.AddRange(other.Alerts);
        Events.AddRange(other.Events);
        Conversations.AddRange(other.Conversations);
        Ledger.AddRange(other.Ledger);
        AudioWindows.AddRange(other.AudioWindows);
        AudioSpans.AddRange(other.AudioSpans);
        Done.AddRange(other.Done);
        Finalized.AddRange(other.Finalized);
    }
}

/// <summary>Where the write stage stores rows: the seam between it and ClickHouse.</summary>
public interface IRowSink
{
    /// <summary>Stores every row of <paramref name="batch"/>; when it returns, all of them are durable.</summary>
    Task WriteAsync(WriteBatch batch, CancellationToken ct);
}

/// <summary>Stores rows in ClickHouse: live rows first, then finalized conversations (whose utterance rows supersede them), then the ledger.</summary>
public sealed class ClickHouseRowSink(ClickHouseStore store) : IRowSink
{
    /// <inheritdoc />
    public async Task WriteAsync(WriteBatch batch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // Live rows, events and audio first, at once (different tables). Before the finalized conversations: a live row
        // and the finalized row of the same segment (or alert) can carry the same version, and then the later insert wins.
        var first = new List<Task>();
        if (batch.Utterances.Count > 0) first.Add(store.WriteUtterancesAsync(batch.Utterances, ct));
        if (batch.Alerts.Count > 0) first.Add(store.WriteAlertsAsync(batch.Alerts, ct));
        if (batch.Events.Count > 0) first.Add(store.WriteEventsAsync(batch.Events, ct));
        // Before the conversations rows: like every analysis row, they are complete once those are in.
        if (batch.AudioWindows.Count > 0) first.Add(store.WriteAudioWindowsAsync(batch.AudioWindows, ct));
        if (batch.AudioSpans.Count > 0) first.Add(store.WriteAudioSpansAsync(batch.AudioSpans, ct));
        await Task.WhenAll(first).ConfigureAwait(false);
        if (batch.Conversations.Count > 0) await store.WriteAsync(batch.Conversations, ct).ConfigureAwait(false);
        // Last: a ledger entry says the conversation's rows are complete.
        if (batch.Ledger.Count > 0) await store.WriteLedgerAsync(batch.Ledger, ct).ConfigureAwait(false);
    }
}

/// <summary>
/// The write-and-commit stage, in two lanes. The live lane stores live utterance rows and alerts (what a supervisor
/// watches while a call goes on); the durable lane stores everything else (finalized conversations, events, audio, the
/// ledger) and only then marks their Kafka positions done. The live lane gathers for <see cref="PipelineOptions.FlushIntervalMs"/>,
/// the durable lane for <see cref="PipelineOptions.FinalizedFlushIntervalMs"/>, each at most <see cref="PipelineOptions.FlushRows"/>
/// rows; the live lane does not wait behind a large finalization.
/// Order: a durable flush starts only once every live row handed over before it (or with it) is stored, so a
/// conversation's finalized rows are always inserted after its live rows (both can carry version 1, and then the later
/// insert wins), and a position is never marked done before the rows its message produced.
/// </summary>
public sealed class StoreWriter(PipelineOptions options, IRowSink sink, Action<MessagePosition> markDone, TimeProvider time)
{
    private static readonly ActivitySource s_activity = new("Emotion.Pipeline");
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Histogram<double> s_visibleLatency = s_meter.CreateHistogram<double>("emotion.pipeline.visible_latency", "ms",
        "From a segment being produced to its row being in ClickHouse");

    private readonly object _liveGate = new();
    private long _liveStored;
    private TaskCompletionSource _liveProgress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Latencies (ms) from produce to visible in ClickHouse, per utterance row written; for benchmarks.</summary>
    public ConcurrentQueue<double>? VisibleLatencies { get; init; }

    /// <summary>Called after each batch is stored, before its positions are marked done.</summary>
    public Action<WriteBatch>? Written { get; init; }

    /// <summary>Where a debug line per flush goes (rows, finalized conversations, time in ClickHouse); null: nowhere.</summary>
    public ILogger? Log { get; init; }

    /// <summary>Runs until <paramref name="reader"/> completes; flushes what is pending first. A lane that fails stops the other
    /// and the failure is thrown.</summary>
    /// <param name="abort">Gives up a write that waits (a ClickHouse outage) when a stop must not wait any longer: its
    /// positions are not marked done, so the next run reads those messages again.</param>
    public async Task RunAsync(ChannelReader<WriteBatch> reader, CancellationToken abort = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // Bounded like the channel in front: a slow ClickHouse still holds the scoring loop back.
        var capacity = Math.Max(1, options.WriteCapacity);
        var live = Channel.CreateBounded<Part>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        var durable = Channel.CreateBounded<Part>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var lanes = new[]
        {
            Guard(() => DistributeAsync(reader, live.Writer, durable.Writer, failed.Token)),
            Guard(() => RunLaneAsync(live.Reader, isLive: true, failed.Token)),
            Guard(() => RunLaneAsync(durable.Reader, isLive: false, failed.Token)),
        };
        try
        {
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }
        catch
        {
            // The first failure, not the cancellations it caused in the other lanes.
            var first = lanes.Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException())
                .FirstOrDefault(e => e is not OperationCanceledException || abort.IsCancellationRequested);
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            throw;
        }

        async Task Guard(Func<Task> lane)
        {
            try
            {
                await lane().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                live.Writer.TryComplete(ex);
                durable.Writer.TryComplete(ex);
                lock (_liveGate) _liveProgress.TrySetException(ex);
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>A write batch's share for one lane, numbered in hand-over order; a durable part waits for live part
    /// <see cref="Part.AfterLive"/>.</summary>
    private sealed record Part(WriteBatch Rows, long Seq, long AfterLive);

    private async Task DistributeAsync(ChannelReader<WriteBatch> reader, ChannelWriter<Part> live, ChannelWriter<Part> durable, CancellationToken ct)
    {
        long seq = 0, lastLive = 0;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var batch))
                {
                    seq++;
                    var (liveRows, durableRows) = Split(batch);
                    if (liveRows is not null)
                    {
                        await live.WriteAsync(new Part(liveRows, seq, 0), ct).ConfigureAwait(false);
                        lastLive = seq;
                    }
                    if (durableRows is not null) await durable.WriteAsync(new Part(durableRows, seq, lastLive), ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            live.TryComplete();
            durable.TryComplete();
        }
    }

    /// <summary>Live utterance rows and alerts go to the live lane; the rest (and every position) to the durable lane.</summary>
    private static (WriteBatch? Live, WriteBatch? Durable) Split(WriteBatch batch)
    {
        WriteBatch? live = null;
        if (batch.Utterances.Count > 0 || batch.Alerts.Count > 0)
        {
            live = new WriteBatch();
            live.Utterances.AddRange(batch.Utterances);
            live.Alerts.AddRange(batch.Alerts);
        }
        var durable = batch.Events.Count > 0 || batch.Conversations.Count > 0 || batch.Ledger.Count > 0 || batch.AudioWindows.Count > 0
            || batch.AudioSpans.Count > 0 || batch.Done.Count > 0 || batch.Finalized.Count > 0;
        if (!durable) return (live, null);
        if (live is null) return (null, batch);
        var rest = new WriteBatch();
        rest.Events.AddRange(batch.Events);
        rest.Conversations.AddRange(batch.Conversations);
        rest.Ledger.AddRange(batch.Ledger);
        rest.AudioWindows.AddRange(batch.AudioWindows);
        rest.AudioSpans.AddRange(batch.AudioSpans);
        rest.Done.AddRange(batch.Done);
        rest.Finalized.AddRange(batch.Finalized);
        return (live, rest);
    }

    private async Task RunLaneAsync(ChannelReader<Part> reader, bool isLive, CancellationToken ct)
    {
        var pending = new WriteBatch();
        var pendingParts = 0;
        long lastSeq = 0, afterLive = 0;
        long firstPendingMs = 0;
        var intervalMs = isLive ? options.FlushIntervalMs : options.FinalizedFlushIntervalMs;
        while (true)
        {
            var more = true;
            var waitMs = pendingParts == 0 ? Timeout.Infinite : (int)Math.Max(0, intervalMs - (Now() - firstPendingMs));
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(waitMs);
                try
                {
                    more = await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                }
            }
            while (reader.TryRead(out var next))
            {
                if (pendingParts == 0) firstPendingMs = Now();
                pending.Add(next.Rows);
                pendingParts++;
                lastSeq = next.Seq;
                afterLive = Math.Max(afterLive, next.AfterLive);
            }
            var due = pendingParts > 0 && (!more || pending.RowCount >= options.FlushRows || Now() - firstPendingMs >= intervalMs);
            if (due)
            {
                if (!isLive) await WaitForLiveAsync(afterLive, ct).ConfigureAwait(false);
                await FlushAsync(pending, isLive ? "live" : "durable", ct).ConfigureAwait(false);
                if (isLive) LiveStored(lastSeq);
                pending = new WriteBatch();
                pendingParts = 0;
            }
            if (!more) break;
        }
    }

    private void LiveStored(long seq)
    {
        TaskCompletionSource done;
        lock (_liveGate)
        {
            _liveStored = seq;
            done = _liveProgress;
            _liveProgress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    private async Task WaitForLiveAsync(long seq, CancellationToken ct)
    {
        while (true)
        {
            Task progress;
            lock (_liveGate)
            {
                if (_liveStored >= seq) return;
                progress = _liveProgress.Task;
            }
            await progress.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(WriteBatch batch, string lane, CancellationToken abort)
    {
        using var activity = s_activity.StartActivity("write");
        activity?.SetTag("rows", batch.RowCount);
        activity?.SetTag("lane", lane);
        var started = Stopwatch.GetTimestamp();
        await sink.WriteAsync(batch, abort).ConfigureAwait(false);
        if (Log is { } log && log.IsEnabled(LogLevel.Debug))
        {
            log.LogDebug("Flushed {Lane}: {Rows} rows ({Utterances} live utterances, {Conversations} conversations, {Windows} audio windows, {Done} positions) in {Ms:0} ms",
                lane, batch.RowCount, batch.Utterances.Count, batch.Conversations.Count, batch.AudioWindows.Count, batch.Done.Count,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        Written?.Invoke(batch);
        var visible = Now();
        foreach (var u in batch.Utterances)
        {
            var latency = visible - (double)u.ProducedAtMs;
            s_visibleLatency.Record(latency);
            VisibleLatencies?.Enqueue(latency);
        }
        foreach (var p in batch.Done) markDone(p);
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
