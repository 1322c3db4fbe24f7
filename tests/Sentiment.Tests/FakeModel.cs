using System.Collections.Concurrent;

namespace Emotion.Sentiment.Tests;

/// <summary>A deterministic model: valence from the text length, so every answer can be checked.</summary>
internal sealed class FakeModel : ISentimentModel
{
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public Func<IReadOnlyList<SentimentInput>, Exception?> Fail { get; set; } = _ => null;

    public ManualResetEventSlim? Gate { get; set; }

    /// <summary>Set when a Predict call has started (before it waits on <see cref="Gate"/>).</summary>
    public ManualResetEventSlim Entered { get; } = new(false);

    public string Version => "fake";

    public IReadOnlyList<string> EmotionLabels { get; } = ["anger", "joy"];

    public static SentimentPrediction Expected(string text)
    {
        var p = (text.Length % 10) / 10f;
        return new SentimentPrediction(p > 0.5f ? 1 : -1, p - (1 - p), 1 - p, 0, p, p > 0.5f ? "joy" : "anger", 1, [1 - p, p]);
    }

    public IReadOnlyList<SentimentPrediction> Predict(IReadOnlyList<SentimentInput> batch)
    {
        Entered.Set();
        Gate?.Wait(TimeSpan.FromSeconds(10));
        BatchSizes.Enqueue(batch.Count);
        if (Fail(batch) is { } error) throw error;
        return batch.Select(i => Expected(i.Text)).ToArray();
    }

    public void Dispose() => Entered.Dispose();
}
