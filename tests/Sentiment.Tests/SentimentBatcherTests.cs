namespace Emotion.Sentiment.Tests;

public sealed class SentimentBatcherTests
{
    private static SentimentOptions Options(int maxBatch = 16, double waitMs = 2) =>
        new() { MaxBatchSize = maxBatch, MaxBatchWait = TimeSpan.FromMilliseconds(waitMs), QueueCapacity = 64 };

    [Fact]
    public async Task ScoreAsync_completes_every_concurrent_request_with_its_own_prediction()
    {
        using var model = new FakeModel();
        await using var batcher = new SentimentBatcher(model, Options());
        var texts = Enumerable.Range(0, 500).Select(i => new string('x', i % 37) + i).ToArray();

        var results = await Task.WhenAll(texts.Select(t => Task.Run(async () => await batcher.ScoreAsync(new SentimentInput(t)))));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeModel.Expected(texts[i]) with { EmotionProbs = results[i].EmotionProbs }, results[i]);
            Assert.Equal(FakeModel.Expected(texts[i]).EmotionProbs, results[i].EmotionProbs);
        }
        Assert.Equal(500, model.BatchSizes.Sum());
        Assert.All(model.BatchSizes, size => Assert.InRange(size, 1, 16));
    }

    [Fact]
    public async Task ScoreAsync_groups_requests_queued_while_the_model_runs_into_one_batch()
    {
        using var gate = new ManualResetEventSlim(false);
        using var model = new FakeModel { Gate = gate };
        await using var batcher = new SentimentBatcher(model, Options(maxBatch: 64, waitMs: 0));

        var first = batcher.ScoreAsync(new SentimentInput("first")).AsTask();
        Assert.True(model.Entered.Wait(TimeSpan.FromSeconds(10)), "the model never ran the first request");
        // The loop is blocked inside Predict on the gate: everything queued now must form the next batch.
        var rest = Enumerable.Range(0, 40).Select(i => batcher.ScoreAsync(new SentimentInput("r" + i)).AsTask()).ToArray();
        gate.Set();
        await Task.WhenAll(rest.Append(first));

        Assert.Equal([1, 40], model.BatchSizes);
    }

    [Fact]
    public async Task ScoreAsync_fails_the_requests_of_a_batch_the_model_rejects_and_goes_on()
    {
        using var model = new FakeModel { Fail = b => b.Any(i => i.Text == "bad") ? new InvalidOperationException("boom") : null };
        await using var batcher = new SentimentBatcher(model, Options(maxBatch: 1));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await batcher.ScoreAsync(new SentimentInput("bad")));
        Assert.Equal("boom", error.Message);
        var ok = await batcher.ScoreAsync(new SentimentInput("good"));
        Assert.Equal(FakeModel.Expected("good").Valence, ok.Valence);
    }

    [Fact]
    public async Task ScoreAsync_honours_cancellation_of_a_queued_request()
    {
        using var gate = new ManualResetEventSlim(false);
        using var model = new FakeModel { Gate = gate };
        await using var batcher = new SentimentBatcher(model, Options(maxBatch: 1));
        var blocker = batcher.ScoreAsync(new SentimentInput("blocks")).AsTask();
        using var cts = new CancellationTokenSource();

        var cancelled = batcher.ScoreAsync(new SentimentInput("cancel me"), cts.Token).AsTask();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Set();
        await blocker;
    }

    [Fact]
    public async Task DisposeAsync_scores_queued_requests_then_refuses_new_ones()
    {
        using var model = new FakeModel();
        var batcher = new SentimentBatcher(model, Options(maxBatch: 4, waitMs: 50));
        var pending = Enumerable.Range(0, 10).Select(i => batcher.ScoreAsync(new SentimentInput("t" + i)).AsTask()).ToArray();

        await batcher.DisposeAsync();

        Assert.All(await Task.WhenAll(pending), p => Assert.NotNull(p));
        await Assert.ThrowsAnyAsync<Exception>(async () => await batcher.ScoreAsync(new SentimentInput("late")));
    }
}
