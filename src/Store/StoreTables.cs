namespace Emotion.Store;

/// <summary>Table names, as the migrations create them.</summary>
public static class StoreTables
{
    public const string Utterances = "utterances";
    public const string Conversations = "conversations";
    public const string ConversationEvents = "conversation_events";
    public const string Phases = "conversation_phases";
    public const string Drivers = "conversation_drivers";
    public const string Behaviours = "agent_behaviours";
    public const string MemorableMoments = "memorable_moments";
    public const string Alerts = "alerts";
    public const string MomentsOfTruth = "conversation_moments";
    public const string Triage = "conversation_triage";
    public const string AudioWindows = "audio_windows";
    public const string AudioSpans = "audio_spans";
    public const string SchemaMigrations = "schema_migrations";
}
