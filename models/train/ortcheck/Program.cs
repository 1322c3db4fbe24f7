// Usage:
//   OrtCheck emotion <modelDir>            parity.jsonl: ONNX Runtime probabilities vs the trainer's, single and batched
//   OrtCheck tinyhf <modelDir>             hf_parity.jsonl: BertTokenizer ids and ONNX logits vs the trainer's
//   OrtCheck bench <modelDir> <ids.json>   batched throughput and single-utterance latency on pre-tokenized ids
using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

static InferenceSession Open(string path)
{
    var o = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 };
    o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
    return new InferenceSession(path, o);
}

static DenseTensor<long> Pack(List<long[][]> items, int s)
{
    int t = items.Max(x => x.Length);
    var tensor = new DenseTensor<long>(new[] { items.Count, t, s });
    for (int b = 0; b < items.Count; b++)
        for (int i = 0; i < items[b].Length; i++)
            for (int j = 0; j < items[b][i].Length && j < s; j++)
                tensor[b, i, j] = items[b][i][j];
    return tensor;
}

static (float[,] v, float[,] e) RunEmotion(InferenceSession sess, List<long[][]> items, int s)
{
    using var res = sess.Run(new[] { NamedOnnxValue.CreateFromTensor("input_ids", Pack(items, s)) });
    var v = res.First(r => r.Name == "valence_probs").AsTensor<float>();
    var e = res.First(r => r.Name == "emotion_probs").AsTensor<float>();
    var vv = new float[items.Count, v.Dimensions[1]];
    var ee = new float[items.Count, e.Dimensions[1]];
    for (int b = 0; b < items.Count; b++)
    {
        for (int k = 0; k < v.Dimensions[1]; k++) vv[b, k] = v[b, k];
        for (int k = 0; k < e.Dimensions[1]; k++) ee[b, k] = e[b, k];
    }
    return (vv, ee);
}

static long[][] Ids(JsonElement el) =>
    el.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();

// Row width of the model input: max_subwords, plus the vocabulary column when tokenizer.json names a vocab.
static (int subwords, int width) Width(string dir)
{
    var tok = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "tokenizer.json"))).RootElement;
    int s = tok.GetProperty("max_subwords").GetInt32();
    return (s, tok.TryGetProperty("vocab", out _) ? s + 1 : s);
}

// A parity line's rows at full width: its feature ids, then its vocab id (when the line has vocab_ids) in the last column.
static long[][] Rows(JsonElement line, int subwords, int width)
{
    var ids = Ids(line.GetProperty("input_ids"));
    long[]? vocab = line.TryGetProperty("vocab_ids", out var v) ? v.EnumerateArray().Select(x => x.GetInt64()).ToArray() : null;
    return ids.Select((r, i) =>
    {
        var row = new long[width];
        Array.Copy(r, row, Math.Min(r.Length, subwords));
        if (vocab != null && width > subwords) row[subwords] = vocab[i];
        return row;
    }).ToArray();
}

var mode = args[0];
var dir = args[1];
int fails = 0;
if (mode == "emotion")
{
    var (sub, s) = Width(dir);
    using var sess = Open(Path.Combine(dir, "model.onnx"));
    var lines = File.ReadAllLines(Path.Combine(dir, "parity.jsonl")).Where(l => l.Length > 0)
        .Select(l => JsonDocument.Parse(l).RootElement).ToList();
    var all = lines.Select(l => Rows(l, sub, s)).ToList();
    var (bv, be) = RunEmotion(sess, all, s);
    double maxDiff = 0;
    for (int i = 0; i < lines.Count; i++)
    {
        var (v, e) = RunEmotion(sess, new List<long[][]> { all[i] }, s);
        var ev = lines[i].GetProperty("valence_probs").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var ee = lines[i].GetProperty("emotion_probs").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        for (int k = 0; k < ev.Length; k++) maxDiff = Math.Max(maxDiff, Math.Max(Math.Abs(v[0, k] - ev[k]), Math.Abs(bv[i, k] - ev[k])));
        for (int k = 0; k < ee.Length; k++) maxDiff = Math.Max(maxDiff, Math.Max(Math.Abs(e[0, k] - ee[k]), Math.Abs(be[i, k] - ee[k])));
    }
    Console.WriteLine($"emotion parity: {lines.Count} texts, max |ORT - trainer| = {maxDiff:E2} (single and batched)");
    if (maxDiff > 1e-4) fails++;
}
else if (mode == "tinyhf")
{
    var bert = BertTokenizer.Create(Path.Combine(dir, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    using var sess = Open(Path.Combine(dir, "model.onnx"));
    double maxDiff = 0;
    int idFails = 0, n = 0;
    foreach (var l in File.ReadAllLines(Path.Combine(dir, "hf_parity.jsonl")).Where(l => l.Length > 0))
    {
        var el = JsonDocument.Parse(l).RootElement;
        var text = el.GetProperty("text").GetString()!;
        var want = el.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        var got = bert.EncodeToIds(text).Select(x => (long)x).ToArray();
        n++;
        if (!got.SequenceEqual(want))
        {
            idFails++;
            Console.WriteLine($"ids differ for {JsonSerializer.Serialize(text)}:\n  want {string.Join(",", want)}\n  got  {string.Join(",", got)}");
        }
        int len = want.Length;
        var ids = new DenseTensor<long>(want, new[] { 1, len });
        var mask = new DenseTensor<long>(Enumerable.Repeat(1L, len).ToArray(), new[] { 1, len });
        var tt = new DenseTensor<long>(new long[len], new[] { 1, len });
        using var res = sess.Run(new[] { NamedOnnxValue.CreateFromTensor("input_ids", ids),
            NamedOnnxValue.CreateFromTensor("attention_mask", mask), NamedOnnxValue.CreateFromTensor("token_type_ids", tt) });
        var logits = res.First(r => r.Name == "logits").AsTensor<float>();
        var exp = el.GetProperty("logits").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        for (int k = 0; k < exp.Length; k++) maxDiff = Math.Max(maxDiff, Math.Abs(logits[0, k] - exp[k]));
    }
    Console.WriteLine($"tiny-hf parity: {n} texts, id mismatches {idFails}, max |ORT logits - trainer| = {maxDiff:E2}");
    if (idFails > 0 || maxDiff > 1e-4) fails++;
}
else if (mode == "bertids")
{
    var bert = BertTokenizer.Create(Path.Combine(dir, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    foreach (var t in args.Skip(2))
    {
        var s = t.Replace("\\t", "\t").Replace("\\n", "\n");
        Console.WriteLine($"{JsonSerializer.Serialize(s)} -> {string.Join(" ", bert.EncodeToTokens(s, out _).Select(x => x.Value))}");
    }
}
else if (mode == "bench")
{
    var (_, s) = Width(dir);
    using var sess = Open(Path.Combine(dir, "model.onnx"));
    var items = JsonDocument.Parse(File.ReadAllText(args[2])).RootElement.EnumerateArray().Select(Ids).ToList();
    for (int w = 0; w < 3; w++) RunEmotion(sess, items.Take(256).ToList(), s);
    var sw = Stopwatch.StartNew();
    int done = 0;
    for (int rep = 0; rep < 3; rep++)
        for (int i = 0; i < items.Count; i += 256) { var b = items.Skip(i).Take(256).ToList(); RunEmotion(sess, b, s); done += b.Count; }
    Console.WriteLine($"batched (256, ORT only, pre-tokenized): {done / sw.Elapsed.TotalSeconds:F0} utt/s");
    var lat = new List<double>();
    foreach (var it in items.Take(1000))
    {
        var t0 = Stopwatch.GetTimestamp();
        RunEmotion(sess, new List<long[][]> { it }, s);
        lat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    }
    lat.Sort();
    Console.WriteLine($"single: p50 {lat[lat.Count / 2]:F3} ms, p99 {lat[(int)(lat.Count * 0.99)]:F3} ms");
}
return fails == 0 ? 0 : 1;
