using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Emotion.Ingest.Kafka;
using Emotion.Scoring;
using Emotion.Store;

namespace Emotion.Host.Pipeline;

/// <summary>Where live alerts go: the seam between the alert stage and Kafka.</summary>
public interface IAlertSink
{
    /// <summary>Sends one alert, keyed by its conversation id.</summary>
    void Send(AlertMessage alert);
}

/// <summary>Sends alerts to the <c>emotion.alerts</c> topic.</summary>
public sealed class KafkaAlertSink(JsonMessageProducer producer, string topic) : IAlertSink
{
    /// <inheritdoc />
    public void Send(AlertMessage alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        producer.Producer.Produce(topic, new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(alert.ConversationId),
            Value = JsonSerializer.SerializeToUtf8Bytes(alert, AlertJson.Default.AlertMessage),
            Headers = JsonMessageProducer.StandardHeaders(),
        });
    }
}

/// <summary>The alert stage: turns a monitor's <see cref="LiveAlert"/> into the message supervisors receive and the row the store keeps.</summary>
public sealed class AlertPublisher(IAlertSink sink, TimeProvider time)
{
    private static readonly Meter s_meter = new("Emotion.Pipeline");
    private static readonly Histogram<double> s_alertDelay = s_meter.CreateHistogram<double>("emotion.pipeline.alert_delay", "ms",
        "From the segment that fired an alert being produced to the alert being sent");
    private long _sent;

    /// <summary>Alerts sent so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Alert delays (ms) from produce to alert sent; for benchmarks.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<double>? Delays { get; init; }

    /// <summary>Sends the alert and returns its row. <paramref name="meta"/> null: the conversation's <c>started</c> never came.</summary>
    public AlertRow Publish(LiveAlert alert, ConversationKey key, ConversationMeta? meta, string segmentId, long segmentEndMs, long producedMs)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var alertedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var delay = Math.Max(0, alertedMs - producedMs);
        sink.Send(new AlertMessage(AlertMessage.SchemaV1, key.Id, key.StoredTenant, meta?.AgentId, meta?.TeamId, segmentId, alert.Turn, alert.Rule,
            alert.Reason, Math.Round(alert.Valence, 4), Math.Round(alert.Ewma, 4), alert.Slope is { } sl ? Math.Round(sl, 4) : null,
            producedMs, alertedMs, delay));
        Interlocked.Increment(ref _sent);
        s_alertDelay.Record(delay);
        Delays?.Enqueue(delay);
        var started = meta?.StartedAtMs ?? producedMs - segmentEndMs;
        return new AlertRow
        {
            Tenant = key.StoredTenant,
            ConversationId = key.Id,
            Date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(started).UtcDateTime),
            Turn = (uint)Math.Max(0, alert.Turn),
            Rule = alert.Rule,
            Reason = alert.Reason,
            ValenceTrend = (float)(alert.Slope ?? alert.Ewma),
            Source = AlertRow.Live,
            ProducedAt = DateTimeOffset.FromUnixTimeMilliseconds(producedMs).UtcDateTime,
            ProducedAtMs = (ulong)producedMs,
            AlertedAt = DateTimeOffset.FromUnixTimeMilliseconds(alertedMs).UtcDateTime,
            AlertedAtMs = (ulong)alertedMs,
            DelayMs = (ulong)delay,
            Version = 1,
        };
    }
}
