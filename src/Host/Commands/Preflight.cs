using Confluent.Kafka;
using Emotion.Store;

namespace Emotion.Host.Commands;

/// <summary>Checks that the servers a command needs answer, so a wrong address is one clear line, not a stack trace or a silent wait.</summary>
internal static class Preflight
{
    /// <summary>Null when the Kafka cluster answers a metadata request within <paramref name="timeout"/>, else the error to print.</summary>
    public static string? Kafka(string bootstrapServers, TimeSpan timeout)
    {
        try
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
                .SetLogHandler((_, _) => { }) // the failure is reported below, once
                .Build();
            var meta = admin.GetMetadata(timeout);
            return meta.Brokers.Count > 0 ? null : $"Kafka at {bootstrapServers} reported no brokers.";
        }
        catch (KafkaException e)
        {
            return $"cannot reach Kafka at {bootstrapServers} ({e.Error.Reason}). Start the local broker with scripts/broker.sh start, or pass --bootstrap-servers / set EMOTION_BOOTSTRAP_SERVERS.";
        }
    }

    /// <summary>Null when ClickHouse answers, else the error to print.</summary>
    public static async Task<string?> ClickHouseAsync(ClickHouseStore store, CancellationToken ct) =>
        await store.PingAsync(ct)
            ? null
            : $"cannot reach ClickHouse ({string.Join(';', store.Options.ConnectionString.Split(';').Where(p => p.StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("Port=", StringComparison.OrdinalIgnoreCase)))}). Start it with scripts/clickhouse.sh start, or pass --clickhouse / set EMOTION_CLICKHOUSE.";
}
