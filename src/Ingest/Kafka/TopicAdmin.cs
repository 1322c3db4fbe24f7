using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Emotion.Ingest.Kafka;

/// <summary>Makes sure topics exist, on a real cluster (CreateTopics) and on the embedded mock broker (which has no CreateTopics).</summary>
public static class TopicAdmin
{
    /// <summary>
    /// Creates the topics that are missing with <paramref name="partitions"/> partitions. Where the broker does not
    /// support CreateTopics (librdkafka's mock cluster), a metadata request with auto-creation makes them instead, with
    /// the broker's default partition count (4 on the mock).
    /// </summary>
    public static async Task EnsureAsync(string bootstrapServers, IReadOnlyCollection<string> topics, int partitions, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build())
        {
            try
            {
                // The mock cluster has no controller: CreateTopics would wait for one for a minute, so it gets a few seconds.
                await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t, NumPartitions = partitions, ReplicationFactor = 1 }),
                    new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(5) })
                    .WaitAsync(TimeSpan.FromSeconds(6), ct).ConfigureAwait(false);
                return;
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                return;
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                // Not supported by this broker: fall through to auto-creation.
            }
        }
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig { BootstrapServers = bootstrapServers }).Build();
        using var metadataAdmin = new DependentAdminClientBuilder(producer.Handle).Build();
        foreach (var topic in topics)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var meta = metadataAdmin.GetMetadata(topic, TimeSpan.FromSeconds(5));
                var t = meta.Topics.FirstOrDefault(x => x.Topic == topic);
                if (t is { Error.IsError: false } && t.Partitions.Count > 0) break;
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"Topic '{topic}' could not be created on {bootstrapServers}: {t?.Error.Reason ?? "no metadata"}. Create it on the cluster, or allow topic auto-creation.");
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }
    }
}
