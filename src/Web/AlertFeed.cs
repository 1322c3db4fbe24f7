using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Emotion.Ingest.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Emotion.Web;

/// <summary>
/// Reads <c>emotion.alerts</c> as they are produced and hands each alert to the live views that are open. Every console
/// reads every partition from its end (explicit assignment at the high watermark, no consumer group): nothing waits for a
/// group rebalance, and every console process sees every alert. The last 200 alerts are kept, so a page that connects a
/// moment after it was drawn gets what arrived in between.
/// </summary>
public sealed class AlertFeed(IOptions<WebConsoleOptions> options, ILogger<AlertFeed> logger) : BackgroundService
{
    private const int Kept = 200;
    private readonly object _gate = new();
    private readonly LinkedList<AlertMessage> _recent = new();
    private readonly List<Channel<AlertMessage>> _subscribers = [];

    /// <summary><c>off</c> (no bootstrap servers), <c>connecting</c>, or <c>live</c> (reading every partition).</summary>
    public string State { get; private set; } = string.IsNullOrWhiteSpace(options.Value.BootstrapServers) ? "off" : "connecting";

    /// <summary>
    /// A reader of the alerts from now on, first with the kept ones alerted at or after <paramref name="sinceMs"/>.
    /// Dispose it to stop.
    /// </summary>
    public Subscription Subscribe(long sinceMs)
    {
        var channel = Channel.CreateBounded<AlertMessage>(new BoundedChannelOptions(500) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            foreach (var a in _recent.Where(a => a.AlertedAt >= sinceMs)) channel.Writer.TryWrite(a);
            _subscribers.Add(channel);
        }
        return new Subscription(this, channel);
    }

    /// <summary>Hands an alert to every open view (the consumer calls this; tests may too).</summary>
    public void Publish(AlertMessage alert)
    {
        lock (_gate)
        {
            _recent.AddLast(alert);
            while (_recent.Count > Kept) _recent.RemoveFirst();
            foreach (var s in _subscribers) s.Writer.TryWrite(alert);
        }
    }

    private void Unsubscribe(Channel<AlertMessage> channel)
    {
        lock (_gate) _subscribers.Remove(channel);
        channel.Writer.TryComplete();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.BootstrapServers)) return Task.CompletedTask;
        // Consume blocks: it gets a thread of its own (as the pipeline's consumer does).
        return Task.Factory.StartNew(() => Run(o, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Run(WebConsoleOptions o, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Consume(o, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (KafkaException e)
            {
                State = "connecting";
                logger.LogWarning("Live alerts: Kafka error ({Reason}); reconnecting in 2 s", e.Error.Reason);
                ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            }
        }
    }

    private void Consume(WebConsoleOptions o, CancellationToken ct)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = o.BootstrapServers,
            GroupId = "emotion-console-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Latest,
            FetchWaitMaxMs = 50,
        };
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        var partitions = WaitForPartitions(o, ct);
        if (partitions.Count == 0) return;
        // Start at each partition's current end: an alert produced after this line is read.
        consumer.Assign(partitions.Select(p =>
        {
            var w = consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10));
            return new TopicPartitionOffset(p, w.High);
        }));
        State = "live";
        logger.LogInformation("Live alerts: reading {Topic} ({Partitions} partitions)", o.AlertsTopic, partitions.Count);
        while (!ct.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(250));
            if (result?.Message?.Value is not { } value) continue;
            AlertMessage? alert = null;
            try
            {
                alert = JsonSerializer.Deserialize(value, AlertJson.Default.AlertMessage);
            }
            catch (JsonException e)
            {
                logger.LogWarning("Live alerts: skipped a message that is not an alert ({Reason})", e.Message);
            }
            if (alert is not null) Publish(alert);
        }
    }

    private List<TopicPartition> WaitForPartitions(WebConsoleOptions o, CancellationToken ct)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = o.BootstrapServers }).Build();
        while (!ct.IsCancellationRequested)
        {
            var meta = admin.GetMetadata(o.AlertsTopic, TimeSpan.FromSeconds(10));
            var topic = meta.Topics.FirstOrDefault(t => t.Topic == o.AlertsTopic);
            if (topic is { Error.IsError: false } && topic.Partitions.Count > 0)
                return [.. topic.Partitions.Select(p => new TopicPartition(o.AlertsTopic, p.PartitionId))];
            ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
        }
        return [];
    }

    /// <summary>One open view's alerts.</summary>
    public sealed class Subscription(AlertFeed feed, Channel<AlertMessage> channel) : IDisposable
    {
        public ChannelReader<AlertMessage> Reader => channel.Reader;

        public void Dispose() => feed.Unsubscribe(channel);
    }
}
