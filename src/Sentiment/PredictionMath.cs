namespace Emotion.Sentiment;

/// <summary>Shared arithmetic for turning class probabilities into a <see cref="SentimentPrediction"/>.</summary>
internal static class PredictionMath
{
    /// <summary>The emotion reported when a model gives none.</summary>
    public const string NeutralEmotion = "neutral";

    /// <summary>
    /// Label = argmax of (negative * <paramref name="negativeWeight"/>, neutral, positive * <paramref name="positiveWeight"/>),
    /// ties to the earlier class (the weights are a model's per-speaker decision offsets, 1 without); Valence = P(pos) - P(neg);
    /// Emotion = argmax of <paramref name="emotionProbs"/>, or <see cref="NeutralEmotion"/> with confidence 0 when empty.
    /// </summary>
    public static SentimentPrediction Create(
        float negative, float neutral, float positive, IReadOnlyList<string> emotionLabels, float[] emotionProbs,
        float negativeWeight = 1f, float positiveWeight = 1f)
    {
        var label = -1;
        var best = negative * negativeWeight;
        if (neutral > best)
        {
            label = 0;
            best = neutral;
        }
        if (positive * positiveWeight > best) label = 1;

        var emotion = NeutralEmotion;
        var confidence = 0f;
        if (emotionProbs.Length > 0)
        {
            var argmax = 0;
            for (var i = 1; i < emotionProbs.Length; i++)
            {
                if (emotionProbs[i] > emotionProbs[argmax]) argmax = i;
            }
            emotion = emotionLabels[argmax];
            confidence = emotionProbs[argmax];
        }
        return new SentimentPrediction(label, positive - negative, negative, neutral, positive, emotion, confidence, emotionProbs);
    }

    /// <summary>Numerically stable softmax of <paramref name="logits"/> into <paramref name="probs"/>.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probs)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var sum = 0d;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = Math.Exp(logits[i] - max);
            probs[i] = (float)e;
            sum += e;
        }
        for (var i = 0; i < logits.Length; i++) probs[i] = (float)(probs[i] / sum);
    }
}
