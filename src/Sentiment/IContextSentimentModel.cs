namespace Emotion.Sentiment;

/// <summary>Who said a turn, as the context-aware model reads it (the values are the graph's <c>speaker</c> ids).</summary>
public enum TurnSpeaker
{
    /// <summary>Not known: a lone sentence (<c>emotion score</c>).</summary>
    Unknown = 0,

    /// <summary>The customer.</summary>
    Customer = 1,

    /// <summary>The agent.</summary>
    Agent = 2,
}

/// <summary>
/// One turn to score in its conversation: the text, its language, who said it, and the conversation's context state
/// before this turn (the <see cref="ContextPrediction.State"/> of the conversation's previous turn; null or empty for the
/// first turn of a conversation and for a lone sentence, which the model reads as zeros).
/// </summary>
public readonly record struct ContextInput(string Text, string? Lang, TurnSpeaker Speaker, float[]? State);

/// <summary>The prediction for one turn and the conversation's context state after it (empty for a model without context).</summary>
public sealed record ContextPrediction(SentimentPrediction Prediction, float[] State);

/// <summary>
/// A model that reads each turn with the conversation before it. The caller keeps each conversation's state (what the
/// model computed for the earlier turns) and passes it with the next turn; nothing is recomputed. A batch may hold turns
/// of many conversations, each with its own state; two turns of one conversation go in separate calls, in order, the
/// second with the state the first returned. <see cref="ISentimentModel.Predict"/> reads every input as a lone sentence
/// (unknown speaker, zero state).
/// </summary>
public interface IContextSentimentModel : ISentimentModel
{
    /// <summary>Length of the context state; 0 when the model reads no context (then every state stays empty).</summary>
    int StateSize { get; }

    /// <summary>Scores a batch of turns, each in its own conversation's context; one result per input, in order.</summary>
    IReadOnlyList<ContextPrediction> PredictInContext(IReadOnlyList<ContextInput> batch);
}

/// <summary>Helpers for callers that hold conversations' context states.</summary>
public static class ContextScoring
{
    /// <summary>
    /// Scores the turns of one conversation in order, each with the state the previous one left (the first with
    /// <paramref name="initialState"/>, null = zeros); returns the predictions and the state after the last turn.
    /// A model without context scores the texts as one batch.
    /// </summary>
    public static (IReadOnlyList<SentimentPrediction> Predictions, float[]? State) ScoreConversation(
        ISentimentModel model, IReadOnlyList<(string Text, string? Lang, TurnSpeaker Speaker)> turns, float[]? initialState = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(turns);
        if (model is not IContextSentimentModel { StateSize: > 0 } context)
        {
            return (turns.Count == 0 ? [] : model.Predict(turns.Select(t => new SentimentInput(t.Text, t.Lang)).ToArray()), initialState);
        }
        var predictions = new SentimentPrediction[turns.Count];
        var state = initialState;
        var one = new ContextInput[1];
        for (var i = 0; i < turns.Count; i++)
        {
            one[0] = new ContextInput(turns[i].Text, turns[i].Lang, turns[i].Speaker, state);
            var r = context.PredictInContext(one)[0];
            predictions[i] = r.Prediction;
            state = r.State;
        }
        return (predictions, state);
    }
}
