using System.Threading.Channels;
using Emotion.Host.Pipeline;
using Emotion.Store;

namespace Emotion.Host.Tests;

/// <summary>
/// The writer's two lanes, driven through its row-sink seam (what reaches ClickHouse is covered by the integration
/// tests against the real server): live rows do not wait behind a slow finalized write, a finalized write never starts
/// before the live rows handed over before it, positions are marked done only after their rows, a failure surfaces.
/// </summary>
public class StoreWriterTests
{
    private static readonly PipelineOptions Options = new() { FlushIntervalMs = 20, FinalizedFlushIntervalMs = 20, FlushRows = 5000, WriteCapacity = 8 };

    /// <summary>Records what was written, in order; a write of finalized rows can be held until the test releases it.</summary>
    private sealed class RecordingSink : IRowSink
    {
        private readonly object _gate = new();
        public List<string> Log { get; } = [];
        public TaskCompletionSource? HoldDurable { get; set; }
        public TaskCompletionSource DurableStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TimeSpan LiveDelay { get; set; }
        public Exception? FailLive { get; set; }

        public async Task WriteAsync(WriteBatch batch, CancellationToken ct)
        {
            if (batch.Utterances.Count > 0 || batch.Alerts.Count > 0)
            {
                if (FailLive is { } e) throw e;
                if (LiveDelay > TimeSpan.Zero) await Task.Delay(LiveDelay, ct);
                lock (_gate) Log.AddRange(batch.Utterances.Select(u => "live " + u.SegmentId));
            }
            if (batch.Conversations.Count > 0 || batch.Events.Count > 0 || batch.Ledger.Count > 0)
            {
                DurableStarted.TrySetResult();
                if (HoldDurable is { } hold) await hold.Task.WaitAsync(ct);
                lock (_gate) Log.AddRange(batch.Ledger.Select(l => "durable " + l.ConversationId));
            }
        }

        public List<string> Snapshot()
        {
            lock (_gate) return [.. Log];
        }
    }

    private static UtteranceRow Live(string segment) => new()
    {
        Tenant = "t", ConversationId = "c", Date = new DateOnly(2026, 11, 28), SegmentId = segment, Speaker = "customer",
        ProducedAtMs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    };

    private static WriteBatch Finalized(string conversation, long offset)
    {
        var b = new WriteBatch();
        b.Ledger.Add(new LedgerRow { Tenant = "t", ConversationId = conversation, Date = new DateOnly(2026, 11, 28), Topic = "x", LastOffset = offset });
        b.Done.Add(new MessagePosition("x", 0, offset));
        return b;
    }

    private static (StoreWriter Writer, List<(MessagePosition P, List<string> Written)> Done) NewWriter(RecordingSink sink)
    {
        var done = new List<(MessagePosition, List<string>)>();
        var writer = new StoreWriter(Options, sink, p =>
        {
            lock (done) done.Add((p, sink.Snapshot()));
        }, TimeProvider.System);
        return (writer, done);
    }

    [Fact]
    public async Task Live_rows_are_written_while_a_finalized_write_is_still_waiting()
    {
        var sink = new RecordingSink { HoldDurable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (writer, done) = NewWriter(sink);
        var channel = Channel.CreateUnbounded<WriteBatch>();
        var run = writer.RunAsync(channel.Reader);

        await channel.Writer.WriteAsync(Finalized("c1", 10));
        await sink.DurableStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var live = new WriteBatch();
        live.Utterances.Add(Live("s-after"));
        await channel.Writer.WriteAsync(live);

        // The finalized write is held; the live row handed over after it is written anyway.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!sink.Snapshot().Contains("live s-after") && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(["live s-after"], sink.Snapshot());
        lock (done) Assert.Empty(done); // c1's position waits for its rows

        sink.HoldDurable.SetResult();
        channel.Writer.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["live s-after", "durable c1"], sink.Snapshot());
        var (position, written) = Assert.Single(done);
        Assert.Equal(10, position.Offset);
        Assert.Contains("durable c1", written);
    }

    [Fact]
    public async Task A_finalized_write_starts_only_after_the_live_rows_handed_over_before_it_or_with_it()
    {
        // A slow live lane: if the durable lane did not wait for it, the finalized rows would be written first.
        var sink = new RecordingSink { LiveDelay = TimeSpan.FromMilliseconds(150) };
        var (writer, done) = NewWriter(sink);
        var channel = Channel.CreateUnbounded<WriteBatch>();
        var run = writer.RunAsync(channel.Reader);

        var first = new WriteBatch();
        first.Utterances.Add(Live("s1"));
        await channel.Writer.WriteAsync(first);
        var both = Finalized("c1", 7);
        both.Utterances.Add(Live("s2"));
        await channel.Writer.WriteAsync(both);
        await channel.Writer.WriteAsync(Finalized("c2", 8));
        channel.Writer.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var log = sink.Snapshot();
        Assert.Equal(4, log.Count);
        Assert.True(log.IndexOf("live s1") < log.IndexOf("durable c1"), string.Join(", ", log));
        Assert.True(log.IndexOf("live s2") < log.IndexOf("durable c1"), string.Join(", ", log));
        Assert.True(log.IndexOf("durable c1") < log.IndexOf("durable c2"), string.Join(", ", log));
        Assert.Equal([7L, 8L], done.Select(d => d.P.Offset));
        Assert.All(done, d => Assert.Contains("live s2", d.Written));
    }

    [Fact]
    public async Task A_failed_live_write_stops_the_writer_with_its_reason_and_marks_nothing_done()
    {
        var sink = new RecordingSink { FailLive = new InvalidOperationException("ClickHouse refused the live rows") };
        var (writer, done) = NewWriter(sink);
        var channel = Channel.CreateUnbounded<WriteBatch>();
        var run = writer.RunAsync(channel.Reader);

        var batch = Finalized("c1", 3);
        batch.Utterances.Add(Live("s1"));
        await channel.Writer.WriteAsync(batch);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("ClickHouse refused the live rows", e.Message);
        Assert.Empty(done);
        Assert.Empty(sink.Snapshot());
    }

    [Fact]
    public async Task An_abort_gives_up_a_waiting_write_and_marks_its_positions_not_done()
    {
        var sink = new RecordingSink { HoldDurable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var (writer, done) = NewWriter(sink);
        var channel = Channel.CreateUnbounded<WriteBatch>();
        using var abort = new CancellationTokenSource();
        var run = writer.RunAsync(channel.Reader, abort.Token);

        await channel.Writer.WriteAsync(Finalized("c1", 5));
        await sink.DurableStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        channel.Writer.Complete();
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(done);
    }
}
