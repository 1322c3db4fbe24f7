using System.Reflection;
using System.Runtime.InteropServices;

namespace Emotion.Ingest.Kafka.Mock;

/// <summary>
/// P/Invoke declarations for the parts of librdkafka that Confluent.Kafka does not wrap: a bare client handle and
/// the mock cluster. Signatures are from librdkafka 2.16.0's <c>rdkafka.h</c> and <c>rdkafka_mock.h</c>
/// (in the librdkafka.redist package, build/native/include/librdkafka). The mock API is marked experimental
/// upstream, so it is kept behind <see cref="MockKafkaCluster"/>.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Lib = "librdkafka";

    public const int ProducerType = 0; // RD_KAFKA_PRODUCER
    public const int ConfOk = 0;       // RD_KAFKA_CONF_OK

    static LibRdKafka() => NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);

    private static IntPtr s_handle;

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Lib) return IntPtr.Zero;
        if (s_handle != IntPtr.Zero) return s_handle;
        foreach (var candidate in Candidates())
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                s_handle = handle;
                return handle;
            }
        }
        throw new DllNotFoundException(
            "librdkafka was not found next to the application (runtimes/<rid>/native/). " +
            "It comes with the librdkafka.redist package that Confluent.Kafka depends on; build the project that references Emotion.Ingest.");
    }

    /// <summary>
    /// The same files Confluent.Kafka tries on Linux x64: the centos8 build first (it links no SASL library,
    /// whereas the plain <c>librdkafka.so</c> needs libsasl2.so.3, missing on Debian 12), then the plain one.
    /// </summary>
    private static IEnumerable<string> Candidates()
    {
        var baseDir = AppContext.BaseDirectory;
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var dirs = new[] { Path.Combine(baseDir, "runtimes", rid, "native"), baseDir };
        string[] names = OperatingSystem.IsLinux()
            ? ["centos8-librdkafka.so", "librdkafka.so", "alpine-librdkafka.so"]
            : OperatingSystem.IsMacOS() ? ["librdkafka.dylib"] : ["librdkafka.dll"];
        foreach (var dir in dirs)
        {
            foreach (var n in names) yield return Path.Combine(dir, n);
        }
    }

    [LibraryImport(Lib)]
    public static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Lib)]
    public static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Lib)]
    public static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

    [LibraryImport(Lib)]
    public static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Lib)]
    public static partial IntPtr rd_kafka_err2str(int err);

    [LibraryImport(Lib)]
    public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCnt);

    [LibraryImport(Lib)]
    public static partial void rd_kafka_mock_cluster_destroy(IntPtr mcluster);

    [LibraryImport(Lib)]
    public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCnt, int replicationFactor);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rd_kafka_mock_topic_delete(IntPtr mcluster, string topic);

    [LibraryImport(Lib)]
    public static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib)]
    public static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib)]
    public static partial int rd_kafka_mock_broker_set_rtt(IntPtr mcluster, int brokerId, int rttMs);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void rd_kafka_mock_broker_set_host_port(IntPtr mcluster, int brokerId, string host, int port);

    // rd_kafka_mock_push_request_errors is variadic; the _array form takes the same arguments as a pointer.
    [LibraryImport(Lib)]
    public static partial void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, nuint cnt, int[] errors);

    [LibraryImport(Lib)]
    public static partial void rd_kafka_mock_clear_request_errors(IntPtr mcluster, short apiKey);

    [LibraryImport(Lib)]
    public static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    public static string ErrorText(int err) => Marshal.PtrToStringUTF8(rd_kafka_err2str(err)) ?? err.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string ErrString(byte[] buffer)
    {
        var len = Array.IndexOf(buffer, (byte)0);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, len < 0 ? buffer.Length : len);
    }
}
