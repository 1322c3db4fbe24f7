using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;

namespace Emotion.Scoring;

/// <summary>
/// One answer model read out of its ML.NET form into plain arrays, so that a conversation's finalization does not go
/// through an ML.NET prediction engine (which, for a LightGBM multiclass model, spreads every row over the thread pool
/// and allocates the whole feature vector: BENCHMARKS.md, "Finalization compiled"). It computes what the ML.NET pipeline of
/// <see cref="AnswerModelTrainer"/> computes: the numeric features, then for each text the character 3-grams and the
/// word 1-2-grams of the trained dictionaries (counts, each bag scaled to unit L2 norm), then the one-versus-all tree
/// ensembles and their softmax. The parity test holds it to the ML.NET engine on every corpus conversation.
/// </summary>
internal sealed class CompiledAnswer
{
    private readonly int _numeric;
    private readonly (string Source, TextBag Bag, int Offset)[] _texts;
    private readonly TreeForest _forest;

    private CompiledAnswer(int numeric, (string, TextBag, int)[] texts, TreeForest forest, int width)
    {
        _numeric = numeric;
        _texts = texts;
        _forest = forest;
        Width = width;
    }

    /// <summary>Length of the model's feature vector (numeric features and every text's slots).</summary>
    public int Width { get; }

    /// <summary>Class scores (softmax probabilities) in the model's class order.</summary>
    public float[] Scores(AnswerRow row, BagCache cache)
    {
        var values = row.Numeric;
        if (values.Length != _numeric)
            throw new InvalidDataException($"answer features: {values.Length} numeric values, the model expects {_numeric}");
        // A zeroed vector per thread, as wide as the widest model; only the slots written here are cleared after.
        var dense = t_scratch is { } s && s.Length >= Width ? s : t_scratch = new float[Math.Max(Width, t_scratch?.Length ?? 0)];
        var bags = new (int[] Indices, float[] Weights, int Offset)[_texts.Length];
        try
        {
            values.CopyTo(dense, 0);
            for (var t = 0; t < _texts.Length; t++)
            {
                var (source, bag, offset) = _texts[t];
                var (indices, weights) = cache.Get(bag, Text(row, source));
                bags[t] = (indices, weights, offset);
                for (var i = 0; i < indices.Length; i++) dense[offset + indices[i]] = weights[i];
            }
            return _forest.Softmax(dense);
        }
        finally
        {
            Array.Clear(dense, 0, _numeric);
            foreach (var (indices, _, offset) in bags)
            {
                if (indices is null) continue;
                foreach (var i in indices) dense[offset + i] = 0;
            }
        }
    }

    [ThreadStatic]
    private static float[]? t_scratch;

    private static string Text(AnswerRow row, string source) => source switch
    {
        nameof(AnswerRow.StartText) => row.StartText,
        nameof(AnswerRow.EndText) => row.EndText,
        nameof(AnswerRow.CustomerText) => row.CustomerText,
        nameof(AnswerRow.AgentText) => row.AgentText,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown text column"),
    };

    /// <summary>
    /// Reads a fitted answer pipeline (<paramref name="model"/>, trained with <paramref name="settings"/>; <paramref name="output"/>
    /// its output schema over <see cref="AnswerRow"/>) into a compiled answer; null with the reason when its shape is not one this class knows (the caller keeps the ML.NET engine then).
    /// Text dictionaries equal to one already in <paramref name="bags"/> are shared, so a conversation's texts are read
    /// once for every model that uses them.
    /// </summary>
    public static CompiledAnswer? TryCompile(ITransformer model, DataViewSchema output, AnswerLearnerSettings settings, int numeric,
        Dictionary<string, TextBag> bags, out string? why)
    {
        why = null;
        if (settings.Kind != "lightgbm")
        {
            why = $"learner '{settings.Kind}' is run by ML.NET";
            return null;
        }
        var texts = new List<(string, TextBag, int)>();
        var offset = numeric;
        foreach (var text in settings.Texts)
        {
            var source = AnswerModelTrainer.TextColumn(text);
            var column = output.GetColumnOrNull(source + "Features");
            if (column is not { } c || c.Type is not VectorDataViewType { Size: > 0 } vector)
            {
                why = $"no fixed-size column {source}Features";
                return null;
            }
            if (c.Annotations.Schema.GetColumnOrNull("SlotNames") is null)
            {
                why = $"{source}Features has no slot names";
                return null;
            }
            VBuffer<ReadOnlyMemory<char>> names = default;
            c.GetSlotNames(ref names);
            var slotNames = names.DenseValues().Select(n => n.ToString()).ToArray();
            var key = source + "\n" + string.Join("\n", slotNames);
            if (!bags.TryGetValue(key, out var bag))
            {
                bag = TextBag.FromSlotNames(slotNames, out why);
                if (bag is null) return null;
                bags[key] = bag;
            }
            texts.Add((source, bag, offset));
            offset += vector.Size;
        }
        if (output.GetColumnOrNull("Features") is not { Type: VectorDataViewType { Size: var width } } || width != offset)
        {
            why = $"the feature vector is not the numeric features followed by the texts ({offset} slots expected)";
            return null;
        }
        var forest = TreeForest.From(model, width, out why);
        return forest is null ? null : new CompiledAnswer(numeric, texts.ToArray(), forest, width);
    }
}

/// <summary>The text bags computed for one conversation, so models sharing a dictionary read its text once.</summary>
internal sealed class BagCache
{
    private readonly Dictionary<(TextBag, string), (int[], float[])> _done = new();

    public (int[] Indices, float[] Weights) Get(TextBag bag, string text)
    {
        if (!_done.TryGetValue((bag, text), out var result))
        {
            result = bag.Featurize(text);
            _done[(bag, text)] = result;
        }
        return result;
    }
}

/// <summary>
/// The trained dictionaries of one text column: character 3-grams (with start and end markers) first, then word
/// unigrams and bigrams, in ML.NET's slot order. Text is normalized as ML.NET's text normalizer does with the
/// trainer's options (lower case, diacritics, punctuation and numbers removed) and split into words on spaces.
/// </summary>
internal sealed class TextBag
{
    private const char Start = '\u0002';
    private const char End = '\u0003';

    private readonly Dictionary<ulong, int> _chars;
    // Every word of the word n-grams numbered; its unigram slot (or -1) by number; bigram slots by the pair of numbers.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordIds;
    private readonly int[] _unigrams;
    private readonly Dictionary<ulong, int> _bigrams;
    private readonly int _charSlots;

    private TextBag(Dictionary<ulong, int> chars, int charSlots, Dictionary<string, int> words, int size)
    {
        Size = size;
        _chars = chars;
        _charSlots = charSlots;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string word) => ids.TryGetValue(word, out var id) ? id : ids[word] = ids.Count;
        var grams = words.Select(kv => (Words: kv.Key.Split(' '), Slot: kv.Value)).ToArray();
        foreach (var (w, _) in grams)
        {
            foreach (var word in w) Id(word);
        }
        _unigrams = Enumerable.Repeat(-1, ids.Count).ToArray();
        _bigrams = new Dictionary<ulong, int>(MixedKey.Instance);
        foreach (var (w, slot) in grams)
        {
            if (w.Length == 1) _unigrams[ids[w[0]]] = slot;
            else _bigrams[Pair(ids[w[0]], ids[w[1]])] = slot;
        }
        _wordIds = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Builds the dictionaries from ML.NET's slot names (<c>Char.&lt;␂&gt;|h|o</c>, <c>Word.hola|que</c>).</summary>
    public static TextBag? FromSlotNames(IReadOnlyList<string> names, out string? why)
    {
        why = null;
        var chars = new Dictionary<ulong, int>(MixedKey.Instance);
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var charSlots = 0;
        for (var slot = 0; slot < names.Count; slot++)
        {
            var name = names[slot];
            if (name.StartsWith("Char.", StringComparison.Ordinal))
            {
                if (words.Count > 0 || !TryCharGram(name.AsSpan(5), out var gram))
                {
                    why = $"cannot read character slot '{name}'";
                    return null;
                }
                chars[gram] = slot;
                charSlots = slot + 1;
            }
            else if (name.StartsWith("Word.", StringComparison.Ordinal))
            {
                if (!TryWordGram(name[5..], out var gram))
                {
                    why = $"cannot read word slot '{name}'";
                    return null;
                }
                words[gram] = slot;
            }
            else
            {
                why = $"slot '{name}' is neither a character nor a word n-gram";
                return null;
            }
        }
        return new TextBag(chars, charSlots, words, names.Count);
    }

    /// <summary>The bag of <paramref name="text"/>: slot indices and their weights, each part scaled to unit L2 norm.</summary>
    public (int[] Indices, float[] Weights) Featurize(string text)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0) return ([], []);
        // Counts per slot in a per-thread array as wide as the widest bag; only the slots touched are read and cleared.
        var counts = t_counts is { } c && c.Length >= Size ? c : t_counts = new int[Math.Max(Size, t_counts?.Length ?? 0)];
        var touched = t_touched ??= new List<int>(1024);
        touched.Clear();
        void Add(int slot)
        {
            if (counts[slot]++ == 0) touched.Add(slot);
        }

        // Character 3-grams over start marker, text, end marker.
        var n = normalized.Length + 2;
        char At(int i) => i == 0 ? Start : i == n - 1 ? End : normalized[i - 1];
        for (var i = 0; i + 3 <= n; i++)
        {
            if (_chars.TryGetValue(Pack(At(i), At(i + 1), At(i + 2)), out var slot)) Add(slot);
        }

        // Word unigrams and bigrams of consecutive words (a word outside the vocabulary breaks the pair).
        var previous = -1;
        var span = normalized.AsSpan();
        for (var i = 0; i < span.Length;)
        {
            while (i < span.Length && span[i] == ' ') i++;
            if (i >= span.Length) break;
            var start = i;
            while (i < span.Length && span[i] != ' ') i++;
            var id = _wordIds.TryGetValue(span[start..i], out var known) ? known : -1;
            if (id >= 0)
            {
                if (_unigrams[id] >= 0) Add(_unigrams[id]);
                if (previous >= 0 && _bigrams.TryGetValue(Pair(previous, id), out var bigram)) Add(bigram);
            }
            previous = id;
        }

        touched.Sort();
        var indices = touched.ToArray();
        var weights = new float[indices.Length];
        float charSquares = 0, wordSquares = 0;
        foreach (var index in indices)
        {
            float v = counts[index];
            if (index < _charSlots) charSquares += v * v;
            else wordSquares += v * v;
        }
        var charScale = Scale(charSquares);
        var wordScale = Scale(wordSquares);
        for (var i = 0; i < indices.Length; i++)
        {
            weights[i] = counts[indices[i]] * (indices[i] < _charSlots ? charScale : wordScale);
            counts[indices[i]] = 0;
        }
        return (indices, weights);
    }

    [ThreadStatic]
    private static int[]? t_counts;
    [ThreadStatic]
    private static List<int>? t_touched;

    /// <summary>Number of slots: character grams, then word grams.</summary>
    public int Size { get; }

    /// <summary>ML.NET's L2 scaling: 1 / norm in single precision, left at 1 for a tiny scale.</summary>
    private static float Scale(float squares)
    {
        var norm = (float)Math.Sqrt(squares);
        var scale = 1f;
        if (norm > 0) scale /= norm;
        return scale < 1e-8f ? 1f : scale;
    }

    /// <summary>
    /// The text as ML.NET's normalizer leaves it with the trainer's options: punctuation and number characters dropped,
    /// combining marks dropped, letters with diacritics replaced by their base letter, lower case (invariant).
    /// </summary>
    internal static string Normalize(string text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (char.IsPunctuation(ch) || char.IsNumber(ch)) continue;
            if (IsCombiningMark(ch)) continue;
            sb.Append(char.ToLowerInvariant(BaseLetter(ch)));
        }
        return sb.ToString();
    }

    // Combining marks the normalizer drops: the basic block, and the Hebrew and Arabic points.
    private static bool IsCombiningMark(char ch) =>
        ch is >= '\u0300' and <= '\u036F'
        or >= '\u0591' and <= '\u05BD' or '\u05C1' or '\u05C2' or '\u05C4' or '\u05C5' or '\u05C7'
        or >= '\u0610' and <= '\u0615' or >= '\u064C' and <= '\u065E' or '\u0670';

    // A letter with diacritics (Latin, Greek, Cyrillic) becomes the letter its canonical decomposition starts with.
    private static char BaseLetter(char ch)
    {
        if (ch < '\u00C0' || ch > '\u04FF' || !char.IsLetter(ch)) return ch;
        var decomposed = ch.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 1 && char.IsLetter(decomposed[0]) ? decomposed[0] : ch;
    }

    private static ulong Pack(char a, char b, char c) => ((ulong)a << 32) | ((ulong)b << 16) | c;

    private static ulong Pair(int first, int second) => ((ulong)(uint)first << 32) | (uint)second;

    /// <summary>
    /// Hashes packed keys by multiplying out every bit (ulong's own hash XORs its halves, so packed character triples and
    /// word pairs would crowd into few buckets).
    /// </summary>
    private sealed class MixedKey : IEqualityComparer<ulong>
    {
        public static readonly MixedKey Instance = new();

        public bool Equals(ulong x, ulong y) => x == y;

        public int GetHashCode(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32);
    }

    // One character token as ML.NET names it: a control character or space as <picture>, anything else as itself.
    private static bool TryCharGram(ReadOnlySpan<char> name, out ulong gram)
    {
        gram = 0;
        var tokens = new List<char>(3);
        var i = 0;
        while (i < name.Length)
        {
            if (tokens.Count > 0)
            {
                if (name[i] != '|') return false;
                i++;
                if (i >= name.Length) return false;
            }
            if (name[i] == '<' && i + 2 < name.Length && name[i + 2] == '>' && name[i + 1] is >= '\u2400' and <= '\u2420')
            {
                tokens.Add((char)(name[i + 1] - '\u2400'));
                i += 3;
            }
            else
            {
                tokens.Add(name[i]);
                i++;
            }
        }
        if (tokens.Count != 3) return false;
        gram = Pack(tokens[0], tokens[1], tokens[2]);
        return true;
    }

    // A word n-gram as ML.NET names it: its words joined by '|'. Words never hold a space; the only word that holds a
    // '|' is "|" itself (the separator the answer texts put between turns), so the split below is unambiguous.
    private static bool TryWordGram(string name, out string gram)
    {
        gram = name;
        if (name.Length == 0) return false;
        if (name == "|" || !name.Contains('|', StringComparison.Ordinal)) return !name.Contains(' ', StringComparison.Ordinal);
        string? first = null, second = null;
        if (name.StartsWith("||", StringComparison.Ordinal)) (first, second) = ("|", name[2..]);
        else if (name.EndsWith("||", StringComparison.Ordinal)) (first, second) = (name[..^2], "|");
        else
        {
            var bar = name.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && name.IndexOf('|', bar + 1) < 0) (first, second) = (name[..bar], name[(bar + 1)..]);
        }
        if (string.IsNullOrEmpty(first) || string.IsNullOrEmpty(second)) return false;
        if (second.Length > 1 && second.Contains('|', StringComparison.Ordinal)) return false;
        if (first.Length > 1 && first.Contains('|', StringComparison.Ordinal)) return false;
        gram = first + " " + second;
        return true;
    }
}

/// <summary>
/// One-versus-all tree ensembles with a softmax, as ML.NET's LightGBM multiclass model computes them: per class the sum
/// (in double) of its trees' leaf values, taken as a float, then exp and normalization in single precision.
/// </summary>
internal sealed class TreeForest
{
    private readonly Tree[][] _classes;

    private TreeForest(Tree[][] classes) => _classes = classes;

    public int Classes => _classes.Length;

    public float[] Softmax(float[] features)
    {
        var scores = new float[_classes.Length];
        for (var k = 0; k < _classes.Length; k++)
        {
            double sum = 0;
            foreach (var tree in _classes[k]) sum += tree.Output(features);
            scores[k] = (float)sum;
        }
        float total = 0;
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] = (float)Math.Exp(scores[k]);
            total += scores[k];
        }
        for (var k = 0; k < scores.Length; k++) scores[k] /= total;
        return scores;
    }

    public static TreeForest? From(ITransformer model, int width, out string? why)
    {
        why = null;
        var predictor = (model as IEnumerable<ITransformer>)?.OfType<MulticlassPredictionTransformer<OneVersusAllModelParameters>>().FirstOrDefault();
        if (predictor is null)
        {
            why = "no one-versus-all multiclass predictor in the pipeline";
            return null;
        }
        // ML.NET keeps the per-class models and the output formula private; this reads them by name (Microsoft.ML 5.0.1).
        var impl = typeof(OneVersusAllModelParameters).GetField("_impl", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(predictor.Model);
        if (impl is null || impl.GetType().Name != "ImplSoftmax")
        {
            why = $"the one-versus-all output is not a softmax ({impl?.GetType().Name ?? "unknown"})";
            return null;
        }
        if (impl.GetType().GetProperty("Predictors", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(impl) is not Array subModels)
        {
            why = "the one-versus-all models cannot be read";
            return null;
        }
        var classes = new Tree[subModels.Length][];
        for (var k = 0; k < subModels.Length; k++)
        {
            // Each class's model is calibrated; the softmax reads its raw score, that of the tree ensemble inside.
            var sub = subModels.GetValue(k);
            var subModel = sub?.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).FirstOrDefault(p => p.Name == "SubModel");
            if (subModel?.GetValue(sub) is { } inner) sub = inner;
            if (sub is not TreeEnsembleModelParametersBasedOnRegressionTree binary)
            {
                why = $"class {k} is not a tree ensemble ({sub?.GetType().Name})";
                return null;
            }
            var ensemble = binary.TrainedTreeEnsemble;
            if (ensemble.Bias != 0 || ensemble.TreeWeights.Any(w => w != 1))
            {
                why = "a tree ensemble with a bias or weighted trees";
                return null;
            }
            var trees = new Tree[ensemble.Trees.Count];
            for (var t = 0; t < trees.Length; t++)
            {
                var tree = Tree.From(ensemble.Trees[t], width, out why);
                if (tree is null) return null;
                trees[t] = tree;
            }
            classes[k] = trees;
        }
        return new TreeForest(classes);
    }

    /// <summary>One regression tree: a node goes left when its feature is at most its threshold; ~leaf marks a leaf.</summary>
    private sealed class Tree
    {
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly int[] _feature;
        private readonly float[] _threshold;
        private readonly double[] _leaves;

        private Tree(int[] left, int[] right, int[] feature, float[] threshold, double[] leaves)
        {
            _left = left;
            _right = right;
            _feature = feature;
            _threshold = threshold;
            _leaves = leaves;
        }

        public double Output(float[] features)
        {
            if (_left.Length == 0) return _leaves[0];
            var node = 0;
            while (node >= 0) node = features[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
            return _leaves[~node];
        }

        public static Tree? From(RegressionTree tree, int width, out string? why)
        {
            why = null;
            if (tree.CategoricalSplitFlags.Any(f => f))
            {
                why = "a tree with categorical splits";
                return null;
            }
            var features = tree.NumericalSplitFeatureIndexes.ToArray();
            if (features.Any(f => f < 0 || f >= width))
            {
                why = string.Create(CultureInfo.InvariantCulture, $"a split on a feature outside the {width} slots");
                return null;
            }
            return new Tree(tree.LeftChild.ToArray(), tree.RightChild.ToArray(), features, tree.NumericalSplitThresholds.ToArray(), tree.LeafValues.ToArray());
        }
    }
}
