using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emotion.Store;

/// <summary>
/// JSONEachRow encoding of row records: snake_case column names, DateTime as <c>yyyy-MM-dd HH:mm:ss</c> (UTC),
/// Date as <c>yyyy-MM-dd</c>, bool as 1/0 (UInt8), NaN written as null. Reading accepts what ClickHouse writes:
/// 64-bit integers quoted, NaN as null.
/// </summary>
public static class RowJson
{
    /// <summary>The serializer settings used for every table.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new UtcDateTimeConverter());
        o.Converters.Add(new DateOnlyConverter());
        o.Converters.Add(new UInt8BoolConverter());
        o.Converters.Add(new SingleConverter());
        o.Converters.Add(new DoubleConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Writes <paramref name="rows"/> as JSON lines (one object per line) into <paramref name="output"/>.</summary>
    public static void WriteLines<T>(IBufferWriter<byte> output, IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        foreach (var row in rows)
        {
            JsonSerializer.Serialize(writer, row, Options);
            writer.Flush();
            output.Write("\n"u8);
            writer.Reset(output);
        }
    }

    /// <summary>One row as a JSON line (without the newline); for tests and logs.</summary>
    public static string Serialize<T>(T row) => JsonSerializer.Serialize(row, Options);

    /// <summary>Parses JSONEachRow output into rows; blank lines are skipped.</summary>
    public static List<T> ReadLines<T>(ReadOnlySpan<byte> utf8)
    {
        var result = new List<T>();
        while (!utf8.IsEmpty)
        {
            var nl = utf8.IndexOf((byte)'\n');
            var line = nl < 0 ? utf8 : utf8[..nl];
            utf8 = nl < 0 ? [] : utf8[(nl + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty) continue;
            result.Add(JsonSerializer.Deserialize<T>(line, Options)
                ?? throw new JsonException("ClickHouse returned a null row."));
        }
        return result;
    }

    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        private const string Format = "yyyy-MM-dd HH:mm:ss";

        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
                return DateTime.UnixEpoch.AddSeconds(reader.GetInt64());
            var s = reader.GetString() ?? throw new JsonException("DateTime is null.");
            // ClickHouse 18.16 prints the zero DateTime as 0000-00-00 00:00:00; newer releases print the epoch.
            if (s.StartsWith("0000-00-00", StringComparison.Ordinal)) return DateTime.UnixEpoch;
            if (DateTime.TryParseExact(s, Format, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
                return DateTime.SpecifyKind(dt, DateTimeKind.Utc);
            return DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
            // DateTime columns hold whole seconds from 1970 on; earlier values (default(DateTime)) are stored as the epoch.
            if (utc < DateTime.UnixEpoch) utc = DateTime.UnixEpoch;
            writer.WriteStringValue(utc.ToString(Format, CultureInfo.InvariantCulture));
        }
    }

    private sealed class DateOnlyConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var s = reader.GetString() ?? throw new JsonException("Date is null.");
            return s.StartsWith("0000-00-00", StringComparison.Ordinal)
                ? new DateOnly(1970, 1, 1)
                : DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options)
        {
            if (value < new DateOnly(1970, 1, 1)) value = new DateOnly(1970, 1, 1);
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private sealed class UInt8BoolConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Number => reader.GetInt64() != 0,
                JsonTokenType.String => reader.GetString() is "1" or "true",
                _ => throw new JsonException($"Cannot read a flag from {reader.TokenType}."),
            };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value ? 1 : 0);
    }

    private sealed class SingleConverter : JsonConverter<float>
    {
        public override bool HandleNull => true;

        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.Null => float.NaN,
                JsonTokenType.Number => reader.GetSingle(),
                JsonTokenType.String => ParseSpecial(reader.GetString()),
                _ => throw new JsonException($"Cannot read a Float32 from {reader.TokenType}."),
            };

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }

        private static float ParseSpecial(string? s) =>
            s is null || s.Equals("nan", StringComparison.OrdinalIgnoreCase) ? float.NaN
                : s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("+inf", StringComparison.OrdinalIgnoreCase) ? float.PositiveInfinity
                : s.Equals("-inf", StringComparison.OrdinalIgnoreCase) ? float.NegativeInfinity
                : float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private sealed class DoubleConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.Null => double.NaN,
                JsonTokenType.Number => reader.GetDouble(),
                JsonTokenType.String => reader.GetString() is { } s && !s.Equals("nan", StringComparison.OrdinalIgnoreCase)
                    ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)
                    : double.NaN,
                _ => throw new JsonException($"Cannot read a Float64 from {reader.TokenType}."),
            };

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
