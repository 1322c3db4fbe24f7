using System.Diagnostics;
using System.Threading.Channels;

namespace Emotion.Sentiment;

/// <summary>
/// Micro-batching front for single-utterance requests: concurrent <see cref="ScoreAsync"/> calls queue on a
/// bounded channel; one loop takes what is queued (up to <see cref="SentimentOptions.MaxBatchSize"/>, waiting
/// at most <see cref="SentimentOptions.MaxBatchWait"/> after the first request for more), runs the model once
/// and completes each request. Callers that already have batches call <see cref="ISentimentModel.Predict"/>.
/// </summary>
/// <remarks>The batcher does not own the model. Dispose completes the queue and waits for queued requests.</remarks>
public sealed class SentimentBatcher : IAsyncDisposable, IDisposable
{
    private readonly ISentimentModel _model;
    private readonly Channel<Request> _queue;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _disposed;

    /// <summary>Starts the batching loop over <paramref name="model"/>.</summary>
    public SentimentBatcher(ISentimentModel model, SentimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _model = model;
        _maxBatch = options.MaxBatchSize;
        _maxWait = options.MaxBatchWait;
        _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Batches run so far (for diagnostics and tests).</summary>
    public long BatchCount => Interlocked.Read(ref _batchCount);

    private long _batchCount;

    /// <summary>Queues one utterance and completes when its batch has been scored.</summary>
    /// <exception cref="ChannelClosedException">The batcher is disposed.</exception>
    public ValueTask<SentimentPrediction> ScoreAsync(SentimentInput input, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new Request(input, cancellationToken);
        if (_queue.Writer.TryWrite(request)) return new ValueTask<SentimentPrediction>(Completion(request, cancellationToken));
        return QueueSlowAsync(request, cancellationToken);
    }

    private async ValueTask<SentimentPrediction> QueueSlowAsync(Request request, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await Completion(request, cancellationToken).ConfigureAwait(false);
    }

    // A caller that cancels stops waiting at once; the loop then drops the request if it has not run yet.
    private static Task<SentimentPrediction> Completion(Request request, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? request.Completion.Task.WaitAsync(cancellationToken) : request.Completion.Task;

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Request>(_maxBatch);
        var inputs = new List<SentimentInput>(_maxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var started = Stopwatch.GetTimestamp();
            while (batch.Count < _maxBatch)
            {
                if (reader.TryRead(out var request))
                {
                    if (!request.CancellationToken.IsCancellationRequested) batch.Add(request);
                    else request.Completion.TrySetCanceled(request.CancellationToken);
                    continue;
                }
                var remaining = _maxWait - Stopwatch.GetElapsedTime(started);
                if (batch.Count == 0 || remaining <= TimeSpan.Zero || !await WaitForMoreAsync(reader, remaining).ConfigureAwait(false)) break;
            }
            if (batch.Count == 0) continue;

            foreach (var r in batch) inputs.Add(r.Input);
            try
            {
                var predictions = _model.Predict(inputs);
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(predictions[i]);
            }
            catch (Exception e)
            {
                // The model failing on this batch fails its requests, not the batcher.
                foreach (var r in batch) r.Completion.TrySetException(e);
            }
            Interlocked.Increment(ref _batchCount);
            batch.Clear();
            inputs.Clear();
        }
    }

    private async Task<bool> WaitForMoreAsync(ChannelReader<Request> reader, TimeSpan timeout)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timer.CancelAfter(timeout);
        try
        {
            return await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops taking requests, scores the queued ones and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private sealed class Request(SentimentInput input, CancellationToken cancellationToken)
    {
        public SentimentInput Input { get; } = input;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<SentimentPrediction> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
