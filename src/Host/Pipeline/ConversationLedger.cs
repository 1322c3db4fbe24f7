using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;

namespace Emotion.Host.Pipeline;

/// <summary>A conversation read back from its finalized rows: what a late message is added to.</summary>
public sealed record StoredState(ConversationMeta? Meta, IReadOnlyList<TrackedSegment> Segments);

/// <summary>
/// The durable memory of finalized conversations (the seam between the conversation stage and the store): which
/// messages each finalization incorporated, and its segments, so that a restart neither finalizes a conversation
/// again from a partial tail nor loses a late message.
/// </summary>
public interface IConversationLedger
{
    /// <summary>The finalizations of these conversation ids, any tenant.</summary>
    Task<IReadOnlyList<LedgerEntry>> LookupAsync(IReadOnlyCollection<string> conversationIds, CancellationToken ct);

    /// <summary>The stored segments and metadata of a finalized conversation; null when it has no rows.</summary>
    Task<StoredState?> LoadAsync(ConversationKey key, CancellationToken ct);
}

/// <summary>The ledger in ClickHouse: <c>pipeline_ledger</c> for positions, the finalized rows for segments.</summary>
public sealed class ClickHouseConversationLedger(ClickHouseStore store, IReadOnlyList<string> emotionLabels) : IConversationLedger
{
    /// <inheritdoc />
    public Task<IReadOnlyList<LedgerEntry>> LookupAsync(IReadOnlyCollection<string> conversationIds, CancellationToken ct) =>
        store.ReadLedgerAsync(conversationIds, ct);

    /// <inheritdoc />
    public async Task<StoredState?> LoadAsync(ConversationKey key, CancellationToken ct)
    {
        var stored = await store.ReadConversationAsync(key.StoredTenant, key.Id, ct).ConfigureAwait(false);
        if (stored is null) return null;
        var c = stored.Conversation;
        var meta = new ConversationMeta(c.Tenant, Empty(c.AgentId), Empty(c.TeamId), Empty(c.Campaign), Empty(c.Queue), Empty(c.Channel),
            Empty(c.Language), new DateTimeOffset(DateTime.SpecifyKind(c.StartedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds());
        return new StoredState(meta, stored.Utterances.Select(Segment).ToList());
    }

    /// <summary>A stored utterance row as the tracker holds a segment: the model's own prediction is rebuilt from the stored distribution.</summary>
    public TrackedSegment Segment(UtteranceRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        SentimentPrediction? prediction = null;
        if (!TimingMarkers.IsMarkerOnly(row.Text))
        {
            var label = row.PNegative >= row.PNeutral && row.PNegative >= row.PPositive ? -1 : row.PNeutral >= row.PPositive ? 0 : 1;
            var probs = row.EmotionProbs.ToArray();
            var emotion = "neutral";
            var confidence = 0f;
            if (probs.Length > 0 && probs.Length == emotionLabels.Count)
            {
                var best = 0;
                for (var i = 1; i < probs.Length; i++) if (probs[i] > probs[best]) best = i;
                emotion = emotionLabels[best];
                confidence = probs[best];
            }
            prediction = new SentimentPrediction(label, row.PPositive - row.PNegative, row.PNegative, row.PNeutral, row.PPositive, emotion, confidence, probs);
        }
        var speaker = row.Speaker == Ingest.Contracts.Speakers.Agent ? Speaker.Agent : Speaker.Customer;
        // The producer's phase is not stored apart from the analysis' phase: the reopened conversation infers phases again.
        return new TrackedSegment(row.SegmentId, row.Turn, speaker, (long)row.StartMs, (long)row.EndMs, row.Text, Empty(row.Lang), row.IsFinal, null,
            prediction, (long)row.ProducedAtMs, default);
    }

    private static string? Empty(string s) => string.IsNullOrEmpty(s) ? null : s;
}
