using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace Emotion.Ingest.Kafka.Mock;

/// <summary>
/// An in-process Kafka-protocol cluster: librdkafka's mock cluster (<c>rdkafka_mock.h</c>), reached over real TCP
/// by any Kafka client (Confluent.Kafka, kcat). It supports produce (idempotent too), fetch, metadata, consumer
/// groups with the classic protocol and committed offsets; data lives in memory and each partition keeps at most
/// 5 MiB or 100,000 batches (older batches are dropped, which moves the log start offset). Used by
/// <c>emotion broker</c> and by fault-injection tests.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IntPtr _rk;
    private IntPtr _cluster;
    private readonly List<TcpForwarder> _forwarders = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a cluster with <paramref name="brokers"/> brokers (ids 1..N).</summary>
    /// <param name="fixedPort">
    /// 0: each broker listens on an ephemeral 127.0.0.1 port (the mock's only mode). Otherwise broker i is reached
    /// through a forwarder on <paramref name="listenAddress"/>:<c>fixedPort + i - 1</c>, which is also what the
    /// brokers advertise in metadata.
    /// </param>
    /// <param name="listenAddress">Address the forwarders bind (and advertise); default 127.0.0.1. Ignored when <paramref name="fixedPort"/> is 0.</param>
    public MockKafkaCluster(int brokers = 1, int fixedPort = 0, string? listenAddress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fixedPort);
        Brokers = brokers;
        var errstr = new byte[512];
        var conf = LibRdKafka.rd_kafka_conf_new();
        // The handle only hosts the cluster's thread; keep it quiet and point it nowhere.
        LibRdKafka.rd_kafka_conf_set(conf, "client.id", "emotion-mock-cluster", errstr, (nuint)errstr.Length);
        LibRdKafka.rd_kafka_conf_set(conf, "log_level", "3", errstr, (nuint)errstr.Length);
        _rk = LibRdKafka.rd_kafka_new(LibRdKafka.ProducerType, conf, errstr, (nuint)errstr.Length);
        if (_rk == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException("librdkafka could not create a client handle for the mock cluster: " + LibRdKafka.ErrString(errstr));
        }
        _cluster = LibRdKafka.rd_kafka_mock_cluster_new(_rk, brokers);
        if (_cluster == IntPtr.Zero)
        {
            LibRdKafka.rd_kafka_destroy(_rk);
            throw new InvalidOperationException("librdkafka could not create the mock cluster (see its log above).");
        }
        // A new consumer group assigns at once instead of waiting for more members (Kafka's default is 3 s).
        LibRdKafka.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);

        DirectBootstrap = Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(_cluster)) ?? "";
        if (fixedPort == 0)
        {
            Bootstrap = DirectBootstrap;
            return;
        }

        try
        {
            var host = string.IsNullOrWhiteSpace(listenAddress) ? "127.0.0.1" : listenAddress;
            var address = IPAddress.Parse(host);
            var targets = DirectBootstrap.Split(',', StringSplitOptions.RemoveEmptyEntries);
            var advertised = new List<string>();
            for (var i = 0; i < targets.Length; i++)
            {
                var target = IPEndPoint.Parse(targets[i]);
                var forwarder = new TcpForwarder(address, fixedPort + i, target);
                _forwarders.Add(forwarder);
                var advertisedHost = address.Equals(IPAddress.Any) ? "127.0.0.1" : host;
                // Broker ids are 1..N in the order the bootstrap list gives them (rd_kafka_mock_cluster_new).
                LibRdKafka.rd_kafka_mock_broker_set_host_port(_cluster, i + 1, advertisedHost, forwarder.Port);
                advertised.Add(string.Create(CultureInfo.InvariantCulture, $"{advertisedHost}:{forwarder.Port}"));
            }
            Bootstrap = string.Join(',', advertised);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The bootstrap servers clients should use (the forwarders when a fixed port was asked for).</summary>
    public string Bootstrap { get; }

    /// <summary>The mock brokers' own ephemeral listeners.</summary>
    public string DirectBootstrap { get; }

    /// <summary>Number of brokers (ids 1..N).</summary>
    public int Brokers { get; }

    /// <summary>Creates a topic; replication is capped at the broker count. Creating an existing topic is an error from the mock.</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var err = LibRdKafka.rd_kafka_mock_topic_create(Handle, topic, partitions, Math.Clamp(replicationFactor, 1, Brokers));
        Check(err, $"create topic '{topic}'");
    }

    /// <summary>Deletes a topic and its data.</summary>
    public void DeleteTopic(string topic) => Check(LibRdKafka.rd_kafka_mock_topic_delete(Handle, topic), $"delete topic '{topic}'");

    /// <summary>Disconnects broker <paramref name="brokerId"/> (-1: all) and refuses new connections. No leader change.</summary>
    public void SetBrokerDown(int brokerId = -1) => Check(LibRdKafka.rd_kafka_mock_broker_set_down(Handle, brokerId), $"set broker {brokerId} down");

    /// <summary>Lets broker <paramref name="brokerId"/> (-1: all) accept connections again.</summary>
    public void SetBrokerUp(int brokerId = -1) => Check(LibRdKafka.rd_kafka_mock_broker_set_up(Handle, brokerId), $"set broker {brokerId} up");

    /// <summary>Delays every response of broker <paramref name="brokerId"/> (-1: all) by <paramref name="rttMs"/>.</summary>
    public void SetBrokerRtt(int brokerId, int rttMs) => Check(LibRdKafka.rd_kafka_mock_broker_set_rtt(Handle, brokerId, rttMs), $"set broker {brokerId} rtt");

    /// <summary>
    /// The next <paramref name="errors"/>.Length requests with Kafka API key <paramref name="apiKey"/> (0 Produce, 1 Fetch,
    /// 8 OffsetCommit, 11 JoinGroup, 12 Heartbeat, ...) fail with these error codes in order, cluster-wide.
    /// <see cref="Confluent.Kafka.ErrorCode.Local_Transport"/> (-195) makes the broker drop the connection instead.
    /// </summary>
    public void PushRequestErrors(short apiKey, params Confluent.Kafka.ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = Array.ConvertAll(errors, e => (int)e);
        LibRdKafka.rd_kafka_mock_push_request_errors_array(Handle, apiKey, (nuint)codes.Length, codes);
    }

    /// <summary>Drops the errors still queued for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(short apiKey) => LibRdKafka.rd_kafka_mock_clear_request_errors(Handle, apiKey);

    private IntPtr Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            return _cluster;
        }
    }

    private static void Check(int err, string what)
    {
        if (err != 0) throw new InvalidOperationException($"mock cluster: could not {what}: {LibRdKafka.ErrorText(err)}");
    }

    /// <summary>Stops the forwarders and destroys the cluster (its data is lost).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var f in _forwarders) f.Dispose();
            _forwarders.Clear();
            if (_cluster != IntPtr.Zero)
            {
                LibRdKafka.rd_kafka_mock_cluster_destroy(_cluster);
                _cluster = IntPtr.Zero;
                LibRdKafka.rd_kafka_destroy(_rk);
            }
        }
    }
}
