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

    /// <summary>Features (word + n-grams) kept per token: the last dimension of <c>input_ids</c>.</summary>
    public int MaxSubwords { get; init; } = 16;

    /// <summary>Reads <c>tokenizer.json</c>; throws <see cref="InvalidDataException"/> naming the file when it is not an emotion-hash-v1 file.</summary>
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
