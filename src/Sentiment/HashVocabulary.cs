using System.Collections.Frozen;
using System.Text;

namespace Emotion.Sentiment;

/// <summary>
/// The optional word vocabulary of an <c>emotion-hash-v1</c> tokenizer (<c>tokenizer.json</c> <c>"vocab"</c>,
/// docs/tokenizer-hash-v1.md): one token per line, line i (1-based) has id i, 0 means "not in the vocabulary".
/// </summary>
/// <remarks>Immutable and thread-safe; <see cref="IdOf"/> does not allocate.</remarks>
public sealed class HashVocabulary
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private HashVocabulary(string path, FrozenDictionary<string, int> ids)
    {
        Path = path;
        Count = ids.Count;
        _lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The file the vocabulary was read from.</summary>
    public string Path { get; }

    /// <summary>Number of entries; ids are 1..Count.</summary>
    public int Count { get; }

    /// <summary>The id of <paramref name="token"/> (its 1-based line), or 0 when it is not in the vocabulary.</summary>
    public int IdOf(ReadOnlySpan<char> token) => _lookup.TryGetValue(token, out var id) ? id : 0;

    /// <summary>
    /// Reads a vocabulary file: UTF-8 without byte order mark, lines separated by <c>\n</c>, an optional final
    /// newline. Throws <see cref="InvalidDataException"/> naming the file and line for invalid UTF-8, a <c>\r</c>,
    /// an empty line, a repeated line or a file without lines.
    /// </summary>
    public static HashVocabulary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = File.ReadAllBytes(path);
        // Python's utf-8 codec keeps a BOM as U+FEFF in the first token, .NET's readers drop it: refuse it so both
        // sides cannot disagree on the first entry.
        if (bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble))
        {
            throw new InvalidDataException($"{path}: starts with a UTF-8 byte order mark; write the vocabulary as UTF-8 without one.");
        }
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path}: not valid UTF-8 (byte {e.Index}).", e);
        }

        var body = text.AsSpan();
        if (body.EndsWith('\n')) body = body[..^1];
        if (body.IsEmpty)
        {
            throw new InvalidDataException($"{path}: the vocabulary has no lines.");
        }

        var ids = new Dictionary<string, int>(body.Count('\n') + 1, StringComparer.Ordinal);
        var line = 0;
        foreach (var range in body.Split('\n'))
        {
            line++;
            var token = body[range];
            if (token.IsEmpty)
            {
                throw new InvalidDataException($"{path}: line {line} is empty; every line must hold one token.");
            }
            if (token.Contains('\r'))
            {
                throw new InvalidDataException($"{path}: line {line} contains '\\r'; separate lines with '\\n' only.");
            }
            var key = token.ToString();
            if (!ids.TryAdd(key, line))
            {
                throw new InvalidDataException($"{path}: line {line} repeats '{key}' from line {ids[key]}; every token must appear once.");
            }
        }
        return new HashVocabulary(path, ids.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
