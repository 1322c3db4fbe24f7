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
/// The write-and-commit stage: gathers write batches for <see cref="PipelineOptions.FlushIntervalMs"/> or
/// <see cref="PipelineOptions.FlushRows"/> rows, stores them, and only then marks their Kafka positions done.
/// </summary>
public sealed class StoreWriter(PipelineOptions options, IRowSink sink, Action<MessagePosition> markDone, TimeProvider time)
{
    private static readonly ActivitySource s_activity = new("Emotion.Pipeline");
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Histogram<double> s_visibleLatency = s_meter.CreateHistogram<double>("emotion.pipeline.visible_latency", "ms",
        "From a segment being produced to its row being in ClickHouse");

    /// <summary>Latencies (ms) from produce to visible in ClickHouse, per utterance row written; for benchmarks.</summary>
    public ConcurrentQueue<double>? VisibleLatencies { get; init; }

    /// <summary>Called after each batch is stored, before its positions are marked done.</summary>
    public Action<WriteBatch>? Written { get; init; }

    /// <summary>Where a debug line per flush goes (rows, finalized conversations, time in ClickHouse); null: nowhere.</summary>
    public ILogger? Log { get; init; }

    /// <summary>Runs until <paramref name="reader"/> completes; flushes what is pending first.</summary>
    /// <param name="abort">Gives up a write that waits (a ClickHouse outage) when a stop must not wait any longer: its
    /// positions are not marked done, so the next run reads those messages again.</param>
    public async Task RunAsync(ChannelReader<WriteBatch> reader, CancellationToken abort = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var pending = new WriteBatch();
        long firstPendingMs = 0;
        while (true)
        {
            var more = true;
            var waitMs = pending.IsEmpty ? Timeout.Infinite : (int)Math.Max(0, options.FlushIntervalMs - (Now() - firstPendingMs));
            using (var cts = new CancellationTokenSource(waitMs))
            {
                try
                {
                    more = await reader.WaitToReadAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            while (reader.TryRead(out var next))
            {
                if (pending.IsEmpty) firstPendingMs = Now();
                pending.Add(next);
            }
            var due = !pending.IsEmpty && (!more || pending.RowCount >= options.FlushRows || Now() - firstPendingMs >= options.FlushIntervalMs);
            if (due)
            {
                await FlushAsync(pending, abort).ConfigureAwait(false);
                pending = new WriteBatch();
            }
            if (!more) break;
        }
    }

    private async Task FlushAsync(WriteBatch batch, CancellationToken abort)
    {
        using var activity = s_activity.StartActivity("write");
        activity?.SetTag("rows", batch.RowCount);
        var started = Stopwatch.GetTimestamp();
        await sink.WriteAsync(batch, abort).ConfigureAwait(false);
        if (Log is { } log && log.IsEnabled(LogLevel.Debug))
        {
            log.LogDebug("Flushed {Rows} rows ({Utterances} live utterances, {Conversations} conversations, {Windows} audio windows, {Done} positions) in {Ms:0} ms",
                batch.RowCount, batch.Utterances.Count, batch.Conversations.Count, batch.AudioWindows.Count, batch.Done.Count,
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
