using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;

namespace Emotion.Ingest.Kafka;

/// <summary>
/// Produces v1 messages: key = conversation id, value = snake_case JSON (audio: raw bytes with metadata in a header),
/// headers <c>emotion-message-id</c> and W3C <c>traceparent</c>. Acks=all, idempotent, batched by linger.
/// One instance per process; thread-safe.
/// </summary>
public sealed class JsonMessageProducer : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly int _deadLetterMaxBytes;

    public JsonMessageProducer(KafkaOptions options)
        : this(options?.ToProducerConfig() ?? throw new ArgumentNullException(nameof(options)), options.DeadLetterMaxBytes)
    {
    }

    /// <param name="deadLetterMaxBytes">Largest dead letter this producer sends (<see cref="KafkaOptions.DeadLetterMaxBytes"/>).</param>
    public JsonMessageProducer(ProducerConfig config, int deadLetterMaxBytes = DeadLetter.DefaultMaxBytes)
    {
        _producer = new ProducerBuilder<byte[]?, byte[]?>(config).Build();
        _deadLetterMaxBytes = deadLetterMaxBytes;
    }

    /// <summary>The underlying producer, for anything this class does not cover.</summary>
    public IProducer<byte[]?, byte[]?> Producer => _producer;

    /// <summary>Builds the Kafka message for a transcript segment, an event or any JSON message of a conversation.</summary>
    public static Message<byte[]?, byte[]?> ToMessage(IIngestMessage message, string? messageId = null, string? traceParent = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is AudioChunk audio) return ToMessage(audio, messageId, traceParent);
        return new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(message.ConversationId),
            Value = MessageJson.Serialize(message),
            Headers = StandardHeaders(messageId, traceParent),
        };
    }

    /// <summary>Builds the Kafka message for an audio chunk: raw bytes as value, JSON metadata in <c>emotion-meta</c>.</summary>
    public static Message<byte[]?, byte[]?> ToMessage(AudioChunk chunk, string? messageId = null, string? traceParent = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var headers = StandardHeaders(messageId, traceParent);
        headers.Add(HeaderNames.AudioMeta, MessageJson.Serialize(chunk.Meta));
        return new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(chunk.ConversationId),
            Value = chunk.Payload.ToArray(),
            Headers = headers,
        };
    }

    /// <summary>Produces and waits for the broker's acknowledgement.</summary>
    public Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(string topic, IIngestMessage message, string? messageId = null,
        string? traceParent = null, CancellationToken ct = default) =>
        _producer.ProduceAsync(topic, ToMessage(message, messageId, traceParent), ct);

    /// <summary>Queues without waiting (batched); <paramref name="onDelivery"/> runs on the producer's poll thread.
    /// Throws <see cref="ProduceException{TKey,TValue}"/> with <see cref="ErrorCode.Local_QueueFull"/> when the local queue is full.</summary>
    public void Produce(string topic, IIngestMessage message, Action<DeliveryReport<byte[]?, byte[]?>>? onDelivery = null,
        string? messageId = null, string? traceParent = null) =>
        _producer.Produce(topic, ToMessage(message, messageId, traceParent), onDelivery);

    /// <summary>Queues a dead letter for <paramref name="topic"/>, truncated to the configured size limit when it is larger.</summary>
    public void ProduceDeadLetter(string topic, DeadLetter deadLetter, Action<DeliveryReport<byte[]?, byte[]?>>? onDelivery = null)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        _producer.Produce(topic, deadLetter.ToMessage(_deadLetterMaxBytes), onDelivery);
    }

    /// <summary>Waits until every queued message is acknowledged or <paramref name="timeout"/> passes; returns the number still queued.</summary>
    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    /// <summary>Headers every message carries: a message id (a new UUIDv7 when none is given) and the current trace context.</summary>
    public static Headers StandardHeaders(string? messageId = null, string? traceParent = null)
    {
        var headers = new Headers { { HeaderNames.MessageId, Encoding.UTF8.GetBytes(messageId ?? Guid.CreateVersion7().ToString()) } };
        traceParent ??= Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;
        if (traceParent is not null) headers.Add(HeaderNames.TraceParent, Encoding.UTF8.GetBytes(traceParent));
        if (Activity.Current?.TraceStateString is { Length: > 0 } state) headers.Add(HeaderNames.TraceState, Encoding.UTF8.GetBytes(state));
        return headers;
    }

    public void Dispose()
    {
        // Deliver what is queued; a message that cannot be delivered in 10 s is reported by its delivery handler.
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
