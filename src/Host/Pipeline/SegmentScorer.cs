using System.Diagnostics.Metrics;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Scoring;
using Emotion.Sentiment;

namespace Emotion.Host.Pipeline;

/// <summary>
/// The scoring stage: one model call for every transcript segment with speech in a micro-batch. With a context-aware
/// model (<see cref="IContextSentimentModel"/>) each segment is read with its conversation's context state, kept per
/// (tenant, conversation id) in a <see cref="ConversationContextStore"/>: one call per wave (the first pending segment
/// of every conversation in the batch, then the second, ...), and only final segments move the state forward.
/// </summary>
public sealed class SegmentScorer(ISentimentModel model, TimeSpan? contextIdle = null)
{
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Counter<long> s_scored = s_meter.CreateCounter<long>("emotion.pipeline.segments_scored");
    private const int EvictEvery = 256;

    private readonly IContextSentimentModel? _context = model is IContextSentimentModel { StateSize: > 0 } c ? c : null;
    private readonly ConversationContextStore _states = new(contextIdle ?? TimeSpan.FromMinutes(30));
    private int _calls;

    /// <summary>The model's version, as rows store it.</summary>
    public string ModelVersion => model.Version;

    /// <summary>The model's emotion classes, aligned with each prediction's distribution.</summary>
    public IReadOnlyList<string> EmotionLabels => model.EmotionLabels;

    /// <summary>Conversations whose context state is held (0 for a model without context).</summary>
    public int ContextCount => _states.Count;

    /// <summary>Predictions aligned with <paramref name="batch"/>: null for a message that is not a segment or has no speech.</summary>
    public SentimentPrediction?[] Score(IReadOnlyList<IngestEnvelope> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var result = new SentimentPrediction?[batch.Count];
        if (_context is not null)
        {
            ScoreInContext(batch, result);
            return result;
        }
        var inputs = new List<SentimentInput>();
        var index = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            index[i] = -1;
            if (batch[i].Message is TranscriptSegment s && !TimingMarkers.IsMarkerOnly(s.Text))
            {
                index[i] = inputs.Count;
                inputs.Add(new SentimentInput(TimingMarkers.Strip(s.Text), s.Lang));
            }
        }
        var predictions = inputs.Count > 0 ? model.Predict(inputs) : [];
        s_scored.Add(inputs.Count);
        for (var i = 0; i < batch.Count; i++) result[i] = index[i] >= 0 ? predictions[index[i]] : null;
        return result;
    }

    private void ScoreInContext(IReadOnlyList<IngestEnvelope> batch, SentimentPrediction?[] result)
    {
        // Segments with speech per conversation, in batch (= partition) order.
        var byConversation = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        var scored = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Message is not TranscriptSegment s || TimingMarkers.IsMarkerOnly(s.Text)) continue;
            var key = Key(s);
            if (!byConversation.TryGetValue(key, out var list))
            {
                byConversation[key] = list = [];
                order.Add(key);
            }
            list.Add(i);
            scored++;
        }
        var inputs = new List<ContextInput>(order.Count);
        var at = new List<(string Key, int Index)>(order.Count);
        for (var wave = 0; ; wave++)
        {
            inputs.Clear();
            at.Clear();
            foreach (var key in order)
            {
                var list = byConversation[key];
                if (wave >= list.Count) continue;
                var s = (TranscriptSegment)batch[list[wave]].Message;
                inputs.Add(new ContextInput(TimingMarkers.Strip(s.Text), s.Lang,
                    s.Speaker == Speakers.Agent ? TurnSpeaker.Agent : TurnSpeaker.Customer, _states.StateBefore(key, s.Seq)));
                at.Add((key, list[wave]));
            }
            if (inputs.Count == 0) break;
            var predictions = _context!.PredictInContext(inputs);
            for (var k = 0; k < at.Count; k++)
            {
                var (key, i) = at[k];
                result[i] = predictions[k].Prediction;
                var s = (TranscriptSegment)batch[i].Message;
                // A partial is read in context for live alerts but only its final moves the conversation on.
                if (s.IsFinal) _states.Record(key, s.Seq, predictions[k].State);
            }
        }
        s_scored.Add(scored);
        if (++_calls % EvictEvery == 0) _states.EvictIdle();
    }

    private static string Key(TranscriptSegment s) => ConversationKey.NormalizeTenant(s.Tenant) + "\u001f" + s.ConversationId;
}
