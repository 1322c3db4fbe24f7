using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Emotion.Store;

/// <summary>SQL text helpers: literals, identifiers, script splitting and checksums.</summary>
public static class SqlText
{
    /// <summary>A single-quoted ClickHouse string literal; backslash and quote are escaped.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\'': sb.Append("\\'"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('\'').ToString();
    }

    /// <summary>A Date literal, <c>toDate('yyyy-MM-dd')</c>.</summary>
    public static string Date(DateOnly date) =>
        "toDate('" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "')";

    /// <summary>A number literal in invariant culture.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="name"/> is a plain identifier (ASCII letters, digits, underscore; not starting with a digit).</summary>
    public static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0])) return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }

    /// <summary>Throws unless <paramref name="name"/> is a plain identifier; returns it.</summary>
    public static string Identifier(string name, string what) =>
        IsIdentifier(name) ? name : throw new ArgumentException($"{what} '{name}' is not a plain identifier (letters, digits, underscore).", nameof(name));

    /// <summary>
    /// Splits a migration script into statements. A statement ends at a <c>;</c> that is the last non-blank character
    /// of a line; leading blank and <c>--</c> comment lines of each statement are dropped, and so are chunks holding nothing else. (So a comment line must not end
    /// with <c>;</c>.)
    /// </summary>
    public static IReadOnlyList<string> SplitStatements(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<string>();
        var current = new StringBuilder();
        foreach (var rawLine in NormalizeNewlines(script).Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.EndsWith(';'))
            {
                current.Append(line, 0, line.Length - 1).Append('\n');
                Flush();
            }
            else
            {
                current.Append(line).Append('\n');
            }
        }
        Flush();
        return statements;

        void Flush()
        {
            // Leading comment lines (a statement's heading) are dropped; comments inside a statement stay.
            var lines = current.ToString().Split('\n').SkipWhile(l => l.Trim().Length == 0 || l.TrimStart().StartsWith("--", StringComparison.Ordinal));
            var text = string.Join('\n', lines).Trim();
            current.Clear();
            if (HasCode(text)) statements.Add(text);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the script with CRLF/CR turned into LF, so a checkout's line endings do not matter.</summary>
    public static string Checksum(string script) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizeNewlines(script))));

    private static string NormalizeNewlines(string s) => s.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    private static bool HasCode(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0 && !t.StartsWith("--", StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
