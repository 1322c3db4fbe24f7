namespace Emotion.Scoring;

/// <summary>Who spoke a turn.</summary>
public enum Speaker
{
    Agent,
    Customer,
}

/// <summary>
/// One utterance as the scoring stage sees it: its timing and text, the phase a producer may have attached,
/// and the model's scores for the text (timing markers such as <c>[hold 2 min]</c> removed before scoring).
/// </summary>
/// <param name="Turn">Zero-based position in the conversation.</param>
/// <param name="Phase">Phase carried by the segment, or null to infer it.</param>
/// <param name="Label">Valence class: -1, 0 or 1.</param>
/// <param name="Valence">P(positive) - P(negative), in [-1, 1].</param>
/// <param name="Emotion">Most likely emotion label, e.g. <c>anger</c>.</param>
public sealed record ScoredUtterance(
    int Turn,
    Speaker Speaker,
    double StartS,
    double EndS,
    string Text,
    string? Phase,
    int Label,
    float Valence,
    float Negative,
    float Neutral,
    float Positive,
    string Emotion,
    float EmotionConfidence);

/// <summary>A whole conversation with its metadata and scored utterances, in order; <paramref name="Acoustics"/> when it had audio.</summary>
public sealed record ConversationInput(
    string ConversationId,
    string? Tenant,
    string? AgentId,
    string? TeamId,
    string? Campaign,
    string? Language,
    string? Channel,
    IReadOnlyList<ScoredUtterance> Utterances,
    ConversationAcoustics? Acoustics = null);
