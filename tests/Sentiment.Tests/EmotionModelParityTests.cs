using System.Text.Json;

namespace Emotion.Sentiment.Tests;

/// <summary>
/// The C# runtime against the trainer's fixtures in models/emotion-v1/parity.jsonl: same tokens, identical ids,
/// ONNX Runtime probabilities within 1e-4. Fails (does not skip) when the model or fixture is missing.
/// </summary>
public sealed class EmotionModelParityTests
{
    private sealed record Case(string Text, string[] Tokens, long[][] InputIds, float[] Valence, float[] Emotion);

    private static List<Case> LoadCases()
    {
        var path = TestPaths.RequireFile(TestPaths.EmotionModelDir, "parity.jsonl");
        var cases = new List<Case>();
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var e = JsonDocument.Parse(line).RootElement;
            cases.Add(new Case(
                e.GetProperty("text").GetString()!,
                e.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                e.GetProperty("input_ids").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray(),
                e.GetProperty("valence_probs").EnumerateArray().Select(x => x.GetSingle()).ToArray(),
                e.GetProperty("emotion_probs").EnumerateArray().Select(x => x.GetSingle()).ToArray()));
        }
        Assert.NotEmpty(cases);
        return cases;
    }

    private static OnnxSentimentModel LoadModel(SentimentOptions? options = null)
    {
        TestPaths.RequireFile(TestPaths.EmotionModelDir, "model.onnx");
        var model = SentimentModelLoader.Load(TestPaths.EmotionModelDir, options);
        return Assert.IsType<OnnxSentimentModel>(model);
    }

    [Fact]
    public void Tokenizer_gives_the_trainers_tokens_for_every_parity_text()
    {
        using var model = LoadModel();
        var mismatches = LoadCases()
            .Where(c => !model.Tokenizer.Tokenize(c.Text).SequenceEqual(c.Tokens))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: want [{string.Join("|", c.Tokens)}] got [{string.Join("|", model.Tokenizer.Tokenize(c.Text))}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void Tokenizer_gives_the_trainers_ids_for_every_parity_text()
    {
        using var model = LoadModel();
        var width = model.Tokenizer.Options.MaxSubwords;
        var ids = new long[model.Tokenizer.IdsPerText];
        foreach (var c in LoadCases())
        {
            var count = model.Tokenizer.Encode(c.Text, ids);
            Assert.True(c.InputIds.Length == count, $"{JsonSerializer.Serialize(c.Text)}: {count} tokens, trainer has {c.InputIds.Length}");
            for (var t = 0; t < count; t++)
            {
                var expected = c.InputIds[t].Concat(Enumerable.Repeat(0L, width - c.InputIds[t].Length));
                Assert.Equal(expected, ids.AsSpan(t * width, width).ToArray());
            }
        }
    }

    [Fact]
    public void Predict_reproduces_the_trainers_probabilities_within_1e_4()
    {
        using var model = LoadModel();
        var cases = LoadCases();
        Assert.Equal(7, model.EmotionLabels.Count);
        foreach (var c in cases)
        {
            var p = model.Predict([new SentimentInput(c.Text)])[0];
            var context = JsonSerializer.Serialize(c.Text);
            AssertClose(c.Valence, [p.Negative, p.Neutral, p.Positive], 1e-4f, context);
            AssertClose(c.Emotion, p.EmotionProbs, 1e-4f, context);
            Assert.Equal(p.Positive - p.Negative, p.Valence, 1e-6f);
            Assert.Equal(Array.IndexOf(c.Valence, c.Valence.Max()) - 1, p.Label);
            Assert.Equal(model.EmotionLabels[Array.IndexOf(c.Emotion, c.Emotion.Max())], p.Emotion);
        }
    }

    [Fact]
    public void Predict_of_a_batch_equals_the_single_predictions_within_1e_5()
    {
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 16 });
        var inputs = LoadCases().Select(c => new SentimentInput(c.Text)).ToArray();
        var batched = model.Predict(inputs);
        Assert.Equal(inputs.Length, batched.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            var single = model.Predict([inputs[i]])[0];
            var context = JsonSerializer.Serialize(inputs[i].Text);
            AssertClose([single.Negative, single.Neutral, single.Positive], [batched[i].Negative, batched[i].Neutral, batched[i].Positive], 1e-5f, context);
            AssertClose(single.EmotionProbs, batched[i].EmotionProbs, 1e-5f, context);
        }
    }

    [Fact]
    public async Task Predict_is_safe_from_concurrent_callers()
    {
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 8 });
        var inputs = LoadCases().Select(c => new SentimentInput(c.Text)).ToArray();
        var expected = model.Predict(inputs);
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => model.Predict(inputs))));
        foreach (var run in runs)
        {
            for (var i = 0; i < inputs.Length; i++) Assert.Equal(expected[i].Valence, run[i].Valence, 1e-6f);
        }
    }

    [Fact]
    public async Task SentimentBatcher_over_the_model_matches_direct_predictions()
    {
        using var model = LoadModel();
        await using var batcher = new SentimentBatcher(model, new SentimentOptions { MaxBatchSize = 16 });
        var inputs = LoadCases().Select(c => new SentimentInput(c.Text)).ToArray();
        var direct = model.Predict(inputs);
        var viaBatcher = await Task.WhenAll(inputs.Select(i => batcher.ScoreAsync(i).AsTask()));
        for (var i = 0; i < inputs.Length; i++) Assert.Equal(direct[i].Valence, viaBatcher[i].Valence, 1e-5f);
    }

    [Fact]
    public void Version_comes_from_labels_json()
    {
        using var model = LoadModel();
        using var labels = JsonDocument.Parse(File.ReadAllText(TestPaths.RequireFile(TestPaths.EmotionModelDir, "labels.json")));
        Assert.Equal(labels.RootElement.GetProperty("version").GetString(), model.Version);
    }

    internal static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, float tolerance, string context)
    {
        Assert.True(expected.Count == actual.Count, $"{context}: {actual.Count} values, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{context}: [{i}] = {actual[i]:R}, expected {expected[i]:R} within {tolerance:R}");
        }
    }
}
