using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emotion.Ingest.Contracts;

/// <summary>How messages are written: snake_case JSON, UTF-8, nulls left out.</summary>
public static class MessageJson
{
    /// <summary>The serializer options for every v1 message.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        // Kafka payloads are never embedded in HTML: keep Spanish text readable ("días", not "d\u00EDas").
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>UTF-8 JSON of a transcript segment, audio metadata or event (events with their concrete type's fields).</summary>
    public static byte[] Serialize(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Options);
    }
}
