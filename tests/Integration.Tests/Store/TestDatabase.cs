using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

/// <summary>
/// A fresh database <c>emotion_test_&lt;guid&gt;</c> on the ClickHouse server named by <c>EMOTION_CLICKHOUSE</c>
/// (set by the test script after <c>scripts/clickhouse.sh start</c>); dropped on dispose.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private const string LocalDefault = "Host=127.0.0.1;Port=8123;Database=emotion;Username=default;JsonReadMode=None;JsonWriteMode=None";

    private TestDatabase(ClickHouseStore store) => Store = store;

    public ClickHouseStore Store { get; }

    public ReportQueries Reports => new(Store);

    public static string ConnectionString
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("EMOTION_CLICKHOUSE");
            if (!string.IsNullOrWhiteSpace(env)) return env;
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    "EMOTION_CLICKHOUSE is not set. In CI the ClickHouse tests need a server: run scripts/clickhouse.sh start and export its output as EMOTION_CLICKHOUSE.");
            return LocalDefault;
        }
    }

    /// <summary>An empty database that does not exist yet (no migrations).</summary>
    public static TestDatabase CreateEmpty(int batchSize = 5000) =>
        new(new ClickHouseStore(new ClickHouseOptions
        {
            ConnectionString = ConnectionString,
            Database = "emotion_test_" + Guid.NewGuid().ToString("N"),
            BatchSize = batchSize,
            RetryCount = 1,
        }));

    /// <summary>A database with every migration applied.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(int batchSize = 5000)
    {
        var db = CreateEmpty(batchSize);
        await new Migrator(db.Store).MigrateAsync();
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Store.ExecuteInAsync("default", $"DROP DATABASE IF EXISTS {Store.Database}");
        }
        finally
        {
            Store.Dispose();
        }
    }
}
