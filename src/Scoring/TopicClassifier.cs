using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Emotion.Scoring;

/// <summary>
/// Trains a client's process-topic classifier from its labeled examples with Microsoft.ML: text normalized like every
/// cue (<see cref="TextNormalizer"/>), <c>FeaturizeText</c> (word uni+bigrams and character trigrams), then
/// <c>SdcaMaximumEntropy</c> (one thread, seeded, so a retrain gives the same model).
/// </summary>
public static class TopicClassifierTrainer
{
    /// <summary>Trains on <paramref name="examples"/>; they must cover at least two topics.</summary>
    public static TopicClassifier Train(IReadOnlyList<TopicExample> examples, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var topics = examples.Select(e => e.Topic).Distinct(StringComparer.Ordinal).ToArray();
        if (topics.Length < 2) throw new ArgumentException("topic examples must cover at least 2 topics", nameof(examples));
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(examples.Select(e => new TopicRow { Text = TextNormalizer.Normalize(e.Text), Topic = e.Topic }));
        var featurize = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = false },
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TopicRow.Topic))
            .Append(ml.Transforms.Text.FeaturizeText("Features", featurize, nameof(TopicRow.Text)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = "Label",
                FeatureColumnName = "Features",
                NumberOfThreads = 1,
                MaximumNumberOfIterations = 200,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = pipeline.Fit(data);
        return new TopicClassifier(ml, model, topics);
    }
}

/// <summary>A trained topic classifier. Thread-safe (predictions are serialized).</summary>
public sealed class TopicClassifier : ITopicClassifier
{
    private readonly PredictionEngine<TopicRow, TopicPrediction> _engine;
    private readonly Lock _gate = new();

    internal TopicClassifier(MLContext ml, ITransformer model, IReadOnlyList<string> topics)
    {
        _engine = ml.Model.CreatePredictionEngine<TopicRow, TopicPrediction>(model);
        Topics = topics;
    }

    /// <summary>Topics seen in training.</summary>
    public IReadOnlyList<string> Topics { get; }

    /// <inheritdoc />
    public (string Topic, double Probability)? Predict(string text)
    {
        var norm = TextNormalizer.Normalize(TimingMarkers.Strip(text));
        if (norm.Length == 0) return null;
        TopicPrediction p;
        lock (_gate)
        {
            p = _engine.Predict(new TopicRow { Text = norm });
        }
        return string.IsNullOrEmpty(p.PredictedLabel) || p.Score.Length == 0 ? null : (p.PredictedLabel, p.Score.Max());
    }
}

/// <summary>Microsoft.ML input row (public for the ML.NET schema reader).</summary>
public sealed class TopicRow
{
    public string Text { get; set; } = "";
    public string Topic { get; set; } = "";
}

/// <summary>Microsoft.ML output row.</summary>
public sealed class TopicPrediction
{
    public string PredictedLabel { get; set; } = "";
#pragma warning disable CA1819 // ML.NET binds vector columns to arrays.
    public float[] Score { get; set; } = [];
#pragma warning restore CA1819
}
