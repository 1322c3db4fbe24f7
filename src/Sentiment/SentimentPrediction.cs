namespace Emotion.Sentiment;

/// <summary>One utterance to score. <paramref name="Lang"/> is an ISO 639-1 code or null when unknown.</summary>
public readonly record struct SentimentInput(string Text, string? Lang = null);

/// <summary>
/// The model's answer for one utterance: three-class valence with probabilities, the score
/// P(pos) - P(neg) in [-1, 1], and the most likely emotion with the full distribution.
/// </summary>
/// <param name="Label">-1 negative, 0 neutral, 1 positive.</param>
/// <param name="Valence">P(positive) - P(negative).</param>
/// <param name="EmotionProbs">Probabilities aligned with <see cref="ISentimentModel.EmotionLabels"/>.</param>
public sealed record SentimentPrediction(
    int Label,
    float Valence,
    float Negative,
    float Neutral,
    float Positive,
    string Emotion,
    float EmotionConfidence,
    float[] EmotionProbs);
