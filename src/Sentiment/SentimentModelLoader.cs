using System.Text.Json;

namespace Emotion.Sentiment;

/// <summary>Loads a sentiment model directory, choosing the implementation by the files it holds.</summary>
public static class SentimentModelLoader
{
    /// <summary>
    /// Loads <paramref name="modelDir"/>: <c>tokenizer.json</c> of type emotion-hash-v1 means the project's model
    /// (<see cref="OnnxSentimentModel"/>); <c>config.json</c> with <c>vocab.txt</c> or a <c>*.model</c> file means a
    /// Hugging Face export (<see cref="HuggingFaceSentimentModel"/>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file the model needs is missing; the message names it and the directory.</exception>
    /// <exception cref="InvalidDataException">A file is there but cannot be read as expected.</exception>
    public static ISentimentModel Load(string modelDir, SentimentOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDir);
        options ??= new SentimentOptions();
        options.ThrowIfInvalid();
        var dir = Path.GetFullPath(modelDir);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException(
                $"Sentiment model directory '{dir}' does not exist; set Sentiment:ModelDir (or --model) to a model directory.");
        }

        var tokenizerJson = Path.Combine(dir, OnnxSentimentModel.TokenizerFile);
        if (File.Exists(tokenizerJson) && IsHashTokenizer(tokenizerJson))
        {
            Require(dir, OnnxSentimentModel.ModelFile, "the project's model (tokenizer.json is emotion-hash-v1)");
            Require(dir, OnnxSentimentModel.LabelsFile, "the project's model (tokenizer.json is emotion-hash-v1)");
            return OnnxSentimentModel.Load(dir, options);
        }

        var config = Path.Combine(dir, HuggingFaceSentimentModel.ConfigFile);
        var hasVocab = File.Exists(Path.Combine(dir, HuggingFaceSentimentModel.VocabFile))
            || HuggingFaceSentimentModel.FindSentencePieceFile(dir) is not null;
        if (File.Exists(config) || hasVocab)
        {
            const string kind = "a Hugging Face export";
            Require(dir, HuggingFaceSentimentModel.ConfigFile, kind);
            if (!hasVocab)
            {
                throw new FileNotFoundException(
                    $"'{dir}' looks like {kind} but has no tokenizer: expected {HuggingFaceSentimentModel.VocabFile} (WordPiece) or a SentencePiece *.model file.",
                    Path.Combine(dir, HuggingFaceSentimentModel.VocabFile));
            }
            if (HuggingFaceSentimentModel.FindModelFile(dir) is null)
            {
                throw new FileNotFoundException($"'{dir}' looks like {kind} but has no model.onnx (nor onnx/model.onnx).", Path.Combine(dir, "model.onnx"));
            }
            return HuggingFaceSentimentModel.Load(dir, options);
        }

        if (File.Exists(tokenizerJson))
        {
            throw new InvalidDataException(
                $"{tokenizerJson}: not an emotion-hash-v1 tokenizer, and '{dir}' has no {HuggingFaceSentimentModel.ConfigFile} of a Hugging Face export.");
        }
        throw new FileNotFoundException(
            $"No sentiment model in '{dir}': expected {OnnxSentimentModel.TokenizerFile} (emotion-hash-v1) with {OnnxSentimentModel.ModelFile} and " +
            $"{OnnxSentimentModel.LabelsFile}, or a Hugging Face export ({HuggingFaceSentimentModel.ConfigFile}, model.onnx, and " +
            $"{HuggingFaceSentimentModel.VocabFile} or a SentencePiece *.model).",
            tokenizerJson);
    }

    /// <summary>
    /// Resolves a possibly relative model directory: as given when it exists, else under <paramref name="contentRoot"/>,
    /// else under the repository root (the folder holding Emotion.sln above the working directory or the binary).
    /// Returns the full path of the first candidate that exists, or of the path as given.
    /// </summary>
    public static string ResolveModelDir(string modelDir, string? contentRoot = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelDir);
        if (Path.IsPathRooted(modelDir) || Directory.Exists(modelDir)) return Path.GetFullPath(modelDir);
        if (contentRoot is not null && Directory.Exists(Path.Combine(contentRoot, modelDir))) return Path.GetFullPath(Path.Combine(contentRoot, modelDir));
        if (FindRepoRoot() is { } root && Directory.Exists(Path.Combine(root, modelDir))) return Path.GetFullPath(Path.Combine(root, modelDir));
        return Path.GetFullPath(modelDir);
    }

    /// <summary>The repository root (the folder holding Emotion.sln), searched upward from the working directory and the binary; null when not found.</summary>
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Emotion.sln"))) return dir.FullName;
            }
        }
        return null;
    }

    private static void Require(string dir, string file, string kind)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{dir}' looks like {kind} but has no {file}.", path);
        }
    }

    private static bool IsHashTokenizer(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                && string.Equals(type.GetString(), HashTokenizerOptions.TypeName, StringComparison.Ordinal);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }
}
