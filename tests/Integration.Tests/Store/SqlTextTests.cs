using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

public class SqlTextTests
{
    [Fact]
    public void Statements_are_split_at_semicolons_that_end_a_line()
    {
        var script = "-- header;\nCREATE TABLE a (x String DEFAULT 'a;b') ENGINE = Memory;\n\n-- only a comment\n\nCREATE VIEW v AS SELECT 1 ;  \nSELECT 2";
        var statements = SqlText.SplitStatements(script);
        Assert.Equal(3, statements.Count);
        Assert.Equal("CREATE TABLE a (x String DEFAULT 'a;b') ENGINE = Memory", statements[0]);
        Assert.Equal("CREATE VIEW v AS SELECT 1", statements[1]);
        Assert.Equal("SELECT 2", statements[2]);
    }

    [Fact]
    public void Checksum_ignores_line_endings_but_not_content()
    {
        Assert.Equal(SqlText.Checksum("a\nb\n"), SqlText.Checksum("a\r\nb\r\n"));
        Assert.NotEqual(SqlText.Checksum("a\nb\n"), SqlText.Checksum("a\nc\n"));
    }

    [Fact]
    public void Quote_escapes_quotes_and_backslashes()
    {
        Assert.Equal(@"'it\'s a \\ test'", SqlText.Quote(@"it's a \ test"));
    }

    [Fact]
    public void Embedded_migrations_are_increasing_and_every_statement_can_run_again()
    {
        var migrations = Migrator.Embedded;
        Assert.True(migrations.Count >= 3);
        // Numbers are reserved per branch (0006 audio, 0007 moments and triage, 0008 ...), so a branch may have a gap
        // until the others are merged; the migrator applies whatever is pending in order.
        Assert.Equal(1, migrations[0].Version);
        Assert.Equal(migrations.Select(m => m.Version).Distinct().Order(), migrations.Select(m => m.Version));
        // A migration interrupted half-way is applied again from its start, so each statement must be re-runnable. A
        // backfill (INSERT INTO ... SELECT) runs again too: into a ReplacingMergeTree its rows collapse with the first
        // ones; into an AggregatingMergeTree it doubles sums, which conversation_days (filled first) shows for every day,
        // so the console reads those days from the base tables (0008_console_reads); into analysis_days (SummingMergeTree)
        // it doubles both the rows written and the rows expected, which stay equal exactly when the rows are (0009). An
        // ADD COLUMN that finds its column is taken as done by the migrator; OPTIMIZE merges again.
        Assert.All(migrations.SelectMany(m => m.Statements), s => Assert.Matches(
            new System.Text.RegularExpressions.Regex(@"^((CREATE (TABLE|VIEW|MATERIALIZED VIEW) IF NOT EXISTS|DROP (TABLE|VIEW) IF EXISTS|INSERT INTO \w+( \([\w,\s]+\))?\s+SELECT|ALTER TABLE \w+ ADD COLUMN) |OPTIMIZE TABLE \w+ FINAL$)"), s));
        var engines = migrations.SelectMany(m => m.Statements)
            .Select(s => System.Text.RegularExpressions.Regex.Match(s, @"^CREATE TABLE IF NOT EXISTS (\w+)[\s\S]*ENGINE = (\w+)"))
            .Where(m => m.Success).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.All(migrations.SelectMany(m => m.Statements).Select(s => System.Text.RegularExpressions.Regex.Match(s, @"^INSERT INTO (\w+)")).Where(m => m.Success),
            m => Assert.Contains(engines.GetValueOrDefault(m.Groups[1].Value) ?? "ReplacingMergeTree (0001)", new[] { "ReplacingMergeTree", "AggregatingMergeTree", "SummingMergeTree", "ReplacingMergeTree (0001)" }));
        var inserts = migrations.SelectMany(m => m.Statements).Select(s => System.Text.RegularExpressions.Regex.Match(s, @"^INSERT INTO (\w+)"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.True(inserts.IndexOf("conversation_days") < inserts.IndexOf("client_daily") && inserts.IndexOf("conversation_days") < inserts.IndexOf("agent_daily"),
            "conversation_days is backfilled before the daily sums");
    }

    [Fact]
    public void Migration_file_names_parse_into_version_and_name()
    {
        Assert.Equal((12, "add_index"), Migrator.ParseFileName("Emotion.Store.Migrations.0012_add_index.sql"));
        Assert.Null(Migrator.ParseFileName("notes.sql"));
    }

    [Fact]
    public void Period_starts_are_day_monday_and_first_of_month()
    {
        var thursday = new DateOnly(2024, 3, 7);
        Assert.Equal(thursday, ReportQueries.PeriodStart(thursday, ReportPeriod.Day));
        Assert.Equal(new DateOnly(2024, 3, 4), ReportQueries.PeriodStart(thursday, ReportPeriod.Week));
        Assert.Equal(new DateOnly(2024, 3, 1), ReportQueries.PeriodStart(thursday, ReportPeriod.Month));
        Assert.Equal(new DateOnly(2024, 2, 1), ReportQueries.PreviousPeriodStart(new DateOnly(2024, 3, 1), ReportPeriod.Month));
    }
}
