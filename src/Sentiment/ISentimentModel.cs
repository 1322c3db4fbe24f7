namespace Emotion.Sentiment;

/// <summary>
/// A loaded sentiment/emotion model. Two implementations exist: the project's own model
/// (hashed sub-word features) and a standard Hugging Face sequence-classification export.
/// Implementations are thread-safe for concurrent <see cref="Predict"/> calls.
/// </summary>
public interface ISentimentModel : IDisposable
{
    /// <summary>Model name and version as stored with every scored utterance.</summary>
    string Version { get; }

    /// <summary>Emotion labels, in the order of <see cref="SentimentPrediction.EmotionProbs"/>.</summary>
    IReadOnlyList<string> EmotionLabels { get; }

    /// <summary>Scores a batch; the result has one prediction per input, in order.</summary>
    IReadOnlyList<SentimentPrediction> Predict(IReadOnlyList<SentimentInput> batch);
}
