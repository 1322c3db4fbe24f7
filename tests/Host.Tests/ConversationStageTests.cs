using Emotion.Host.Pipeline;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;

namespace Emotion.Host.Tests;

/// <summary>The track-and-finalize stage driven without servers: a ledger in memory, alerts into a list.</summary>
public class ConversationStageTests
{
    private static readonly string[] Emotions = ["anger", "sadness", "fear", "confusion", "neutral", "joy", "gratitude"];
    private static readonly PipelineOptions Options = new() { IdleTimeoutS = 60, EndGraceS = 1, FinalizedMemoryS = 600 };
    private static readonly ConversationAnalyzer Analyzer = ConversationAnalyzer.Create(ScoringConfig.Load(null));

    private sealed class MemoryLedger : IConversationLedger
    {
        public List<LedgerEntry> Entries { get; } = [];
        public Dictionary<ConversationKey, StoredState> Stored { get; } = [];
        public int Lookups { get; private set; }

        public Task<IReadOnlyList<LedgerEntry>> LookupAsync(IReadOnlyCollection<string> conversationIds, CancellationToken ct)
        {
            Lookups++;
            return Task.FromResult<IReadOnlyList<LedgerEntry>>(Entries.Where(e => conversationIds.Contains(e.ConversationId)).ToList());
        }

        public Task<StoredState?> LoadAsync(ConversationKey key, CancellationToken ct) =>
            Task.FromResult(Stored.TryGetValue(key, out var s) ? s : null);
    }

    private sealed class ListSink : IAlertSink
    {
        public List<AlertMessage> Sent { get; } = [];
        public void Send(AlertMessage alert) => Sent.Add(alert);
    }

    private static ConversationStage NewStage(MemoryLedger ledger, ListSink? sink = null) =>
        new(Options, Analyzer, ledger, new AlertPublisher(sink ?? new ListSink(), TimeProvider.System), "m-test", Emotions);

    private static SentimentPrediction Prediction(float neg, float neu, float pos, int emotion) =>
        new(neg >= neu && neg >= pos ? -1 : neu >= pos ? 0 : 1, pos - neg, neg, neu, pos, Emotions[emotion], 0.6f,
            [.. Enumerable.Range(0, Emotions.Length).Select(i => i == emotion ? 0.6f : 0.4f / (Emotions.Length - 1))]);

    private static IngestEnvelope Env(IIngestMessage m, string topic, long offset, bool reread = false) =>
        new(m, topic, 0, offset, 1_764_000_000_000, null, null, reread);

    private static IngestEnvelope Started(string id, string tenant, long offset, bool reread = false) =>
        Env(new ConversationStarted { ConversationId = id, Ts = 1_764_000_000_000, Tenant = tenant, AgentId = "ag-1", Language = "es" }, "events", offset, reread);

    private static IngestEnvelope Ended(string id, int count, long offset, bool reread = false) =>
        Env(new ConversationEnded { ConversationId = id, Ts = 1_764_000_060_000, SegmentCount = count }, "events", offset, reread);

    private static IngestEnvelope Segment(string id, int seq, string speaker, string text, long offset, string? lang = "es-MX", bool reread = false) =>
        Env(new TranscriptSegment
        {
            ConversationId = id, SegmentId = $"{id}-{seq}", Seq = seq, Speaker = speaker, Text = text,
            StartMs = seq * 4000, EndMs = seq * 4000 + 3000, Lang = lang, ProducedAt = 1_764_000_000_000 + seq * 4000,
        }, "transcripts", offset, reread);

    private static List<IngestEnvelope> Call(string id, string tenant, long eventOffset, long segmentOffset, bool reread = false) =>
    [
        Started(id, tenant, eventOffset, reread),
        Segment(id, 1, "agent", "buenos días en qué le ayudo", segmentOffset, reread: reread),
        Segment(id, 2, "customer", "me cobraron dos veces la cuota y nadie me responde", segmentOffset + 1, reread: reread),
        Segment(id, 3, "agent", "ya le devolví el cargo duplicado", segmentOffset + 2, lang: "es-AR", reread: reread),
        Segment(id, 4, "customer", "ay qué alivio muchísimas gracias", segmentOffset + 3, reread: reread),
        Ended(id, 4, eventOffset + 1, reread),
    ];

    private static SentimentPrediction?[] Predict(IReadOnlyList<IngestEnvelope> batch) =>
        [.. batch.Select(e => e.Message is TranscriptSegment s
            ? s.Speaker == "customer" && s.Text.Contains("cobraron", StringComparison.Ordinal) ? Prediction(0.8f, 0.15f, 0.05f, 0)
            : s.Text.Contains("alivio", StringComparison.Ordinal) ? Prediction(0.05f, 0.1f, 0.85f, 6)
            : Prediction(0.1f, 0.8f, 0.1f, 4)
            : null)];

    private static async Task<WriteBatch> Run(ConversationStage stage, List<IngestEnvelope> batch, long now)
    {
        var output = new WriteBatch();
        await stage.ProcessAsync(batch, Predict(batch), output, now, CancellationToken.None);
        await stage.CollectAsync(output, now, CancellationToken.None);
        return output;
    }

    [Fact]
    public async Task Finalized_utterance_rows_carry_the_same_columns_as_the_live_rows_with_emotion_probabilities_and_segment_language()
    {
        var stage = NewStage(new MemoryLedger());
        var output = await Run(stage, Call("c1", "acme", 0, 0), 1000);
        var finalized = Assert.Single(output.Conversations).Utterances;
        Assert.Equal(4, finalized.Count);
        Assert.Equal(4, output.Utterances.Count);
        foreach (var (live, final) in output.Utterances.Zip(finalized))
        {
            Assert.Equal(live.SegmentId, final.SegmentId);
            Assert.Equal(live.Tenant, final.Tenant);
            Assert.Equal(live.Date, final.Date);
            Assert.Equal(live.Lang, final.Lang);
            Assert.Equal(live.Text, final.Text);
            Assert.Equal(live.PNegative, final.PNegative);
            Assert.Equal(live.EmotionConfidence, final.EmotionConfidence);
            Assert.Equal(Emotions, final.EmotionLabels);
            Assert.Equal(7, final.EmotionProbs.Count);
            Assert.Equal(live.EmotionProbs, final.EmotionProbs);
            Assert.Equal(live.ProducedAtMs, final.ProducedAtMs);
            Assert.True(final.Version > live.Version);
            Assert.False(string.IsNullOrEmpty(final.Phase));
        }
        Assert.Equal("es-AR", finalized[2].Lang);
        Assert.Equal("es-MX", finalized[1].Lang);
        Assert.Equal(2, output.Ledger.Count); // one entry per partition the conversation read
        Assert.Equal(6, output.Done.Count);
    }

    [Fact]
    public async Task After_a_restart_messages_of_a_stored_finalization_are_done_without_finalizing_it_again()
    {
        var ledger = new MemoryLedger();
        var first = await Run(NewStage(ledger), Call("c1", "acme", 10, 100), 1000);
        var rows = Assert.Single(first.Conversations);
        ledger.Entries.Add(new LedgerEntry("acme", "c1",
            first.Ledger.ToDictionary(r => (r.Topic, r.Partition), r => r.LastOffset), first.Ledger[0].Messages));

        // A new process reads the tail again from a committed offset before it: the events (started) are past it.
        var restarted = NewStage(ledger);
        var tail = Call("c1", "acme", 10, 100, reread: true).Skip(2).ToList();
        var second = await Run(restarted, tail, 5000);
        second.Add(await Run(restarted, [], 5000 + 120_000));
        Assert.Empty(second.Conversations);
        Assert.Empty(second.Utterances);
        Assert.Equal(tail.Count, second.Done.Count);
        Assert.Equal(1, ledger.Lookups);
        Assert.Equal(0, restarted.ActiveCount);
        Assert.Equal("acme", rows.Conversation.Tenant);
    }

    /// <summary>Conversation acme/c1 finalized by one stage, with its ledger entry and stored rows as ClickHouse would hold them.</summary>
    private static async Task<(MemoryLedger Ledger, ConversationRows Stored)> FinalizedAndStoredAsync()
    {
        var ledger = new MemoryLedger();
        var first = await Run(NewStage(ledger), Call("c1", "acme", 10, 100), 1000);
        var stored = Assert.Single(first.Conversations);
        ledger.Entries.Add(new LedgerEntry("acme", "c1", first.Ledger.ToDictionary(r => (r.Topic, r.Partition), r => r.LastOffset), 6));
        var reader = new ClickHouseConversationLedger(null!, Emotions);
        ledger.Stored[new ConversationKey("acme", "c1")] = new StoredState(
            new ConversationMeta("acme", "ag-1", null, null, null, null, "es", 1_764_000_000_000), stored.Utterances.Select(reader.Segment).ToList());
        return (ledger, stored);
    }

    [Fact]
    public async Task Late_segments_read_by_a_new_owner_join_the_finalization_another_member_stored()
    {
        // Member A finalized c1; the partition moved to B, which reads the last segments as new messages (produced after
        // its assignment, so not flagged as re-reads). With no 'started' they wait out the idle timeout; then the ledger
        // shows the stored finalization and they join it instead of becoming a partial conversation of their own.
        var (ledger, stored) = await FinalizedAndStoredAsync();

        var memberB = NewStage(ledger);
        var late = Segment("c1", 5, "customer", "ya me aparece el reintegro", 104);
        late = late with { Message = ((TranscriptSegment)late.Message) with { Tenant = "acme" } };
        var output = await Run(memberB, [late], 5000);
        Assert.Equal(0, ledger.Lookups);
        output.Add(await Run(memberB, [], 5000 + 60_000));
        Assert.Empty(output.Conversations);
        Assert.Equal(1, ledger.Lookups);
        output.Add(await Run(memberB, [], 5000 + 62_000));
        var whole = Assert.Single(output.Conversations);
        Assert.Equal(5, whole.Utterances.Count);
        Assert.Equal("acme", whole.Conversation.Tenant);
        Assert.Equal("ag-1", whole.Conversation.AgentId);
        Assert.True(whole.Conversation.Version > stored.Conversation.Version);
    }

    [Fact]
    public async Task A_late_segment_after_a_restart_reopens_the_stored_conversation_whole()
    {
        var (ledger, stored) = await FinalizedAndStoredAsync();

        var restarted = NewStage(ledger);
        var late = new List<IngestEnvelope> { Segment("c1", 5, "customer", "ya me aparece el reintegro", 104, reread: true) };
        var output = await Run(restarted, late, 5000);
        // Without a tenant the late segment waits, unnamed, for the idle timeout (a 'started' of another tenant
        // reusing the id could still name it); then it joins the stored conversation, finalized after the grace period.
        output.Add(await Run(restarted, [], 5000 + 60_000));
        Assert.Empty(output.Conversations);
        output.Add(await Run(restarted, [], 5000 + 62_000));
        var again = Assert.Single(output.Conversations);
        Assert.Equal(5, again.Utterances.Count);
        Assert.Equal("acme", again.Conversation.Tenant);
        Assert.Equal("ag-1", again.Conversation.AgentId);
        Assert.True(again.Conversation.Version > stored.Conversation.Version);
        Assert.Equal(stored.Utterances.Select(u => u.Text), again.Utterances.Take(4).Select(u => u.Text));
        Assert.Equal(stored.Utterances.Select(u => u.PNegative), again.Utterances.Take(4).Select(u => u.PNegative));
    }

    [Fact]
    public async Task A_late_segment_before_the_write_is_confirmed_reopens_the_conversation_from_memory()
    {
        var ledger = new MemoryLedger(); // ClickHouse holds nothing yet: the write is still in flight
        var stage = NewStage(ledger);
        var first = await Run(stage, Call("c1", "acme", 10, 100), 1000);
        Assert.Single(first.Conversations);
        Assert.Equal(1, stage.UnwrittenCount);
        var output = await Run(stage, [Segment("c1", 5, "customer", "ya me aparece el reintegro", 104)], 1500);
        output.Add(await Run(stage, [], 1500 + 60_000));
        output.Add(await Run(stage, [], 1500 + 62_000));
        var again = Assert.Single(output.Conversations);
        Assert.Equal(5, again.Utterances.Count);
        Assert.Equal("acme", again.Conversation.Tenant);

        // Once the writer confirms the newest version, nothing is kept.
        stage.OnWritten(output.Finalized);
        await Run(stage, [], 1500 + 63_000);
        Assert.Equal(0, stage.UnwrittenCount);
    }

    [Fact]
    public async Task Two_tenants_with_the_same_conversation_id_get_their_own_rows()
    {
        var sink = new ListSink();
        var stage = NewStage(new MemoryLedger(), sink);
        var a = await Run(stage, Call("shared-1", "bank-a", 0, 0), 1000);
        var b = await Run(stage, Call("shared-1", "telco-b", 2, 10), 3000);
        var rowsA = Assert.Single(a.Conversations);
        var rowsB = Assert.Single(b.Conversations);
        Assert.Equal("bank-a", rowsA.Conversation.Tenant);
        Assert.Equal("telco-b", rowsB.Conversation.Tenant);
        Assert.Equal(4, rowsA.Utterances.Count);
        Assert.Equal(4, rowsB.Utterances.Count);
        Assert.All(rowsB.Utterances, u => Assert.Equal("telco-b", u.Tenant));
        Assert.Equal(rowsA.Conversation.Version, rowsB.Conversation.Version);
        Assert.All(sink.Sent, m => Assert.NotNull(m.Tenant));
    }
}
