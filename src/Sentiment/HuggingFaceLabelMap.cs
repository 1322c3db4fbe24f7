using System.Globalization;
using System.Text.RegularExpressions;

namespace Emotion.Sentiment;

/// <summary>
/// Maps a Hugging Face model's <c>id2label</c> onto the project's three valence classes and, for emotion models,
/// onto the project's emotion set (anger, sadness, fear, confusion, neutral, joy, gratitude).
/// </summary>
/// <remarks>
/// Rules, first match wins, for the whole label set:
/// <list type="bullet">
/// <item>star ratings "1 star".."5 stars": 1-2 negative, 3 neutral, 4-5 positive (probabilities summed);</item>
/// <item>generic names "LABEL_0".. : 3 labels are negative, neutral, positive; 2 labels negative, positive;</item>
/// <item>names containing "neg", "neu" or "pos" in any case (negative, NEU, Positive...);</item>
/// <item>emotion names (GoEmotions, EmoEvent, MELD and similar): mapped to the project's emotions as the trainer
///   maps its data (disgust is anger, surprise is neutral), and valence derived from them: joy and gratitude are
///   positive; anger, sadness and fear negative; confusion and neutral neutral.</item>
/// </list>
/// A valence-only model reports no emotion labels: its predictions carry the emotion "neutral" with
/// confidence 0 and an empty distribution, so no one mistakes a default for a measurement.
/// </remarks>
public sealed partial class HuggingFaceLabelMap
{
    /// <summary>The project's emotion set (models/train/labels.py), in the order emotion distributions use.</summary>
    public static readonly IReadOnlyList<string> ProjectEmotions = ["anger", "sadness", "fear", "confusion", "neutral", "joy", "gratitude"];

    // Follows models/train/labels.py EMOTION_MAP; labels the trainer ignores (surprise, realization) count as neutral
    // here, because a Hugging Face model's probability mass has to go somewhere.
    private static readonly Dictionary<string, string> EmotionSynonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["anger"] = "anger", ["angry"] = "anger", ["annoyance"] = "anger", ["annoyed"] = "anger", ["disgust"] = "anger",
        ["frustration"] = "anger", ["frustrated"] = "anger", ["rage"] = "anger", ["disapproval"] = "anger",
        ["sadness"] = "sadness", ["sad"] = "sadness", ["disappointment"] = "sadness", ["disappointed"] = "sadness",
        ["grief"] = "sadness", ["remorse"] = "sadness", ["embarrassment"] = "sadness", ["pessimism"] = "sadness",
        ["fear"] = "fear", ["nervousness"] = "fear", ["worry"] = "fear", ["worried"] = "fear", ["anxiety"] = "fear",
        ["scared"] = "fear",
        ["confusion"] = "confusion", ["confused"] = "confusion", ["curiosity"] = "confusion",
        ["neutral"] = "neutral", ["others"] = "neutral", ["other"] = "neutral", ["none"] = "neutral",
        ["surprise"] = "neutral", ["realization"] = "neutral",
        ["joy"] = "joy", ["happy"] = "joy", ["happiness"] = "joy", ["amusement"] = "joy", ["approval"] = "joy",
        ["excitement"] = "joy", ["love"] = "joy", ["optimism"] = "joy", ["relief"] = "joy", ["pride"] = "joy",
        ["admiration"] = "joy", ["desire"] = "joy", ["caring"] = "joy", ["satisfaction"] = "joy", ["satisfied"] = "joy",
        ["gratitude"] = "gratitude", ["thanks"] = "gratitude", ["thankfulness"] = "gratitude",
    };

    private static readonly Dictionary<string, int> EmotionValence = new(StringComparer.Ordinal)
    {
        ["anger"] = -1, ["sadness"] = -1, ["fear"] = -1,
        ["confusion"] = 0, ["neutral"] = 0,
        ["joy"] = 1, ["gratitude"] = 1,
    };

    private HuggingFaceLabelMap(int[] valenceOf, int[] emotionOf, IReadOnlyList<string> emotionLabels)
    {
        ValenceOf = valenceOf;
        EmotionOf = emotionOf;
        EmotionLabels = emotionLabels;
    }

    /// <summary>Per model class: -1, 0 or 1.</summary>
    public IReadOnlyList<int> ValenceOf { get; }

    /// <summary>Per model class: index into <see cref="EmotionLabels"/>, or -1 for a valence-only model.</summary>
    public IReadOnlyList<int> EmotionOf { get; }

    /// <summary>The emotions this model gives (a subset of <see cref="ProjectEmotions"/>, in its order); empty for a valence-only model.</summary>
    public IReadOnlyList<string> EmotionLabels { get; }

    /// <summary>Builds the map; throws <see cref="InvalidDataException"/> naming the label it cannot place.</summary>
    /// <param name="labels">id2label in id order.</param>
    /// <param name="source">Named in error messages (the config.json path).</param>
    public static HuggingFaceLabelMap Create(IReadOnlyList<string> labels, string source)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count < 2) throw new InvalidDataException($"{source}: id2label needs at least 2 classes, it has {labels.Count}.");
        var valence = new int[labels.Count];
        var noEmotion = Enumerable.Repeat(-1, labels.Count).ToArray();

        if (labels.All(l => StarRegex().IsMatch(l)))
        {
            for (var i = 0; i < labels.Count; i++)
            {
                var stars = int.Parse(StarRegex().Match(labels[i]).Groups[1].Value, CultureInfo.InvariantCulture);
                valence[i] = stars <= 2 ? -1 : stars == 3 ? 0 : 1;
            }
            return new HuggingFaceLabelMap(valence, noEmotion, []);
        }

        if (labels.All(l => GenericRegex().IsMatch(l)))
        {
            var ids = labels.Select(l => int.Parse(GenericRegex().Match(l).Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
            int[] byId = labels.Count switch
            {
                2 => [-1, 1],
                3 => [-1, 0, 1],
                _ => throw new InvalidDataException(
                    $"{source}: generic labels LABEL_0..LABEL_{labels.Count - 1} are read as sentiment only for 2 or 3 classes; give id2label real names."),
            };
            for (var i = 0; i < labels.Count; i++)
            {
                if (ids[i] < 0 || ids[i] >= byId.Length) throw new InvalidDataException($"{source}: unexpected label '{labels[i]}'.");
                valence[i] = byId[ids[i]];
            }
            return new HuggingFaceLabelMap(valence, noEmotion, []);
        }

        var polarity = labels.Select(PolarityOf).ToArray();
        if (polarity.All(p => p is not null))
        {
            return new HuggingFaceLabelMap(polarity.Select(p => p!.Value).ToArray(), noEmotion, []);
        }

        var emotions = new string[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!EmotionSynonyms.TryGetValue(labels[i].Trim(), out var emotion))
            {
                throw new InvalidDataException(
                    $"{source}: cannot map label '{labels[i]}' to a valence or an emotion; expected names with neg/neu/pos, " +
                    "'N star(s)', LABEL_0..2, or emotion names such as anger, sadness, fear, confusion, neutral, joy, gratitude.");
            }
            emotions[i] = emotion;
        }
        var present = ProjectEmotions.Where(e => emotions.Contains(e, StringComparer.Ordinal)).ToArray();
        var emotionOf = emotions.Select(e => Array.IndexOf(present, e)).ToArray();
        for (var i = 0; i < labels.Count; i++) valence[i] = EmotionValence[emotions[i]];
        return new HuggingFaceLabelMap(valence, emotionOf, present);
    }

    private static int? PolarityOf(string label)
    {
        var l = label.Trim();
        if (l.Contains("neg", StringComparison.OrdinalIgnoreCase)) return -1;
        if (l.Contains("neu", StringComparison.OrdinalIgnoreCase)) return 0;
        if (l.Contains("pos", StringComparison.OrdinalIgnoreCase)) return 1;
        return null;
    }

    /// <summary>Folds class probabilities (softmax of the logits, in id order) into a prediction.</summary>
    public SentimentPrediction Predict(ReadOnlySpan<float> probs)
    {
        float negative = 0, neutral = 0, positive = 0;
        var emotionProbs = EmotionLabels.Count == 0 ? [] : new float[EmotionLabels.Count];
        for (var i = 0; i < probs.Length; i++)
        {
            switch (ValenceOf[i])
            {
                case < 0: negative += probs[i]; break;
                case 0: neutral += probs[i]; break;
                default: positive += probs[i]; break;
            }
            if (EmotionOf[i] >= 0) emotionProbs[EmotionOf[i]] += probs[i];
        }
        return PredictionMath.Create(negative, neutral, positive, EmotionLabels, emotionProbs);
    }

    [GeneratedRegex(@"^\s*([1-5])\s*stars?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StarRegex();

    [GeneratedRegex(@"^LABEL_(\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GenericRegex();
}
