using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

public class MigratorTests
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_create_every_table_and_view()
    {
        await using var db = TestDatabase.CreateEmpty();
        var result = await new Migrator(db.Store).MigrateAsync();

        Assert.True(result.CreatedDatabase);
        Assert.Equal(Migrator.Embedded.Select(m => m.Version), result.Applied.Select(m => m.Version));
        var tables = (await db.Store.QueryAsync<NameRow>(
            $"SELECT name FROM system.tables WHERE database = {SqlText.Quote(db.Store.Database)} ORDER BY name")).Select(r => r.Name).ToList();
        foreach (var expected in new[]
                 {
                     "utterances", "conversations", "conversation_events", "conversation_phases", "conversation_drivers",
                     "agent_behaviours", "memorable_moments", "alerts", "schema_migrations", "v_conversations", "v_phases",
                     "v_drivers", "v_behaviours", "v_memorable_moments", "v_agent_daily", "v_client_daily",
                     "v_process_drivers_daily", "v_quality_experience", "conversation_moments", "conversation_triage", "v_moments", "v_triage",
                     "utterance_words", "conversation_days", "client_daily", "agent_daily", "analysis_days",
                 })
        {
            Assert.Contains(expected, tables);
        }
    }

    [Fact]
    public async Task Migrations_run_twice_apply_nothing_the_second_time()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var second = await new Migrator(db.Store).MigrateAsync();

        Assert.False(second.CreatedDatabase);
        Assert.Empty(second.Applied);
        Assert.Equal(Migrator.Embedded.Count, second.AlreadyApplied.Count);
        var applied = await new Migrator(db.Store).GetAppliedAsync();
        Assert.Equal(Migrator.Embedded.Select(m => m.Checksum), applied.Select(a => a.Checksum));
    }

    [Fact]
    public async Task Migrator_refuses_when_an_applied_migration_was_changed()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var edited = Migrator.Embedded
            .Select(m => m.Version == 1 ? new Migration(m.Version, m.Name, m.Sql + "\n-- edited\n") : m)
            .ToList();

        var error = await Assert.ThrowsAsync<MigrationMismatchException>(() => new Migrator(db.Store).MigrateAsync(edited));
        Assert.Contains("0001_initial was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_migration_stopped_after_its_add_column_runs_again_to_the_end()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // The first run added the column and stopped before the next statement (18.16 has no ADD COLUMN IF NOT EXISTS).
        await db.Store.ExecuteAsync("ALTER TABLE conversations ADD COLUMN extra_col String DEFAULT ''");
        var extra = new Migration(99, "extra_column",
            "ALTER TABLE conversations ADD COLUMN extra_col String DEFAULT '';\nCREATE TABLE IF NOT EXISTS after_column (x UInt8) ENGINE = Memory;\n");
        var result = await new Migrator(db.Store).MigrateAsync([.. Migrator.Embedded, extra]);

        Assert.Equal([99], result.Applied.Select(m => m.Version));
        Assert.Single(await db.Store.QueryAsync<NameRow>($"SELECT name FROM system.tables WHERE database = {SqlText.Quote(db.Store.Database)} AND name = 'after_column'"));
        // Any other failure of an ALTER still stops the migration.
        var broken = new Migration(100, "broken", "ALTER TABLE no_such_table ADD COLUMN c String;\n");
        await Assert.ThrowsAsync<InvalidOperationException>(() => new Migrator(db.Store).MigrateAsync([.. Migrator.Embedded, extra, broken]));
    }

    [Fact]
    public async Task A_new_migration_is_applied_after_the_existing_ones()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var extra = new Migration(99, "extra", "CREATE TABLE IF NOT EXISTS extra_table (x UInt8) ENGINE = Memory;\n");
        var result = await new Migrator(db.Store).MigrateAsync([.. Migrator.Embedded, extra]);

        var applied = Assert.Single(result.Applied);
        Assert.Equal(99, applied.Version);
        Assert.Single(await db.Store.QueryAsync<NameRow>("SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'extra_table'"));
    }

    private sealed record NameRow(string Name);
}
