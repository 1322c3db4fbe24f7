using Emotion.Host.Pipeline;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Sentiment;

namespace Emotion.Host.Tests;

/// <summary>
/// The scoring stage with a context-aware model: each conversation's state is kept between micro-batches, turns of one
/// conversation in one batch are chained in order, partials are read in context without moving it, and a re-read gives
/// the same predictions. The fake model's state counts the turns it has seen and their speakers.
/// </summary>
public sealed class SegmentScorerContextTests
{
    // state = [turns before, customer turns before]; valence = turns before / 10
    private sealed class CountingModel : IContextSentimentModel
    {
        public List<int> Calls { get; } = [];

        public string Version => "counting";

        public IReadOnlyList<string> EmotionLabels { get; } = ["neutral"];

        public int StateSize => 2;

        public IReadOnlyList<SentimentPrediction> Predict(IReadOnlyList<SentimentInput> batch) =>
            PredictInContext(batch.Select(b => new ContextInput(b.Text, b.Lang, TurnSpeaker.Unknown, null)).ToArray()).Select(r => r.Prediction).ToArray();

        public IReadOnlyList<ContextPrediction> PredictInContext(IReadOnlyList<ContextInput> batch)
        {
            Calls.Add(batch.Count);
            return batch.Select(b =>
            {
                var s = b.State ?? [0f, 0f];
                var p = new SentimentPrediction(0, s[0] / 10f, 0, 1, 0, "neutral", 1, [1f]);
                return new ContextPrediction(p, [s[0] + 1, s[1] + (b.Speaker == TurnSpeaker.Customer ? 1 : 0)]);
            }).ToArray();
        }

        public void Dispose()
        {
        }
    }

    private static IngestEnvelope Segment(string id, long seq, string speaker = "customer", bool final = true, string? tenant = null, string text = "hola") =>
        new(new TranscriptSegment
        {
            ConversationId = id, SegmentId = $"{id}-{seq}", Seq = seq, Speaker = speaker, Text = text, StartMs = seq * 1000, EndMs = seq * 1000 + 500,
            IsFinal = final, Tenant = tenant,
        }, "transcripts", 0, seq, 0, null, null);

    [Fact]
    public void Turns_of_one_conversation_in_one_batch_are_chained_and_the_state_carries_to_the_next_batch()
    {
        using var model = new CountingModel();
        var scorer = new SegmentScorer(model);
        var first = scorer.Score([Segment("a", 1, "agent"), Segment("b", 1), Segment("a", 2), Segment("a", 3)]);
        Assert.Equal([0f, 0f, 0.1f, 0.2f], first.Select(p => p!.Valence).ToArray());
        Assert.Equal([2, 1, 1], model.Calls); // waves: (a1, b1), (a2), (a3)
        var second = scorer.Score([Segment("b", 2), Segment("a", 4)]);
        Assert.Equal([0.1f, 0.3f], second.Select(p => p!.Valence).ToArray());
        Assert.Equal(2, scorer.ContextCount);
    }

    [Fact]
    public void A_partial_is_read_in_context_but_does_not_move_it()
    {
        using var model = new CountingModel();
        var scorer = new SegmentScorer(model);
        scorer.Score([Segment("a", 1)]);
        var partial = scorer.Score([Segment("a", 2, final: false)]);
        Assert.Equal(0.1f, partial[0]!.Valence);
        var final = scorer.Score([Segment("a", 2)]);
        Assert.Equal(0.1f, final[0]!.Valence);
        Assert.Equal(0.2f, scorer.Score([Segment("a", 3)])[0]!.Valence);
    }

    [Fact]
    public void A_reread_segment_gets_the_state_before_it_again()
    {
        using var model = new CountingModel();
        var scorer = new SegmentScorer(model);
        var once = scorer.Score([Segment("a", 1), Segment("a", 2), Segment("a", 3)]).Select(p => p!.Valence).ToArray();
        var again = scorer.Score([Segment("a", 2), Segment("a", 3)]).Select(p => p!.Valence).ToArray();
        Assert.Equal(once[1..], again);
        Assert.Equal(0.3f, scorer.Score([Segment("a", 4)])[0]!.Valence);
    }

    [Fact]
    public void Tenants_with_one_conversation_id_keep_separate_states_and_markers_are_not_scored()
    {
        using var model = new CountingModel();
        var scorer = new SegmentScorer(model);
        var r = scorer.Score([Segment("a", 1, tenant: "t1"), Segment("a", 2, tenant: "t1"), Segment("a", 1, tenant: "t2"),
            Segment("a", 3, tenant: "t1", text: "[hold 2 min]")]);
        Assert.Equal(0.1f, r[1]!.Valence);
        Assert.Equal(0f, r[2]!.Valence);
        Assert.Null(r[3]);
    }
}
