using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace Emotion.Sentiment;

/// <summary>
/// The project's own model (<c>models/emotion-v1</c>): hashed sub-word features from <see cref="HashTokenizer"/>,
/// int64 <c>input_ids</c> [batch, tokens, width] in (width = max_subwords, plus 1 when tokenizer.json names a
/// vocabulary), <c>valence_probs</c> [batch, 3] and
/// <c>emotion_probs</c> [batch, E] out. One long-lived <see cref="InferenceSession"/>; thread-safe.
/// A context-aware model (<c>models/emotion-v2</c>) also takes int64 <c>speaker</c> [batch] and float <c>state</c>
/// [batch, H] and returns <c>state_out</c> [batch, H]: each turn is read with its conversation's state
/// (<see cref="IContextSentimentModel"/>); <see cref="Predict"/> gives it zeros and an unknown speaker.
/// </summary>
public sealed class OnnxSentimentModel : IContextSentimentModel
{
    /// <summary>The model file inside the model directory.</summary>
    public const string ModelFile = "model.onnx";

    /// <summary>The tokenizer parameters file.</summary>
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>The labels file.</summary>
    public const string LabelsFile = "labels.json";

    private const string InputName = "input_ids";
    private const string ValenceOutput = "valence_probs";
    private const string EmotionOutput = "emotion_probs";
    private const string SpeakerInput = "speaker";
    private const string StateInput = "state";
    private const string StateOutput = "state_out";

    private static readonly string[] InputNames = [InputName];
    private static readonly string[] ContextInputNames = [InputName, SpeakerInput, StateInput];

    // Smallest group run on its own when a batch is split by length; each run costs a fixed overhead.
    private const int MinGroup = 8;

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _outputNames;
    private readonly bool _hasEmotion;
    private readonly int[] _valenceOrder; // index of negative, neutral, positive in valence_probs
    private readonly DecisionWeights[] _decision; // by TurnSpeaker: the label's argmax weights (labels.json "decision")
    private readonly int _maxBatch;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private bool _disposed;

    private OnnxSentimentModel(
        string modelDir, SentimentOptions options, HashTokenizer tokenizer, ModelLabels labels)
    {
        Tokenizer = tokenizer;
        _maxBatch = options.MaxBatchSize;
        EmotionLabels = labels.Emotion;
        Version = labels.Version ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir)));
        _valenceOrder = labels.ValenceOrder;
        _decision = labels.Decision;

        _sessionOptions = options.CreateSessionOptions();
        try
        {
            _session = new InferenceSession(Path.Combine(modelDir, ModelFile), _sessionOptions);
        }
        catch
        {
            _sessionOptions.Dispose();
            _runOptions.Dispose();
            throw;
        }

        if (!_session.InputMetadata.ContainsKey(InputName))
        {
            Dispose();
            throw new InvalidDataException(
                $"{Path.Combine(modelDir, ModelFile)}: no input '{InputName}' (inputs: {string.Join(", ", _session.InputNames)}).");
        }
        if (!_session.OutputMetadata.ContainsKey(ValenceOutput))
        {
            Dispose();
            throw new InvalidDataException(
                $"{Path.Combine(modelDir, ModelFile)}: no output '{ValenceOutput}' (outputs: {string.Join(", ", _session.OutputNames)}).");
        }
        var dims = _session.InputMetadata[InputName].Dimensions;
        if (dims.Length != 3 || (dims[2] > 0 && dims[2] != tokenizer.Width))
        {
            Dispose();
            var expected = tokenizer.Options.Vocabulary is null
                ? $"max_subwords = {tokenizer.Options.MaxSubwords}"
                : $"max_subwords + 1 = {tokenizer.Width}, one column for \"vocab\"";
            throw new InvalidDataException(
                $"{Path.Combine(modelDir, ModelFile)}: input '{InputName}' has shape [{string.Join(", ", dims)}], but {Path.Combine(modelDir, TokenizerFile)} " +
                $"gives rows of {expected}; the model and tokenizer.json come from different exports.");
        }
        _hasEmotion = EmotionLabels.Count > 0 && _session.OutputMetadata.ContainsKey(EmotionOutput);
        _outputNames = _hasEmotion ? [ValenceOutput, EmotionOutput] : [ValenceOutput];
        if (!_hasEmotion) EmotionLabels = [];
        if (_session.InputMetadata.TryGetValue(StateInput, out var state))
        {
            var stateDims = state.Dimensions;
            if (stateDims.Length != 2 || stateDims[1] <= 0 || !_session.InputMetadata.ContainsKey(SpeakerInput)
                || !_session.OutputMetadata.ContainsKey(StateOutput))
            {
                Dispose();
                throw new InvalidDataException(
                    $"{Path.Combine(modelDir, ModelFile)}: a context model needs inputs '{SpeakerInput}' [batch] and '{StateInput}' [batch, H] and output '{StateOutput}' " +
                    $"(inputs: {string.Join(", ", _session.InputNames)}; outputs: {string.Join(", ", _session.OutputNames)}).");
            }
            StateSize = stateDims[1];
            _outputNames = [.. _outputNames, StateOutput];
        }
    }

    /// <summary>Loads the model from <paramref name="modelDir"/>; prefer <see cref="SentimentModelLoader.Load"/>, which checks the files first.</summary>
    public static OnnxSentimentModel Load(string modelDir, SentimentOptions? options = null)
    {
        options ??= new SentimentOptions();
        options.ThrowIfInvalid();
        var tokenizer = HashTokenizer.FromFile(Path.Combine(modelDir, TokenizerFile));
        var labels = ModelLabels.Load(Path.Combine(modelDir, LabelsFile));
        return new OnnxSentimentModel(modelDir, options, tokenizer, labels);
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> EmotionLabels { get; }

    /// <summary>The tokenizer this model reads.</summary>
    public HashTokenizer Tokenizer { get; }

    /// <inheritdoc />
    public int StateSize { get; }

    /// <inheritdoc />
    public IReadOnlyList<SentimentPrediction> Predict(IReadOnlyList<SentimentInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var results = new SentimentPrediction[batch.Count];
        if (batch.Count == 0) return results;
        Run(new TextsOnly(batch), results, null);
        return results;
    }

    /// <inheritdoc />
    public IReadOnlyList<ContextPrediction> PredictInContext(IReadOnlyList<ContextInput> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch.Count == 0) return [];
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].State is { Length: > 0 } st && st.Length != StateSize)
            {
                throw new ArgumentException($"Input {i}: state of length {st.Length}, the model's state has {StateSize} values.", nameof(batch));
            }
        }
        var results = new SentimentPrediction[batch.Count];
        var states = new float[batch.Count][];
        Run(new Turns(batch), results, StateSize > 0 ? states : null);
        var output = new ContextPrediction[batch.Count];
        for (var i = 0; i < batch.Count; i++) output[i] = new ContextPrediction(results[i], states[i] ?? []);
        return output;
    }

    private void Run(IItems batch, SentimentPrediction[] results, float[][]? states)
    {
        var workspace = _workspaces.TryTake(out var w) ? w : new Workspace(_maxBatch, Tokenizer.IdsPerText, StateSize);
        try
        {
            for (var offset = 0; offset < batch.Count; offset += _maxBatch)
            {
                RunChunk(batch, offset, Math.Min(_maxBatch, batch.Count - offset), workspace, results, states);
            }
        }
        finally
        {
            _workspaces.Add(workspace);
        }
    }

    private void RunChunk(IItems batch, int offset, int n, Workspace ws, SentimentPrediction[] results, float[][]? states)
    {
        var perText = Tokenizer.IdsPerText;
        var counts = ws.TokenCounts;
        var order = ws.Order;
        for (var i = 0; i < n; i++)
        {
            counts[i] = Tokenizer.Encode(batch.Text(offset + i) ?? string.Empty, ws.Ids.AsSpan(i * perText, perText));
            order[i] = i;
        }

        // The network's cost grows with batch * longest text, so padding short texts to the longest one wastes
        // work: run the texts shortest first, in groups whose padding stays under a quarter of their tokens.
        counts.AsSpan(0, n).CopyTo(ws.SortKeys);
        Array.Sort(ws.SortKeys, order, 0, n);
        var start = 0;
        var groupTokens = 0;
        for (var j = 0; j < n; j++)
        {
            var c = counts[order[j]];
            var size = j - start;
            if (size >= MinGroup && (long)c * (size + 1) * 4 > (groupTokens + c) * 5L)
            {
                RunGroup(batch, order.AsSpan(start, size), offset, ws, results, states);
                start = j;
                groupTokens = 0;
            }
            groupTokens += c;
        }
        RunGroup(batch, order.AsSpan(start, n - start), offset, ws, results, states);
    }

    // Packs the texts at `members` (sorted by token count) into [g, longest, width] and runs the model once.
    private void RunGroup(IItems batch, ReadOnlySpan<int> members, int offset, Workspace ws, SentimentPrediction[] results, float[][]? states)
    {
        var perText = Tokenizer.IdsPerText;
        var width = Tokenizer.Width;
        var g = members.Length;
        var longest = Math.Max(1, ws.TokenCounts[members[g - 1]]);
        var stride = longest * width;
        var packed = ws.Packed;
        for (var k = 0; k < g; k++)
        {
            var used = ws.TokenCounts[members[k]] * width;
            ws.Ids.AsSpan(members[k] * perText, used).CopyTo(packed.AsSpan(k * stride));
            packed.AsSpan(k * stride + used, stride - used).Clear();
        }

        long[] shape = [g, longest, width];
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(packed, 0, g * stride), shape);
        using var outputs = StateSize > 0 ? RunWithContext(batch, members, offset, ws, input) : _session.Run(_runOptions, InputNames, [input], _outputNames);
        var valence = outputs[0].GetTensorDataAsSpan<float>();
        var emotion = _hasEmotion ? outputs[1].GetTensorDataAsSpan<float>() : default;
        var emotionCount = EmotionLabels.Count;
        for (var k = 0; k < g; k++)
        {
            var v = valence.Slice(k * 3, 3);
            var probs = _hasEmotion ? emotion.Slice(k * emotionCount, emotionCount).ToArray() : [];
            var decision = _decision[(int)batch.Speaker(offset + members[k])];
            results[offset + members[k]] = PredictionMath.Create(v[_valenceOrder[0]], v[_valenceOrder[1]], v[_valenceOrder[2]], EmotionLabels, probs,
                decision.Negative, decision.Positive);
        }
        if (states is not null)
        {
            var h = StateSize;
            var next = outputs[^1].GetTensorDataAsSpan<float>();
            for (var k = 0; k < g; k++) states[offset + members[k]] = next.Slice(k * h, h).ToArray();
        }
    }

    // The group's speakers and states in group order (zeros for an input without state), then one run.
    private IDisposableReadOnlyCollection<OrtValue> RunWithContext(IItems batch, ReadOnlySpan<int> members, int offset, Workspace ws, OrtValue ids)
    {
        var g = members.Length;
        var h = StateSize;
        for (var k = 0; k < g; k++)
        {
            ws.Speakers[k] = (long)batch.Speaker(offset + members[k]);
            var target = ws.States.AsSpan(k * h, h);
            if (batch.State(offset + members[k]) is { Length: > 0 } st) st.AsSpan().CopyTo(target);
            else target.Clear();
        }
        using var speaker = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(ws.Speakers, 0, g), [g]);
        using var state = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(ws.States, 0, g * h), [g, h]);
        return _session.Run(_runOptions, ContextInputNames, [ids, speaker, state], _outputNames);
    }

    // The inputs of one call: lone sentences (Predict) or turns in context (PredictInContext).
    private interface IItems
    {
        int Count { get; }

        string? Text(int i);

        TurnSpeaker Speaker(int i);

        float[]? State(int i);
    }

    private readonly struct TextsOnly(IReadOnlyList<SentimentInput> inputs) : IItems
    {
        public int Count => inputs.Count;

        public string? Text(int i) => inputs[i].Text;

        public TurnSpeaker Speaker(int i) => TurnSpeaker.Unknown;

        public float[]? State(int i) => null;
    }

    private readonly struct Turns(IReadOnlyList<ContextInput> inputs) : IItems
    {
        public int Count => inputs.Count;

        public string? Text(int i) => inputs[i].Text;

        public TurnSpeaker Speaker(int i) => inputs[i].Speaker;

        public float[]? State(int i) => inputs[i].State;
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

    private sealed class Workspace(int maxBatch, int perText, int stateSize)
    {
        public long[] Speakers { get; } = new long[stateSize > 0 ? maxBatch : 0];

        public float[] States { get; } = new float[maxBatch * stateSize];

        public long[] Ids { get; } = new long[maxBatch * perText];

        public long[] Packed { get; } = new long[maxBatch * perText];

        public int[] TokenCounts { get; } = new int[maxBatch];

        public int[] SortKeys { get; } = new int[maxBatch];

        public int[] Order { get; } = new int[maxBatch];
    }

    /// <summary>Multipliers of p(negative) and p(positive) (p(neutral)'s is 1) before the argmax that gives the label.</summary>
    private readonly record struct DecisionWeights(float Negative, float Positive)
    {
        public static DecisionWeights None { get; } = new(1f, 1f);
    }

    /// <summary>The contents of <c>labels.json</c>.</summary>
    private sealed record ModelLabels(int[] ValenceOrder, string[] Emotion, string? Version, DecisionWeights[] Decision)
    {
        public static ModelLabels Load(string path)
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement;
            var valence = ReadStrings(root, "valence", path)
                ?? throw new InvalidDataException($"{path}: missing \"valence\" (the order of valence_probs).");
            if (valence.Length != 3)
            {
                throw new InvalidDataException($"{path}: \"valence\" must list 3 classes (negative, neutral, positive), it lists {valence.Length}.");
            }
            var order = new[] { "negative", "neutral", "positive" }
                .Select(name => Array.FindIndex(valence, v => string.Equals(v, name, StringComparison.OrdinalIgnoreCase)))
                .ToArray();
            if (order.Any(i => i < 0))
            {
                throw new InvalidDataException($"{path}: \"valence\" must name negative, neutral and positive, it has [{string.Join(", ", valence)}].");
            }
            var emotion = ReadStrings(root, "emotion", path) ?? [];
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new ModelLabels(order, emotion, string.IsNullOrWhiteSpace(version) ? null : version, ReadDecision(root, path));
        }

        // "decision": {"customer": {"negative": offset, "positive": offset}, "agent": {...}}: offsets added to log p(class)
        // before the argmax (models/train/decision.py); a lone sentence (unknown speaker) has none.
        private static DecisionWeights[] ReadDecision(JsonElement root, string path)
        {
            var weights = new[] { DecisionWeights.None, DecisionWeights.None, DecisionWeights.None };
            if (!root.TryGetProperty("decision", out var decision)) return weights;
            if (decision.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: \"decision\" must be an object.");
            foreach (var (speaker, name) in new[] { (TurnSpeaker.Customer, "customer"), (TurnSpeaker.Agent, "agent") })
            {
                if (!decision.TryGetProperty(name, out var offsets)) continue;
                weights[(int)speaker] = new DecisionWeights(Offset(offsets, "negative", name, path), Offset(offsets, "positive", name, path));
            }
            return weights;
        }

        private static float Offset(JsonElement offsets, string cls, string speaker, string path)
        {
            if (offsets.ValueKind != JsonValueKind.Object || !offsets.TryGetProperty(cls, out var o) || o.ValueKind != JsonValueKind.Number
                || !double.IsFinite(o.GetDouble()) || Math.Abs(o.GetDouble()) > 10)
            {
                throw new InvalidDataException($"{path}: \"decision\".\"{speaker}\".\"{cls}\" must be a number between -10 and 10 (an offset of log p).");
            }
            return (float)Math.Exp(o.GetDouble());
        }

        private static string[]? ReadStrings(JsonElement root, string name, string path)
        {
            if (!root.TryGetProperty(name, out var array)) return null;
            if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw new InvalidDataException($"{path}: \"{name}\" must be an array of strings.");
            }
            return array.EnumerateArray().Select(e => e.GetString()!).ToArray();
        }
    }
}
