using System.Diagnostics.Metrics;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Scoring;
using Emotion.Sentiment;

namespace Emotion.Host.Pipeline;

/// <summary>The scoring stage: one model call for every transcript segment with speech in a micro-batch.</summary>
public sealed class SegmentScorer(ISentimentModel model)
{
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Counter<long> s_scored = s_meter.CreateCounter<long>("emotion.pipeline.segments_scored");

    /// <summary>The model's version, as rows store it.</summary>
    public string ModelVersion => model.Version;

    /// <summary>The model's emotion classes, aligned with each prediction's distribution.</summary>
    public IReadOnlyList<string> EmotionLabels => model.EmotionLabels;

    /// <summary>Predictions aligned with <paramref name="batch"/>: null for a message that is not a segment or has no speech.</summary>
    public SentimentPrediction?[] Score(IReadOnlyList<IngestEnvelope> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
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
        var result = new SentimentPrediction?[batch.Count];
        for (var i = 0; i < batch.Count; i++) result[i] = index[i] >= 0 ? predictions[index[i]] : null;
        return result;
    }
}
