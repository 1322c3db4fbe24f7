using System.Text.Json;

namespace Emotion.Sentiment;

/// <summary>
/// Parameters of the <c>emotion-hash-v1</c> tokenizer, as stored in a model directory's <c>tokenizer.json</c>
/// (see <c>docs/tokenizer-hash-v1.md</c>).
/// </summary>
public sealed record HashTokenizerOptions
{
    /// <summary>The only tokenizer type this runtime implements.</summary>
    public const string TypeName = "emotion-hash-v1";

    /// <summary>Number of hash buckets; ids are in [1, Buckets - 1], 0 is padding.</summary>
    public int Buckets { get; init; } = 131072;

    /// <summary>Shortest character n-gram.</summary>
    public int MinN { get; init; } = 3;

    /// <summary>Longest character n-gram.</summary>
    public int MaxN { get; init; } = 5;

    /// <summary>Tokens kept per text.</summary>
    public int MaxTokens { get; init; } = 64;

    /// <summary>Features (word + n-grams) kept per token: the first <c>MaxSubwords</c> columns of each token row.</summary>
    public int MaxSubwords { get; init; } = 16;

    /// <summary>
    /// Step 0 (<c>"unescape"</c>, default false): literal <c>\uXXXX</c> escapes in the text (JSON escaped twice
    /// upstream) become the characters they stand for before anything else.
    /// </summary>
    public bool Unescape { get; init; }

    /// <summary>
    /// Step 1b (<c>"emoticons"</c>, default false): chunks such as <c>:)</c>, <c>:-(</c>, <c>&lt;3</c> or <c>xD</c>
    /// become placeholder words (<c>emosmile</c>, <c>emofrown</c>, <c>emoheart</c>, <c>emolaugh</c>...).
    /// </summary>
    public bool Emoticons { get; init; }

    /// <summary>
    /// The optional word vocabulary (<c>"vocab"</c>). With one, every token row has one more column after the
    /// features: the vocabulary id of the token when it is a word token, else 0.
    /// </summary>
    public HashVocabulary? Vocabulary { get; init; }

    /// <summary>Columns per token row, the last dimension of <c>input_ids</c>: <c>MaxSubwords</c>, plus 1 with a <see cref="Vocabulary"/>.</summary>
    public int Width => Vocabulary is null ? MaxSubwords : MaxSubwords + 1;

    /// <summary>Ids per text: <c>MaxTokens * Width</c>.</summary>
    public int IdsPerText => MaxTokens * Width;

    /// <summary>
    /// Reads <c>tokenizer.json</c> and the vocabulary file it names, if any; throws <see cref="InvalidDataException"/>
    /// naming the file when it is not an emotion-hash-v1 file or its vocabulary is missing or invalid.
    /// </summary>
    public static HashTokenizerOptions Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (!string.Equals(type, TypeName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: \"type\" is '{type}', this runtime reads only '{TypeName}'.");
        }
        var options = new HashTokenizerOptions
        {
            Buckets = ReadInt(root, "buckets", 131072, path),
            MinN = ReadInt(root, "min_n", 3, path),
            MaxN = ReadInt(root, "max_n", 5, path),
            MaxTokens = ReadInt(root, "max_tokens", 64, path),
            MaxSubwords = ReadInt(root, "max_subwords", 16, path),
            Unescape = ReadBool(root, "unescape", path),
            Emoticons = ReadBool(root, "emoticons", path),
            Vocabulary = ReadVocabulary(root, path),
        };
        options.Validate(path);
        return options;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a parameter is out of range.</summary>
    public void Validate(string source = "tokenizer options")
    {
        if (Buckets < 2) throw new InvalidDataException($"{source}: buckets must be >= 2 (is {Buckets}).");
        if (MinN < 1 || MaxN < MinN) throw new InvalidDataException($"{source}: need 1 <= min_n <= max_n (are {MinN}, {MaxN}).");
        if (MaxTokens < 1) throw new InvalidDataException($"{source}: max_tokens must be >= 1 (is {MaxTokens}).");
        if (MaxSubwords < 1) throw new InvalidDataException($"{source}: max_subwords must be >= 1 (is {MaxSubwords}).");
    }

    // "vocab": a file name relative to the directory of tokenizer.json, which must stay inside that directory.
    private static HashVocabulary? ReadVocabulary(JsonElement root, string path)
    {
        if (!root.TryGetProperty("vocab", out var value)) return null;
        var name = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new InvalidDataException($"{path}: \"vocab\" must be the name of a file in the model directory, such as \"vocab.txt\".");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var file = Path.GetFullPath(Path.Combine(dir, name));
        var relative = Path.GetRelativePath(dir, file);
        if (Path.IsPathRooted(name) || Path.IsPathRooted(relative) || relative == ".."
            || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative == ".")
        {
            throw new InvalidDataException($"{path}: \"vocab\" is '{name}'; it must be a relative path to a file inside '{dir}'.");
        }
        if (!File.Exists(file))
        {
            throw new InvalidDataException($"{path}: \"vocab\" names '{name}', but {file} does not exist.");
        }
        return HashVocabulary.Load(file);
    }

    private static bool ReadBool(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value)) return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"{path}: \"{name}\" must be true or false."),
        };
    }

    private static int ReadInt(JsonElement root, string name, int fallback, string path)
    {
        if (!root.TryGetProperty(name, out var value)) return fallback;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result))
        {
            throw new InvalidDataException($"{path}: \"{name}\" must be an integer.");
        }
        return result;
    }
}
