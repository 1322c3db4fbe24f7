using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Emotion.Sentiment;

/// <summary>
/// A standard Hugging Face sequence-classification export: <c>input_ids</c>, <c>attention_mask</c> and, when the
/// graph has it, <c>token_type_ids</c> in; <c>logits</c> [batch, labels] out. Labels come from
/// <c>config.json</c> <c>id2label</c> (see <see cref="HuggingFaceLabelMap"/>); the tokenizer is a WordPiece
/// <c>vocab.txt</c> (BERT rules, <c>do_lower_case</c> and <c>strip_accents</c> from <c>tokenizer_config.json</c>)
/// or a SentencePiece <c>*.model</c>. Texts are truncated to <see cref="SentimentOptions.MaxSequenceLength"/>
/// tokens, special tokens included. One long-lived <see cref="InferenceSession"/>; thread-safe.
/// </summary>
public sealed partial class HuggingFaceSentimentModel : ISentimentModel
{
    /// <summary>The model configuration file.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>The WordPiece vocabulary file.</summary>
    public const string VocabFile = "vocab.txt";

    /// <summary>The tokenizer settings file (optional).</summary>
    public const string TokenizerConfigFile = "tokenizer_config.json";

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly ITextEncoder _encoder;
    private readonly HuggingFaceLabelMap _labels;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _int32Inputs;
    private readonly int _maxBatch;
    private readonly int _maxLength;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private bool _disposed;

    private HuggingFaceSentimentModel(string modelPath, SentimentOptions options, ITextEncoder encoder, HuggingFaceLabelMap labels, string version)
    {
        _encoder = encoder;
        _labels = labels;
        _maxBatch = options.MaxBatchSize;
        _maxLength = options.MaxSequenceLength;
        Version = version;
        _sessionOptions = options.CreateSessionOptions();
        try
        {
            _session = new InferenceSession(modelPath, _sessionOptions);
        }
        catch
        {
            _sessionOptions.Dispose();
            _runOptions.Dispose();
            throw;
        }

        var inputs = _session.InputMetadata;
        if (!inputs.TryGetValue("input_ids", out var idsMeta))
        {
            Dispose();
            throw new InvalidDataException($"{modelPath}: no input 'input_ids' (inputs: {string.Join(", ", inputs.Keys)}).");
        }
        var unknown = inputs.Keys.Where(k => k is not ("input_ids" or "attention_mask" or "token_type_ids")).ToArray();
        if (unknown.Length > 0)
        {
            Dispose();
            throw new InvalidDataException($"{modelPath}: unsupported inputs {string.Join(", ", unknown)}; expected input_ids, attention_mask, token_type_ids.");
        }
        _int32Inputs = idsMeta.ElementDataType == TensorElementType.Int32;
        _inputNames = new[] { "input_ids", "attention_mask", "token_type_ids" }.Where(inputs.ContainsKey).ToArray();
        var output = _session.OutputMetadata.ContainsKey("logits") ? "logits" : _session.OutputNames[0];
        _outputNames = [output];
    }

    /// <summary>Loads the export in <paramref name="modelDir"/>; prefer <see cref="SentimentModelLoader.Load"/>, which checks the files first.</summary>
    public static HuggingFaceSentimentModel Load(string modelDir, SentimentOptions? options = null)
    {
        options ??= new SentimentOptions();
        options.ThrowIfInvalid();
        var configPath = Path.Combine(modelDir, ConfigFile);
        var (labels, name) = ReadConfig(configPath);
        var map = HuggingFaceLabelMap.Create(labels, configPath);
        var encoder = CreateEncoder(modelDir);
        var modelPath = FindModelFile(modelDir)
            ?? throw new FileNotFoundException($"No model.onnx in '{modelDir}' (nor in its onnx/ folder).", Path.Combine(modelDir, "model.onnx"));
        var dirName = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir)));
        var version = name is { Length: > 0 } && !string.Equals(name, dirName, StringComparison.Ordinal) ? $"{dirName} ({name})" : dirName;
        return new HuggingFaceSentimentModel(modelPath, options, encoder, map, version);
    }

    /// <summary>The ONNX file of a Hugging Face export: <c>model.onnx</c> or <c>onnx/model.onnx</c>; null when neither exists.</summary>
    public static string? FindModelFile(string modelDir)
    {
        foreach (var candidate in new[] { Path.Combine(modelDir, "model.onnx"), Path.Combine(modelDir, "onnx", "model.onnx") })
        {
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The SentencePiece model of a Hugging Face export (<c>*.model</c>); null when there is none.</summary>
    public static string? FindSentencePieceFile(string modelDir) =>
        Directory.Exists(modelDir)
            ? Directory.EnumerateFiles(modelDir, "*.model").Order(StringComparer.Ordinal).FirstOrDefault()
            : null;

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> EmotionLabels => _labels.EmotionLabels;

    /// <summary>How labels map to valence and emotions.</summary>
    public HuggingFaceLabelMap Labels => _labels;

    /// <summary>The token ids the model gets for <paramref name="text"/>, special tokens included (for tests and diagnostics).</summary>
    public IReadOnlyList<int> EncodeIds(string text) => _encoder.Encode(text, _maxLength);

    /// <summary>The raw logits for a batch (for tests and diagnostics).</summary>
    public float[][] PredictLogits(IReadOnlyList<SentimentInput> batch)
    {
        var logits = new float[batch.Count][];
        Run(batch, (i, row) => logits[i] = row.ToArray());
        return logits;
    }

    /// <inheritdoc />
    public IReadOnlyList<SentimentPrediction> Predict(IReadOnlyList<SentimentInput> batch)
    {
        var results = new SentimentPrediction[batch.Count];
        var probs = new float[64];
        Run(batch, (i, row) =>
        {
            if (probs.Length < row.Length) probs = new float[row.Length];
            var p = probs.AsSpan(0, row.Length);
            PredictionMath.Softmax(row, p);
            results[i] = _labels.Predict(p);
        });
        return results;
    }

    private delegate void RowHandler(int index, ReadOnlySpan<float> logits);

    private void Run(IReadOnlyList<SentimentInput> batch, RowHandler handle)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch.Count == 0) return;
        var ws = _workspaces.TryTake(out var w) ? w : new Workspace(_maxBatch, _maxLength);
        try
        {
            for (var offset = 0; offset < batch.Count; offset += _maxBatch)
            {
                RunChunk(batch, offset, Math.Min(_maxBatch, batch.Count - offset), ws, handle);
            }
        }
        finally
        {
            _workspaces.Add(ws);
        }
    }

    private void RunChunk(IReadOnlyList<SentimentInput> batch, int offset, int n, Workspace ws, RowHandler handle)
    {
        var encoded = ws.Encoded;
        var longest = 1;
        for (var i = 0; i < n; i++)
        {
            var ids = _encoder.Encode(batch[offset + i].Text ?? string.Empty, _maxLength);
            encoded[i] = ids;
            longest = Math.Max(longest, ids.Count);
        }
        var size = n * longest;
        for (var i = 0; i < n; i++)
        {
            var ids = encoded[i]!;
            for (var j = 0; j < longest; j++)
            {
                var k = i * longest + j;
                var real = j < ids.Count;
                ws.Ids[k] = real ? ids[j] : _encoder.PadId;
                ws.Mask[k] = real ? 1 : 0;
            }
        }

        long[] shape = [n, longest];
        var values = new OrtValue[_inputNames.Length];
        try
        {
            for (var v = 0; v < _inputNames.Length; v++)
            {
                var source = _inputNames[v] switch
                {
                    "input_ids" => ws.Ids,
                    "attention_mask" => ws.Mask,
                    _ => ws.TypeIds,
                };
                values[v] = _int32Inputs
                    ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<int>(ws.Int32(source, v, size), 0, size), shape)
                    : OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(source, 0, size), shape);
            }
            using var outputs = _session.Run(_runOptions, _inputNames, values, _outputNames);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            var classes = logits.Length / n;
            if (classes != _labels.ValenceOf.Count)
            {
                throw new InvalidDataException($"The model gives {classes} logits per text, config.json id2label has {_labels.ValenceOf.Count} labels.");
            }
            for (var i = 0; i < n; i++) handle(offset + i, logits.Slice(i * classes, classes));
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
            Array.Clear(encoded, 0, n);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session?.Dispose();
        _sessionOptions.Dispose();
        _runOptions.Dispose();
    }

    private static (string[] Labels, string? Name) ReadConfig(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        if (!root.TryGetProperty("id2label", out var id2label) || id2label.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: missing \"id2label\" (the class names of the logits).");
        }
        var pairs = new List<(int Id, string Label)>();
        foreach (var p in id2label.EnumerateObject())
        {
            if (!int.TryParse(p.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || p.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{path}: id2label entry '{p.Name}' must map an integer id to a string.");
            }
            pairs.Add((id, p.Value.GetString()!));
        }
        pairs.Sort((a, b) => a.Id.CompareTo(b.Id));
        for (var i = 0; i < pairs.Count; i++)
        {
            if (pairs[i].Id != i) throw new InvalidDataException($"{path}: id2label ids must be 0..{pairs.Count - 1}.");
        }
        var name = root.TryGetProperty("_name_or_path", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return (pairs.Select(p => p.Label).ToArray(), name);
    }

    private static ITextEncoder CreateEncoder(string modelDir)
    {
        var tokenizerConfig = ReadTokenizerConfig(Path.Combine(modelDir, TokenizerConfigFile));
        var vocab = Path.Combine(modelDir, VocabFile);
        if (File.Exists(vocab)) return WordPieceEncoder.Create(vocab, tokenizerConfig);
        var spm = FindSentencePieceFile(modelDir)
            ?? throw new FileNotFoundException($"No tokenizer in '{modelDir}': expected {VocabFile} (WordPiece) or a SentencePiece *.model file.", vocab);
        return SentencePieceEncoder.Create(spm, tokenizerConfig);
    }

    private static Dictionary<string, JsonElement> ReadTokenizerConfig(string path)
    {
        if (!File.Exists(path)) return [];
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object.");
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    private static bool? ReadBool(Dictionary<string, JsonElement> config, string name) =>
        config.TryGetValue(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    // Special tokens are either strings or AddedToken objects {"content": "..."}.
    private static string? ReadToken(Dictionary<string, JsonElement> config, string name)
    {
        if (!config.TryGetValue(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString();
        return null;
    }

    private interface ITextEncoder
    {
        long PadId { get; }

        IReadOnlyList<int> Encode(string text, int maxTokens);
    }

    private sealed partial class WordPieceEncoder(BertTokenizer tokenizer) : ITextEncoder
    {
        public long PadId { get; } = tokenizer.PaddingTokenId;

        public static WordPieceEncoder Create(string vocabPath, Dictionary<string, JsonElement> config)
        {
            // Hugging Face's BertTokenizer: do_lower_case defaults to true; strip_accents unset follows do_lower_case.
            var lower = ReadBool(config, "do_lower_case") ?? true;
            var options = new BertOptions
            {
                LowerCaseBeforeTokenization = lower,
                RemoveNonSpacingMarks = ReadBool(config, "strip_accents") ?? lower,
                IndividuallyTokenizeCjk = ReadBool(config, "tokenize_chinese_chars") ?? true,
            };
            if (ReadToken(config, "unk_token") is { } unk) options.UnknownToken = unk;
            if (ReadToken(config, "sep_token") is { } sep) options.SeparatorToken = sep;
            if (ReadToken(config, "pad_token") is { } pad) options.PaddingToken = pad;
            if (ReadToken(config, "cls_token") is { } cls) options.ClassificationToken = cls;
            if (ReadToken(config, "mask_token") is { } mask) options.MaskingToken = mask;

            // The library's default BERT pre-tokenizer keeps only word characters and \p{P}, so symbols such as
            // '=', '€' or emoji vanish; Hugging Face's BasicTokenizer splits on white space and on punctuation
            // (\p{P} plus every ASCII non-alphanumeric) and keeps everything else inside words.
            var special = new Dictionary<string, int>(StringComparer.Ordinal);
            var lines = File.ReadAllLines(vocabPath);
            foreach (var token in new[] { options.UnknownToken, options.SeparatorToken, options.PaddingToken, options.ClassificationToken, options.MaskingToken })
            {
                var id = Array.IndexOf(lines, token);
                if (id >= 0) special[token] = id;
            }
            options.PreTokenizer = new RegexPreTokenizer(BasicTokenizerRegex(), special);
            return new WordPieceEncoder(BertTokenizer.Create(vocabPath, options));
        }

        public IReadOnlyList<int> Encode(string text, int maxTokens) =>
            tokenizer.EncodeToIds(CleanWhiteSpace(text), maxTokens, addSpecialTokens: true, out _, out _);

        // Hugging Face maps \t, \n, \r and Zs to a space before splitting; the library's normalizer drops \t, \n
        // and \r as control characters, which would glue the words around them together.
        private static string CleanWhiteSpace(string text)
        {
            if (text.AsSpan().IndexOfAny('\t', '\n', '\r') < 0) return text;
            return string.Create(text.Length, text, static (span, source) =>
            {
                for (var i = 0; i < source.Length; i++) span[i] = source[i] is '\t' or '\n' or '\r' ? ' ' : source[i];
            });
        }

        [GeneratedRegex(@"[^\s\p{P}!-/:-@\[-`{-~]+|[\p{P}!-/:-@\[-`{-~]", RegexOptions.CultureInvariant)]
        private static partial Regex BasicTokenizerRegex();
    }

    private sealed class SentencePieceEncoder(SentencePieceTokenizer tokenizer, bool fairseq) : ITextEncoder
    {
        // XLM-R and CamemBERT shift SentencePiece ids by one and put <s>=0, <pad>=1, </s>=2, <unk>=3 in front.
        public long PadId => fairseq ? 1 : 0;

        public static SentencePieceEncoder Create(string modelPath, Dictionary<string, JsonElement> config)
        {
            var tokenizerClass = config.TryGetValue("tokenizer_class", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
            var fairseq = tokenizerClass.StartsWith("XLMRoberta", StringComparison.Ordinal) || tokenizerClass.StartsWith("Camembert", StringComparison.Ordinal);
            using var stream = File.OpenRead(modelPath);
            var tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: !fairseq, addEndOfSentence: !fairseq);
            return new SentencePieceEncoder(tokenizer, fairseq);
        }

        public IReadOnlyList<int> Encode(string text, int maxTokens)
        {
            if (!fairseq)
            {
                return tokenizer.EncodeToIds(text, addBeginningOfSentence: true, addEndOfSentence: true, maxTokens, out _, out _);
            }
            var room = maxTokens - 2;
            var pieces = tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false, room, out _, out _);
            if (HasAdjacentUnknowns(pieces) && pieces.Count == room)
            {
                // Fusing unknowns below can free room: encode all of it, fuse, then truncate.
                pieces = tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false, int.MaxValue, out _, out _);
            }
            var ids = new List<int>(Math.Min(pieces.Count, room) + 2) { 0 };
            for (var i = 0; i < pieces.Count && ids.Count <= room; i++)
            {
                // SentencePiece (and so Hugging Face's XLM-R/CamemBERT tokenizers) fuses a run of unknown characters
                // into one <unk>; Microsoft.ML.Tokenizers 2.0.1 emits one per character.
                if (pieces[i] == tokenizer.UnknownId)
                {
                    if (ids[^1] != 3) ids.Add(3);
                }
                else
                {
                    ids.Add(pieces[i] + 1);
                }
            }
            ids.Add(2);
            return ids;
        }

        private bool HasAdjacentUnknowns(IReadOnlyList<int> pieces)
        {
            for (var i = 1; i < pieces.Count; i++)
            {
                if (pieces[i] == tokenizer.UnknownId && pieces[i - 1] == tokenizer.UnknownId) return true;
            }
            return false;
        }
    }

    private sealed class Workspace(int maxBatch, int maxLength)
    {
        private int[][]? _int32;

        public long[] Ids { get; } = new long[maxBatch * maxLength];

        public long[] Mask { get; } = new long[maxBatch * maxLength];

        public long[] TypeIds { get; } = new long[maxBatch * maxLength];

        public IReadOnlyList<int>?[] Encoded { get; } = new IReadOnlyList<int>?[maxBatch];

        // int32 copies for exports whose inputs are int32.
        public int[] Int32(long[] source, int slot, int size)
        {
            _int32 ??= [new int[source.Length], new int[source.Length], new int[source.Length]];
            var target = _int32[slot];
            for (var i = 0; i < size; i++) target[i] = (int)source[i];
            return target;
        }
    }
}
