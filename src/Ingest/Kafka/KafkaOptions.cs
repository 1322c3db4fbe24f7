using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Emotion.Ingest.Kafka;

/// <summary>Kafka settings of the pipeline (configuration section <c>Kafka</c>).</summary>
public sealed class KafkaOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kafka";

    /// <summary>host:port,... of the cluster (the local broker's address file when run by <c>emotion run</c>).</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>Consumer group of the pipeline; scale out by running more members.</summary>
    public string GroupId { get; set; } = "emotion-pipeline";

    public string ClientId { get; set; } = "emotion";

    /// <summary>Prefix of every topic name.</summary>
    public string TopicPrefix { get; set; } = Topics.DefaultPrefix;

    /// <summary>Topics to consume; empty means <c>{prefix}transcripts</c> and <c>{prefix}events</c>.</summary>
    public List<string> InputTopics { get; set; } = [];

    /// <summary>Dead-letter topic; empty means <c>{prefix}dlq</c>.</summary>
    public string? DeadLetterTopic { get; set; }

    /// <summary>
    /// Largest dead letter (key, value and headers) in bytes; a larger rejected message keeps the start of its value and
    /// gets header <c>dlq-truncated</c>. Must stay below the producer's and the broker's <c>message.max.bytes</c>
    /// (1,000,000 by default), or the dead letter is refused and its offset never commits.
    /// </summary>
    public int DeadLetterMaxBytes { get; set; } = Contracts.DeadLetter.DefaultMaxBytes;

    public int SessionTimeoutMs { get; set; } = 45_000;
    public int HeartbeatIntervalMs { get; set; } = 3_000;

    /// <summary>Longest time between two Consume calls before the member is dropped. The consume thread blocks while the
    /// pipeline's channel is full, so this must exceed the longest downstream stall (e.g. ClickHouse being down).</summary>
    public int MaxPollIntervalMs { get; set; } = 300_000;

    /// <summary>How often stored offsets are committed (auto-commit; only offsets stored by <c>MarkDone</c> are committed).</summary>
    public int AutoCommitIntervalMs { get; set; } = 1_000;

    /// <summary>Where a group with no committed offset starts: <c>earliest</c> or <c>latest</c>.</summary>
    public string AutoOffsetReset { get; set; } = "earliest";

    /// <summary>
    /// <c>range</c> (default), <c>cooperative-sticky</c> or <c>roundrobin</c>. A conversation's segments and events travel
    /// on two topics keyed by the conversation id, so partition N of both holds the same conversations; <c>range</c>
    /// gives partition N of every topic to the same member when the topics have the same partition count, so one
    /// member sees all of a conversation. The others do not promise that: use them only with one member.
    /// </summary>
    public string PartitionAssignmentStrategy { get; set; } = "range";

    /// <summary>
    /// Longest time a fetch waits for data (librdkafka <c>fetch.wait.max.ms</c>, default there 500 ms). Live alerts need
    /// segments within milliseconds: at 1,000 segments/s, 500 ms gave an alert delay p99 of 516 ms, 50 ms gave 64 ms
    /// (BENCHMARKS.md). Raise it to save fetch requests when latency matters less.
    /// </summary>
    public int FetchWaitMaxMs { get; set; } = 50;

    /// <summary>
    /// When every broker has been unreachable this long (seconds) and a metadata request still fails, the consumer stops
    /// with an error so that the run exits 1 and a supervisor restarts it; 0 = wait forever.
    /// </summary>
    public int BrokersDownTimeoutS { get; set; } = 120;

    /// <summary>Producer linger: how long to wait to batch messages.</summary>
    public int LingerMs { get; set; } = 5;

    /// <summary>Extra librdkafka properties (security, tuning), applied last.</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>The consumed topics, resolved: transcripts, events and audio (same partition count, so that the range
    /// assignor gives one member all of a conversation's messages).</summary>
    public IReadOnlyList<string> ResolvedInputTopics =>
        InputTopics.Count > 0 ? InputTopics : [TopicPrefix + Topics.Transcripts, TopicPrefix + Topics.Events, TopicPrefix + Topics.Audio];

    /// <summary>The DLQ topic, resolved.</summary>
    public string ResolvedDeadLetterTopic => string.IsNullOrWhiteSpace(DeadLetterTopic) ? TopicPrefix + Topics.DeadLetters : DeadLetterTopic;

    /// <summary>The audio topic, resolved.</summary>
    public string AudioTopic => TopicPrefix + Topics.Audio;

    /// <summary>Consumer configuration: auto-commit of explicitly stored offsets only.</summary>
    public ConsumerConfig ToConsumerConfig()
    {
        var c = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = GroupId,
            ClientId = ClientId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = AutoCommitIntervalMs,
            SessionTimeoutMs = SessionTimeoutMs,
            HeartbeatIntervalMs = HeartbeatIntervalMs,
            MaxPollIntervalMs = MaxPollIntervalMs,
            AutoOffsetReset = string.Equals(AutoOffsetReset, "latest", StringComparison.OrdinalIgnoreCase) ? Confluent.Kafka.AutoOffsetReset.Latest : Confluent.Kafka.AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = ParseStrategy(PartitionAssignmentStrategy),
            EnablePartitionEof = false,
            FetchWaitMaxMs = FetchWaitMaxMs,
        };
        foreach (var (k, v) in Properties) c.Set(k, v);
        return c;
    }

    /// <summary>Producer configuration: acks=all, idempotent, batched by <see cref="LingerMs"/>.</summary>
    public ProducerConfig ToProducerConfig()
    {
        var c = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            ClientId = ClientId,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = LingerMs,
        };
        foreach (var (k, v) in Properties) c.Set(k, v);
        return c;
    }

    internal static PartitionAssignmentStrategy ParseStrategy(string s) => s.Trim().ToLowerInvariant() switch
    {
        "cooperative-sticky" => Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky,
        "range" => Confluent.Kafka.PartitionAssignmentStrategy.Range,
        "roundrobin" => Confluent.Kafka.PartitionAssignmentStrategy.RoundRobin,
        _ => throw new ArgumentException($"Kafka:PartitionAssignmentStrategy must be cooperative-sticky, range or roundrobin, got '{s}'"),
    };
}

/// <summary>Checks <see cref="KafkaOptions"/> at start-up, naming the setting to change.</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
            errors.Add("Kafka:BootstrapServers is empty: set it (host:port,...) or pass --bootstrap-servers.");
        if (string.IsNullOrWhiteSpace(options.GroupId)) errors.Add("Kafka:GroupId is empty.");
        if (options.SessionTimeoutMs < 1000) errors.Add("Kafka:SessionTimeoutMs must be at least 1000.");
        if (options.HeartbeatIntervalMs <= 0 || options.HeartbeatIntervalMs >= options.SessionTimeoutMs)
            errors.Add("Kafka:HeartbeatIntervalMs must be positive and below Kafka:SessionTimeoutMs.");
        if (options.MaxPollIntervalMs < options.SessionTimeoutMs) errors.Add("Kafka:MaxPollIntervalMs must be at least Kafka:SessionTimeoutMs.");
        if (options.AutoOffsetReset is not ("earliest" or "latest")) errors.Add("Kafka:AutoOffsetReset must be 'earliest' or 'latest'.");
        if (options.PartitionAssignmentStrategy is not ("cooperative-sticky" or "range" or "roundrobin"))
            errors.Add("Kafka:PartitionAssignmentStrategy must be cooperative-sticky, range or roundrobin.");
        if (options.LingerMs < 0) errors.Add("Kafka:LingerMs must be >= 0.");
        var maxMessage = options.Properties.TryGetValue("message.max.bytes", out var m)
            && int.TryParse(m, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : 1_000_000;
        if (options.DeadLetterMaxBytes < 1024 || options.DeadLetterMaxBytes >= maxMessage)
            errors.Add($"Kafka:DeadLetterMaxBytes must be between 1024 and the producer's message.max.bytes ({maxMessage.ToString(System.Globalization.CultureInfo.InvariantCulture)}), got {options.DeadLetterMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
