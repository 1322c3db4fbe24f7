using System.CommandLine;
using Emotion.Store;

namespace Emotion.Host.Commands;

/// <summary>The <c>emotion migrate</c> command: creates the database if missing and applies pending migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var clickHouse = CommonOptions.ClickHouse();
        var database = new Option<string?>("--database")
        {
            Description = "Database to migrate. Default: the connection string's Database, else 'emotion'.",
        };
        var list = new Option<bool>("--status")
        {
            Description = "Only list applied and pending migrations; change nothing.",
        };
        var command = new Command("migrate", "Create the ClickHouse database if missing and apply pending schema migrations (idempotent).");
        command.Options.Add(clickHouse);
        command.Options.Add(database);
        command.Options.Add(list);
        command.SetAction(async (parseResult, ct) =>
        {
            var options = new ClickHouseOptions
            {
                ConnectionString = CommonOptions.ResolveClickHouse(parseResult.GetValue(clickHouse)),
                Database = parseResult.GetValue(database),
            };
            try
            {
                using var store = new ClickHouseStore(options);
                // Said at once: otherwise every statement would wait out its retries against a server that is not there.
                if (await Preflight.ClickHouseAsync(store, ct) is { } chError)
                {
                    Console.Error.WriteLine($"emotion migrate: {chError}");
                    return 1;
                }
                var migrator = new Migrator(store);
                if (parseResult.GetValue(list))
                {
                    var applied = await migrator.GetAppliedAsync(ct);
                    var done = applied.Select(a => (int)a.Version).ToHashSet();
                    foreach (var a in applied)
                        Console.WriteLine($"applied  {a.Version:D4}_{a.Name}  {a.AppliedAt:yyyy-MM-dd HH:mm:ss}Z  {a.Checksum[..12]}");
                    foreach (var m in Migrator.Embedded.Where(m => !done.Contains(m.Version)))
                        Console.WriteLine($"pending  {m.Version:D4}_{m.Name}");
                    return 0;
                }
                var result = await migrator.MigrateAsync(ct);
                if (result.CreatedDatabase) Console.WriteLine($"created database {result.Database}");
                foreach (var m in result.Applied) Console.WriteLine($"applied {m.Version:D4}_{m.Name}");
                Console.WriteLine(result.Applied.Count == 0
                    ? $"database {result.Database} is up to date ({result.AlreadyApplied.Count} migrations)"
                    : $"database {result.Database}: {result.Applied.Count} migration(s) applied");
                return 0;
            }
            catch (MigrationMismatchException e)
            {
                Console.Error.WriteLine($"emotion migrate: {e.Message}");
                return 3;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"emotion migrate: cannot reach ClickHouse ({e.Message}). Start it with scripts/clickhouse.sh start, or pass --clickhouse / set EMOTION_CLICKHOUSE.");
                return 1;
            }
        });
        return command;
    }
}
