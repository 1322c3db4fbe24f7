using Emotion.Host.Pipeline;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Scoring;
using Emotion.Sentiment;
using Emotion.Store;

namespace Emotion.Audio.Tests;

/// <summary>The pipeline's track-and-finalize stage with audio, driven without servers (ledger in memory, alerts in a list).</summary>
public class AudioStageTests
{
    private static readonly string[] Emotions = ["anger", "sadness", "fear", "confusion", "neutral", "joy", "gratitude"];
    private static readonly PipelineOptions Options = new() { IdleTimeoutS = 60, EndGraceS = 1, AudioEndGraceS = 5, FinalizedMemoryS = 600 };
    private static readonly ConversationAnalyzer Analyzer = ConversationAnalyzer.Create(ScoringConfig.Load(null), answersDirectory: null);
    private const long T0 = 1_764_000_000_000;

    private sealed class MemoryLedger : IConversationLedger
    {
        public Task<IReadOnlyList<LedgerEntry>> LookupAsync(IReadOnlyCollection<string> conversationIds, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<LedgerEntry>>([]);

        public Task<StoredState?> LoadAsync(ConversationKey key, CancellationToken ct) => Task.FromResult<StoredState?>(null);
    }

    private sealed class ListSink : IAlertSink
    {
        public List<AlertMessage> Sent { get; } = [];
        public void Send(AlertMessage alert) => Sent.Add(alert);
    }

    private static ConversationStage NewStage(ListSink sink) =>
        new(Options, Analyzer, new MemoryLedger(), new AlertPublisher(sink, TimeProvider.System), "m-test", Emotions);

    private static SentimentPrediction Neutral() =>
        new(0, 0, 0.1f, 0.8f, 0.1f, "neutral", 0.6f, [.. Enumerable.Range(0, Emotions.Length).Select(i => i == 4 ? 0.6f : 0.4f / 6)]);

    private static async Task<WriteBatch> Run(ConversationStage stage, IReadOnlyList<IngestEnvelope> batch, long now)
    {
        var output = new WriteBatch();
        SentimentPrediction?[] predictions = [.. batch.Select(e => e.Message is TranscriptSegment ? Neutral() : null)];
        await stage.ProcessAsync(batch, predictions, output, now, CancellationToken.None);
        await stage.CollectAsync(output, now, CancellationToken.None);
        return output;
    }

    private static List<IngestEnvelope> Audio(IEnumerable<AudioChunk> chunks, long firstOffset) =>
        [.. chunks.Select((c, i) => new IngestEnvelope(c with { Meta = c.Meta with { ProducedAt = T0 + c.Meta.StartMs } }, "audio", 0, firstOffset + i, T0 + c.Meta.StartMs, null, null))];

    private static IngestEnvelope Segment(string id, int seq, string speaker, string text, long startMs, long endMs, long offset) =>
        new(new TranscriptSegment
        {
            ConversationId = id, SegmentId = $"{id}-{seq}", Seq = seq, Speaker = speaker, Text = text, StartMs = startMs, EndMs = endMs, Lang = "es",
            ProducedAt = T0 + endMs,
        }, "transcripts", 0, offset, T0 + endMs, null, null);

    private static IngestEnvelope Event(ConversationEvent e, long offset) => new(e, "events", 0, offset, e.Ts, null, null);

    [Fact]
    public async Task Agent_breaking_in_over_the_customer_is_an_interruption_measured_from_audio_and_rows_join_the_turns()
    {
        const string customerText = "me cobraron dos veces la cuota y nadie me soluciona nada";
        const string agentText = "a ver un momento déjeme revisar su cuenta";
        var customer = Speech.Say("es", customerText);
        var agent = Speech.Say("es", agentText);
        var lc = Speech.Seconds(customer);
        var agentStart = lc - 1.2; // the agent starts 1.2 s before the customer is done
        var customerChannel = Speech.Concat(Speech.Silence(0.5), customer, Speech.Silence(Speech.Seconds(agent) + 0.5));
        var agentChannel = Speech.Concat(Speech.Silence(0.5 + agentStart), agent, Speech.Silence(1.7));
        var chunks = Speech.Chunks("c1", Speakers.Customer, customerChannel, Speech.Rate, 0, 250)
            .Concat(Speech.Chunks("c1", Speakers.Agent, agentChannel, Speech.Rate, 0, 250)).ToList();
        chunks[^1] = chunks[^1] with { Meta = chunks[^1].Meta with { Last = true } };
        var lastCustomer = chunks.FindLastIndex(c => c.Meta.Channel == Speakers.Customer);
        chunks[lastCustomer] = chunks[lastCustomer] with { Meta = chunks[lastCustomer].Meta with { Last = true } };
        var cEnd = (long)((0.5 + lc) * 1000);
        var aStart = (long)((0.5 + agentStart) * 1000);
        // Transcript timestamps that do not overlap (ASR often cuts turns apart): only the audio knows of the overtalk.
        var batch = new List<IngestEnvelope>
        {
            Event(new ConversationStarted { ConversationId = "c1", Ts = T0, Tenant = "acme", AgentId = "ag-1", Language = "es" }, 0),
            Segment("c1", 1, Speakers.Customer, customerText, 500, aStart, 0),
            Segment("c1", 2, Speakers.Agent, agentText, aStart, aStart + (long)(Speech.Seconds(agent) * 1000), 1),
            Event(new ConversationEnded { ConversationId = "c1", Ts = T0 + 10_000, SegmentCount = 2 }, 1),
        };
        var audio = Audio(chunks, 0);
        var stage = NewStage(new ListSink());
        var first = await Run(stage, [.. batch.Take(3), .. audio.Take(10)], 1000);
        Assert.Empty(first.Conversations);
        Assert.DoesNotContain(first.Done, p => p.Topic == "audio"); // not done before the rows are written
        var output = await Run(stage, [.. audio.Skip(10), batch[3]], 2000);
        var rows = Assert.Single(output.Conversations);
        Assert.Equal(audio.Count + 4, output.Done.Count);
        var interruptions = Assert.Single(rows.Behaviours, b => b.Behaviour == "interruptions");
        Assert.Equal(1u, interruptions.Count);
        Assert.Equal([1u], interruptions.EvidenceTurns); // the agent's turn
        var overtalk = Assert.Single(output.AudioSpans, s => s.Kind == AcousticSpanKinds.Overtalk);
        Assert.Equal(Speakers.Agent, overtalk.Speaker);
        Assert.InRange((overtalk.EndMs - overtalk.StartMs) / 1000.0, 1.0, 1.4);
        Assert.Equal(2, output.AudioWindows.Count);
        var cw = Assert.Single(output.AudioWindows, w => w.Speaker == Speakers.Customer);
        Assert.Equal("c1-1", cw.SegmentId);
        Assert.Equal(0, cw.Turn);
        Assert.Equal("transcript", cw.RateSource);
        Assert.False(float.IsNaN(cw.LoudnessDbfs));
        Assert.All(output.AudioWindows, w => Assert.Equal(rows.Conversation.Version, w.Version));
    }

    [Fact]
    public async Task Audio_of_a_conversation_never_seen_on_the_transcript_topic_still_yields_a_result()
    {
        var agent = Speech.Say("en", "thank you for calling how can I help you today");
        var customer = Speech.Say("en", "my card was charged twice and I want it fixed");
        var agentChannel = Speech.Concat(agent, Speech.Silence(Speech.Seconds(customer) + 1.5));
        var customerChannel = Speech.Concat(Speech.Silence(Speech.Seconds(agent) + 1.5), customer);
        var audio = Audio(Speech.Chunks("solo", Speakers.Agent, agentChannel, Speech.Rate, 0, 500)
            .Concat(Speech.Chunks("solo", Speakers.Customer, customerChannel, Speech.Rate, 0, 500)), 0);
        var stage = NewStage(new ListSink());
        Assert.Empty((await Run(stage, audio, 1000)).Conversations);
        var output = await Run(stage, [], 1000 + Options.IdleTimeoutS * 1000L);
        var rows = Assert.Single(output.Conversations);
        Assert.Equal("default", rows.Conversation.Tenant);
        Assert.Equal("idle_timeout", rows.Conversation.FinalizedReason);
        Assert.Empty(rows.Utterances);
        Assert.Equal(audio.Count, output.Done.Count);
        Assert.Contains(output.AudioWindows, w => w.Speaker == Speakers.Agent && w.Turn == -1 && w.VoicedS > 1);
        Assert.Contains(output.AudioWindows, w => w.Speaker == Speakers.Customer && w.Turn == -1 && w.VoicedS > 1);
        var silence = Assert.Single(output.AudioSpans, s => s.Kind == AcousticSpanKinds.Silence);
        Assert.InRange((silence.EndMs - silence.StartMs) / 1000.0, 1.3, 1.7);
    }

    [Fact]
    public async Task Customer_voice_rising_to_agitation_raises_a_live_alert()
    {
        string[] calm = ["tengo una consulta", "sobre mi factura", "del mes pasado"];
        string[] angry = ["esto es un robo", "quiero hablar con alguien ya", "no me pueden cobrar esto"];
        var blocks = new List<byte[]>();
        // 4-second blocks: three at a quiet, even voice, then three louder, higher and faster.
        foreach (var t in calm) blocks.Add(Pad(Speech.Say("es", t, wpm: 150, soxEffects: "vol 0.25"), 4));
        foreach (var t in angry) blocks.Add(Pad(Speech.Say("es", t, wpm: 200, soxEffects: "pitch 400"), 4));
        var channel = Speech.Concat([.. blocks]);
        var audio = Audio(Speech.Chunks("hot", Speakers.Customer, channel, Speech.Rate, 0, 500), 1);
        var sink = new ListSink();
        var stage = NewStage(sink);
        var output = await Run(stage,
            [Event(new ConversationStarted { ConversationId = "hot", Ts = T0, Tenant = "acme", AgentId = "ag-1" }, 0), .. audio], 1000);
        var alert = Assert.Single(sink.Sent);
        Assert.Equal("rising_agitation", alert.Rule);
        Assert.Equal("acme", alert.Tenant);
        Assert.Equal(4u, (uint)alert.Turn); // the second agitated window (windows 3 and 4, from 0)
        Assert.Single(output.Alerts);

        static byte[] Pad(byte[] pcm, double seconds) => Speech.Concat(pcm, Speech.Silence(Math.Max(0, seconds - Speech.Seconds(pcm))));
    }

    [Fact]
    public async Task A_start_the_words_leave_neutral_is_negative_when_the_customer_sounds_agitated()
    {
        string[] texts = ["hola buenas tardes", "llamo por mi factura", "quería saber el saldo", "gracias por la información"];
        var levels = new[] { "vol 1", "vol 1", "vol 0.2", "vol 0.2" };
        var pitches = new[] { "pitch 400", "pitch 400", "", "" };
        var customerChannel = new List<byte[]>();
        var segments = new List<IngestEnvelope>();
        var at = 0L;
        for (var i = 0; i < texts.Length; i++)
        {
            var pcm = Speech.Say("es", texts[i], soxEffects: $"{levels[i]} {pitches[i]}");
            customerChannel.Add(pcm);
            customerChannel.Add(Speech.Silence(1));
            var ms = (long)(Speech.Seconds(pcm) * 1000);
            segments.Add(Segment("ag", i + 1, Speakers.Customer, texts[i], at, at + ms, i));
            at += ms + 1000;
        }
        var audio = Audio(Speech.Chunks("ag", Speakers.Customer, Speech.Concat([.. customerChannel]), Speech.Rate, 0, 500), 0);
        var summaries = new List<FinalizedSummary>();
        var withAudio = new ConversationStage(Options, Analyzer, new MemoryLedger(), new AlertPublisher(new ListSink(), TimeProvider.System), "m", Emotions)
        {
            Finalized = summaries.Add,
        };
        await Run(withAudio, [Event(new ConversationStarted { ConversationId = "ag", Ts = T0, Tenant = "acme" }, 0), .. segments, .. audio,
            Event(new ConversationEnded { ConversationId = "ag", Ts = T0 + at, SegmentCount = 4 }, 1)], 1000);
        await Run(withAudio, [], 1000 + Options.AudioEndGraceS * 1000L + 1);
        var analysis = Assert.Single(summaries).Analysis;
        Assert.NotNull(analysis.Audio);
        Assert.Equal(ArousalLabels.Agitated, analysis.Audio.CustomerArousalStartLabel);
        Assert.Equal(-1, analysis.CustomerStart.Label);
        Assert.EndsWith("+audio", analysis.Answers!.CustomerStart.Source, StringComparison.Ordinal);
    }
    [Fact]
    public async Task Audio_read_after_its_conversation_was_finalized_joins_it_after_the_audio_grace_not_the_idle_timeout()
    {
        // Under load the audio partition can lag the others: the transcript, 'started' and 'ended' are read and the
        // conversation finalized before its chunks, which name no tenant. They must join that conversation (finalized
        // again, with acoustic rows) once quiet for the audio grace, not wait the idle timeout as a conversation of their own.
        var agent = Speech.Say("es", "buenos días en qué le puedo ayudar");
        var customer = Speech.Say("es", "me cobraron dos veces la cuota");
        var la = (long)(Speech.Seconds(agent) * 1000);
        var lc = (long)(Speech.Seconds(customer) * 1000);
        var agentChannel = Speech.Concat(agent, Speech.Silence(1 + Speech.Seconds(customer)));
        var customerChannel = Speech.Concat(Speech.Silence(Speech.Seconds(agent) + 1), customer);
        var chunks = Speech.Chunks("late", Speakers.Agent, agentChannel, Speech.Rate, 0, 500)
            .Concat(Speech.Chunks("late", Speakers.Customer, customerChannel, Speech.Rate, 0, 500)).ToList();
        Assert.All(chunks, c => Assert.Null(c.Meta.Tenant));
        var stage = NewStage(new ListSink());
        var first = await Run(stage,
        [
            Event(new ConversationStarted { ConversationId = "late", Ts = T0, Tenant = "acme", AgentId = "ag-1", Language = "es" }, 0),
            Segment("late", 1, Speakers.Agent, "buenos días en qué le puedo ayudar", 0, la, 0),
            Segment("late", 2, Speakers.Customer, "me cobraron dos veces la cuota", la + 1000, la + 1000 + lc, 1),
            Event(new ConversationEnded { ConversationId = "late", Ts = T0 + 10_000, SegmentCount = 2 }, 1),
        ], 1000);
        var before = Assert.Single(first.Conversations);
        Assert.Empty(first.AudioWindows);

        var audio = Audio(chunks, 0);
        var output = await Run(stage, audio, 2000);
        output.Add(await Run(stage, [], 2000 + Options.AudioEndGraceS * 1000L - 1));
        Assert.Empty(output.Conversations); // still within the grace: more chunks may come
        for (var now = 2000 + Options.AudioEndGraceS * 1000L; now <= 2000 + 3 * Options.AudioEndGraceS * 1000L; now += 1000)
        {
            output.Add(await Run(stage, [], now));
        }
        var after = Assert.Single(output.Conversations);
        Assert.True(3 * Options.AudioEndGraceS < Options.IdleTimeoutS);
        Assert.Equal("acme", after.Conversation.Tenant);
        Assert.Equal("ag-1", after.Conversation.AgentId);
        Assert.True(after.Conversation.Version > before.Conversation.Version);
        Assert.Equal(2, after.Utterances.Count);
        Assert.Contains(output.AudioWindows, w => w.Speaker == Speakers.Agent && w.SegmentId == "late-1" && w.Tenant == "acme");
        Assert.Contains(output.AudioWindows, w => w.Speaker == Speakers.Customer && w.SegmentId == "late-2" && w.Tenant == "acme");
        Assert.All(output.AudioWindows, w => Assert.Equal(after.Conversation.Version, w.Version));
        Assert.Equal(audio.Count, output.Done.Count(p => p.Topic == "audio"));
        Assert.Equal(0, stage.ActiveCount);
    }
}
