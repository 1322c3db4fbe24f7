using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Emotion.Store;

/// <summary>Settings of the ClickHouse store, bound from the <c>ClickHouse</c> configuration section.</summary>
public sealed class ClickHouseOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "ClickHouse";

    /// <summary>The local server that <c>scripts/clickhouse.sh start</c> runs.</summary>
    public const string DefaultConnectionString =
        "Host=127.0.0.1;Port=8123;Database=emotion;Username=default;JsonReadMode=None;JsonWriteMode=None";

    /// <summary>
    /// ClickHouse.Driver connection string (HTTP interface). Keep <c>JsonReadMode=None;JsonWriteMode=None</c>:
    /// the driver otherwise asks the server for JSON settings that ClickHouse 18.16 rejects.
    /// </summary>
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>Database to use; when empty, the connection string's <c>Database</c>, else <c>emotion</c>.</summary>
    public string? Database { get; set; }

    /// <summary>Most rows sent in one INSERT; larger writes are split. ClickHouse prefers few large inserts.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>How long a buffered writer waits for a batch to fill before it writes what it has.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Retries of a request that failed on its own (ClickHouse timeout or memory limit, unknown insert status) or with
    /// an unknown table or database while the server still answers <c>SELECT 1</c>. Outages are not counted here; see
    /// <see cref="OutageRetryFor"/>.
    /// </summary>
    public int RetryCount { get; set; } = 5;

    /// <summary>
    /// How long a request waits out a ClickHouse outage (connection refused or reset, timeouts, HTTP 5xx without a
    /// ClickHouse error, network or overload codes, an unknown table while the server does not answer <c>SELECT 1</c>,
    /// as during a restart), retrying with backoff up to <see cref="RetryMaxDelay"/>. Zero (the default) means forever:
    /// <c>emotion run</c> resumes by itself when ClickHouse is back.
    /// </summary>
    public TimeSpan OutageRetryFor { get; set; } = TimeSpan.Zero;

    /// <summary>Delay before the first retry; each further retry doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between two retries.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The database this configuration names.</summary>
    public string ResolveDatabase()
    {
        if (!string.IsNullOrWhiteSpace(Database)) return Database;
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ClickHouse:ConnectionString is not a valid connection string: {e.Message}", e);
        }
        return builder.TryGetValue("Database", out var db) && db is string { Length: > 0 } name ? name : "emotion";
    }
}

/// <summary>Checks <see cref="ClickHouseOptions"/> at start-up, naming the setting to change.</summary>
internal sealed class ClickHouseOptionsValidator : IValidateOptions<ClickHouseOptions>
{
    public ValidateOptionsResult Validate(string? name, ClickHouseOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            failures.Add("ClickHouse:ConnectionString is empty; set it (e.g. " + ClickHouseOptions.DefaultConnectionString + ").");
        else
        {
            try
            {
                var db = options.ResolveDatabase();
                if (!SqlText.IsIdentifier(db))
                    failures.Add($"ClickHouse:Database '{db}' is not a plain identifier (letters, digits, underscore).");
            }
            catch (InvalidOperationException e)
            {
                failures.Add(e.Message);
            }
        }
        if (options.BatchSize is < 1 or > 1_000_000)
            failures.Add($"ClickHouse:BatchSize must be in 1..1000000 (got {options.BatchSize}).");
        if (options.FlushInterval <= TimeSpan.Zero)
            failures.Add($"ClickHouse:FlushInterval must be positive (got {options.FlushInterval}).");
        if (options.RetryCount is < 0 or > 100)
            failures.Add($"ClickHouse:RetryCount must be in 0..100 (got {options.RetryCount}).");
        if (options.OutageRetryFor < TimeSpan.Zero)
            failures.Add($"ClickHouse:OutageRetryFor must be >= 0 (0 = wait forever; got {options.OutageRetryFor}).");
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
            failures.Add("ClickHouse:RetryBaseDelay must be >= 0 and <= ClickHouse:RetryMaxDelay.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
