using System.Text;
using Emotion.Store;

namespace Emotion.Integration.Tests.Store;

public class RowJsonTests
{
    [Fact]
    public void Rows_serialize_with_snake_case_columns_clickhouse_dates_and_flags_as_numbers()
    {
        var row = new MemorableMomentRow
        {
            Tenant = "acme", ConversationId = "c1", Date = new DateOnly(2024, 3, 7), Turn = 4, Valence = 0.75f,
            Emotion = "joy", Text = "¡Gracias, \"genial\"!", AfterNegativeStart = true, Version = 18446744073709551615,
        };
        var json = RowJson.Serialize(row);
        Assert.Equal(
            "{\"tenant\":\"acme\",\"conversation_id\":\"c1\",\"date\":\"2024-03-07\",\"agent_id\":\"\",\"team_id\":\"\",\"campaign\":\"\",\"queue\":\"\",\"turn\":4,\"valence\":0.75,\"emotion\":\"joy\"," +
            "\"text\":\"¡Gracias, \\\"genial\\\"!\",\"after_negative_start\":1,\"version\":18446744073709551615}",
            json);
    }

    [Fact]
    public void Datetimes_are_written_in_utc_seconds_and_nan_as_null()
    {
        var row = new AlertRow
        {
            Tenant = "t", ConversationId = "c", Date = new DateOnly(2024, 1, 2), Rule = "r",
            ProducedAt = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), ValenceTrend = float.NaN,
        };
        var json = RowJson.Serialize(row);
        Assert.Contains("\"produced_at\":\"2024-01-02 03:04:05\"", json, StringComparison.Ordinal);
        Assert.Contains("\"valence_trend\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"alerted_at\":\"1970-01-01 00:00:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Clickhouse_output_with_quoted_uint64_and_null_floats_parses()
    {
        var lines = "{\"tenant\":\"t\",\"conversation_id\":\"c\",\"date\":\"2024-01-02\",\"driver\":\"process\",\"share\":null,\"topic\":\"fees\",\"evidence_turns\":[1,2],\"version\":\"7\"}\n\n";
        var rows = RowJson.ReadLines<DriverRow>(Encoding.UTF8.GetBytes(lines));
        var row = Assert.Single(rows);
        Assert.True(float.IsNaN(row.Share));
        Assert.Equal(7UL, row.Version);
        Assert.Equal([1u, 2u], row.EvidenceTurns);
    }

    [Fact]
    public void Json_lines_end_each_row_with_a_newline()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        RowJson.WriteLines(buffer, new[]
        {
            new BehaviourRow { Tenant = "t", ConversationId = "a", Date = new DateOnly(2024, 1, 1), Behaviour = "empathy", Count = 1 },
            new BehaviourRow { Tenant = "t", ConversationId = "b", Date = new DateOnly(2024, 1, 1), Behaviour = "empathy", Count = 2 },
        });
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.Equal(2, text.Count(c => c == '\n'));
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }
}
