using System.Text.Json.Serialization;

namespace Emotion.Ingest.Contracts;

/// <summary>A message on <c>emotion.alerts</c> (schema <c>emotion.alert.v1</c>, docs/messages.md): a live call turning negative.</summary>
/// <param name="Tenant">The conversation's tenant; <c>default</c> when no message named one.</param>
public sealed record AlertMessage(
    string Schema,
    string ConversationId,
    string? Tenant,
    string? AgentId,
    string? TeamId,
    string SegmentId,
    int Turn,
    string Rule,
    string Reason,
    double Valence,
    double Ewma,
    double? Slope,
    long ProducedAt,
    long AlertedAt,
    long DelayMs)
{
    /// <summary>The schema identifier.</summary>
    public const string SchemaV1 = "emotion.alert.v1";
}

/// <summary>Serializer context of <see cref="AlertMessage"/> (snake_case, as every contract).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AlertMessage))]
public sealed partial class AlertJson : JsonSerializerContext;
