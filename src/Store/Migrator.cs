using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Emotion.Store;

/// <summary>A migration script: <c>Migrations/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script (line endings normalized).</summary>
    public string Checksum { get; } = SqlText.Checksum(Sql);

    /// <summary>The script's statements, in order.</summary>
    public IReadOnlyList<string> Statements => SqlText.SplitStatements(Sql);
}

/// <summary>A row of <c>schema_migrations</c>.</summary>
public sealed record AppliedMigration(uint Version, string Name, string Checksum, DateTime AppliedAt);

/// <summary>What <see cref="Migrator.MigrateAsync(CancellationToken)"/> did.</summary>
public sealed record MigrationResult(string Database, bool CreatedDatabase, IReadOnlyList<Migration> Applied, IReadOnlyList<AppliedMigration> AlreadyApplied);

/// <summary>An applied migration no longer matches the script this build carries, or the database is ahead of it.</summary>
public sealed class MigrationMismatchException : InvalidOperationException
{
    public MigrationMismatchException() { }
    public MigrationMismatchException(string message) : base(message) { }
    public MigrationMismatchException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Applies the embedded migrations: creates the database if missing, keeps <c>schema_migrations</c>
/// (version, name, checksum, applied_at), applies pending scripts in version order and records each after all its
/// statements succeeded. Refuses to run when an applied script's checksum changed. Running it again is a no-op.
/// Statements use IF NOT EXISTS, so a script interrupted half way is finished by the next run.
/// Not safe to run from two processes at once (ClickHouse has no transactions or locks for this).
/// </summary>
public sealed partial class Migrator(ClickHouseStore store, ILogger<Migrator>? logger = null)
{
    private readonly ILogger logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The migrations embedded in this assembly, by version.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    /// <summary>Applies the embedded migrations.</summary>
    public Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken = default) =>
        MigrateAsync(Embedded, cancellationToken);

    /// <summary>Applies <paramref name="migrations"/> (tests pass their own list).</summary>
    public async Task<MigrationResult> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        var duplicate = ordered.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new MigrationMismatchException($"Two migrations have version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");

        var created = false;
        if (!await store.DatabaseExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            await store.ExecuteInAsync("default", $"CREATE DATABASE IF NOT EXISTS {store.Database}", cancellationToken).ConfigureAwait(false);
            created = true;
            logger.LogInformation("Created database {Database}", store.Database);
        }
        await store.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {StoreTables.SchemaMigrations} (version UInt32, name String, checksum String, applied_at DateTime('UTC')) ENGINE = MergeTree ORDER BY version",
            cancellationToken).ConfigureAwait(false);

        var applied = await GetAppliedAsync(cancellationToken).ConfigureAwait(false);
        var known = ordered.ToDictionary(m => m.Version);
        foreach (var a in applied)
        {
            if (!known.TryGetValue((int)a.Version, out var m))
                throw new MigrationMismatchException(
                    $"Database '{store.Database}' has migration {a.Version} ({a.Name}) applied, which this build does not have. Use a build that includes it, or a new database.");
            if (!string.Equals(m.Checksum, a.Checksum, StringComparison.Ordinal))
                throw new MigrationMismatchException(
                    $"Migration {m.Version:D4}_{m.Name} was changed after it was applied to database '{store.Database}' " +
                    $"(applied checksum {a.Checksum}, script checksum {m.Checksum}). Applied migrations must not be edited: " +
                    "restore the original script and put the change in a new migration.");
        }

        var done = applied.Select(a => (int)a.Version).ToHashSet();
        var newlyApplied = new List<Migration>();
        foreach (var m in ordered.Where(m => !done.Contains(m.Version)))
        {
            foreach (var statement in m.Statements)
            {
                try
                {
                    await store.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException && IsColumnAlreadyAdded(statement, e))
                {
                    // 18.16 has no ADD COLUMN IF NOT EXISTS: a script stopped after its ALTER and run again finds the column.
                    logger.LogInformation("Migration {Version:D4}_{Name}: {Message}; taken as done", m.Version, m.Name, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"Migration {m.Version:D4}_{m.Name} failed in database '{store.Database}': {e.Message}", e);
                }
            }
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await store.ExecuteAsync(
                $"INSERT INTO {StoreTables.SchemaMigrations} (version, name, checksum, applied_at) VALUES " +
                $"({m.Version.ToString(CultureInfo.InvariantCulture)}, {SqlText.Quote(m.Name)}, {SqlText.Quote(m.Checksum)}, {SqlText.Quote(now)})",
                cancellationToken).ConfigureAwait(false);
            newlyApplied.Add(m);
            logger.LogInformation("Applied migration {Version:D4}_{Name} to {Database}", m.Version, m.Name, store.Database);
        }
        return new MigrationResult(store.Database, created, newlyApplied, applied);
    }

    /// <summary>The migrations recorded in <c>schema_migrations</c>, by version (empty when the table is missing).</summary>
    public async Task<IReadOnlyList<AppliedMigration>> GetAppliedAsync(CancellationToken cancellationToken = default)
    {
        if (!await store.DatabaseExistsAsync(cancellationToken).ConfigureAwait(false)) return [];
        var exists = await store.QueryAsync<CountRow>(
            $"SELECT count() AS n FROM system.tables WHERE database = {SqlText.Quote(store.Database)} AND name = '{StoreTables.SchemaMigrations}'",
            cancellationToken).ConfigureAwait(false);
        if (exists.Count == 0 || exists[0].N == 0) return [];
        return await store.QueryAsync<AppliedMigration>(
            $"SELECT version, name, checksum, applied_at FROM {StoreTables.SchemaMigrations} ORDER BY version, applied_at LIMIT 1 BY version",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An <c>ALTER TABLE ... ADD COLUMN</c> refused because the column exists (ClickHouse error 44, ILLEGAL_COLUMN: "Code: 44," on 18.16, "Code: 44." on current releases).</summary>
    internal static bool IsColumnAlreadyAdded(string statement, Exception e) =>
        statement.TrimStart().StartsWith("ALTER TABLE", StringComparison.OrdinalIgnoreCase)
        && statement.Contains("ADD COLUMN", StringComparison.OrdinalIgnoreCase)
        && (e.Message.Contains("Code: 44,", StringComparison.Ordinal) || e.Message.Contains("Code: 44.", StringComparison.Ordinal));

    /// <summary>Parses a migration file name: <c>0001_initial.sql</c> → (1, initial).</summary>
    public static (int Version, string Name)? ParseFileName(string fileName)
    {
        var m = FileNamePattern().Match(fileName);
        return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value) : null;
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migrator).Assembly;
        var result = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            if (ParseFileName(resource) is not { } parsed) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            result.Add(new Migration(parsed.Version, parsed.Name, reader.ReadToEnd()));
        }
        return [.. result.OrderBy(m => m.Version)];
    }

    [GeneratedRegex(@"(\d{4})_([A-Za-z0-9_]+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    private sealed record CountRow(long N);
}
