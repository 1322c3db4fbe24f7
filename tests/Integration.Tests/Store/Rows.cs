using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

/// <summary>Hand-made rows for store tests.</summary>
internal static class Rows
{
    public const string Tenant = "t1";

    public static ConversationRow Conversation(
        string id, string agent, DateOnly date, bool startedNegative = false, bool converted = false,
        float negativeLoad = 0, float driverAgent = 0, float driverProcess = 0, float experienceIndex = 50,
        ulong version = 1, string campaign = "cards", string team = "T", ushort moments = 0) => new()
    {
        Tenant = Tenant,
        ConversationId = id,
        Date = date,
        AgentId = agent,
        TeamId = team,
        Campaign = campaign,
        Queue = "q1",
        Channel = "voice",
        Language = "es",
        StartedAt = date.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc),
        EndedAt = date.ToDateTime(new TimeOnly(10, 5), DateTimeKind.Utc),
        DurationS = 300,
        Turns = 10,
        CustomerStartLabel = (sbyte)(startedNegative ? -1 : 0),
        CustomerStartScore = startedNegative ? -0.6f : 0.1f,
        CustomerEndLabel = (sbyte)(converted ? 1 : 0),
        CustomerEndScore = converted ? 0.7f : 0f,
        NegativeToPositive = converted,
        StartedNegative = startedNegative,
        Shift = converted ? 1.3f : 0f,
        DriverAgent = driverAgent,
        DriverProcess = driverProcess,
        DriverProduct = 0,
        DriverPriorExperience = negativeLoad > 0 ? 1 - driverAgent - driverProcess : 0,
        PrimaryDriver = driverAgent >= driverProcess ? "agent" : "process",
        ProcessTopic = "fees",
        AgentFocus = "empathy",
        ExperienceIndex = experienceIndex,
        MemorableMoments = moments,
        NegativeLoad = negativeLoad,
        Alerts = 0,
        FinalizedReason = "ended",
        FinalizedAt = date.ToDateTime(new TimeOnly(10, 6), DateTimeKind.Utc),
        AnalysisJson = "{}",
        ModelVersion = "test-1",
        Version = version,
    };

    public static PhaseRow Phase(string id, DateOnly date, string phase, float mean, string speaker = "customer", ulong version = 1) => new()
    {
        Tenant = Tenant, ConversationId = id, Date = date, Phase = phase, PhaseOrder = 0, Speaker = speaker,
        MeanValence = mean, MinValence = mean - 0.1f, NegativeShare = mean < 0 ? 1 : 0, DominantEmotion = "neutral",
        Turns = 2, Seconds = 12.5f, Version = version,
    };

    public static BehaviourRow Behaviour(string id, DateOnly date, string behaviour, uint count, ulong version = 1) => new()
    {
        Tenant = Tenant, ConversationId = id, Date = date, Behaviour = behaviour, Count = count, Seconds = 0,
        EvidenceTurns = [.. Enumerable.Range(1, (int)count).Select(i => (uint)i)], Version = version,
    };

    public static DriverRow ProcessDriver(string id, DateOnly date, string topic, float share, ulong version = 1) => new()
    {
        Tenant = Tenant, ConversationId = id, Date = date, Driver = "process", Share = share, Topic = topic,
        EvidenceTurns = [2], Version = version,
    };

    public static MemorableMomentRow Moment(string id, DateOnly date, uint turn, float valence, ulong version = 1) => new()
    {
        Tenant = Tenant, ConversationId = id, Date = date, Turn = turn, Valence = valence, Emotion = "gratitude",
        Text = "muchas gracias " + id, AfterNegativeStart = true, Version = version,
    };

    public static ConversationEventRow Qa(string id, DateOnly date, float score, ulong version = 1) => new()
    {
        Tenant = Tenant, ConversationId = id, Date = date, Kind = ConversationEventRow.QaScoreKind, QaScore = score,
        ReceivedAt = date.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc), Version = version,
    };

    public static UtteranceRow Utterance(string id, DateOnly date, int turn, ulong version = 1, string text = "hola") => new()
    {
        Tenant = Tenant,
        ConversationId = id,
        Date = date,
        SegmentId = "s" + turn.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Turn = (uint)turn,
        Speaker = turn % 2 == 0 ? "agent" : "customer",
        StartMs = (ulong)turn * 1000,
        EndMs = (ulong)turn * 1000 + 900,
        Text = text,
        Lang = "es",
        Phase = "opening",
        Valence = 0.25f,
        Label = 1,
        PNegative = 0.1f,
        PNeutral = 0.55f,
        PPositive = 0.35f,
        Emotion = "joy",
        EmotionConfidence = 0.5f,
        EmotionLabels = ["joy", "anger"],
        EmotionProbs = [0.5f, 0.125f],
        IsFinal = true,
        ModelVersion = "test-1",
        ProducedAt = date.ToDateTime(new TimeOnly(10, 0, turn), DateTimeKind.Utc),
        ProducedAtMs = 1_709_805_600_123,
        ScoredAt = date.ToDateTime(new TimeOnly(10, 1, turn), DateTimeKind.Utc),
        ScoredAtMs = 1_709_805_660_456,
        Version = version,
    };
}
