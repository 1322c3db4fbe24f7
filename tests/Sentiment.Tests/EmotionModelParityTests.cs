using System.Text.Json;

namespace Emotion.Sentiment.Tests;

/// <summary>
/// The C# runtime against the trainer's fixtures in models/emotion-v1/parity.jsonl: same tokens, identical ids
/// (and vocabulary ids when tokenizer.json names a vocabulary), ONNX Runtime probabilities within 1e-4.
/// Fails (does not skip) when the model or fixture is missing.
/// </summary>
public sealed class EmotionModelParityTests
{
    // VocabIds: "vocab_ids", one per token, present exactly when the exported tokenizer has a vocabulary.
    private sealed record Case(string Text, string[] Tokens, long[][] InputIds, long[]? VocabIds, float[] Valence, float[] Emotion);

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
                e.TryGetProperty("vocab_ids", out var v) ? v.EnumerateArray().Select(x => x.GetInt64()).ToArray() : null,
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
    public void Parity_fixture_has_vocab_ids_exactly_when_tokenizer_json_names_a_vocabulary()
    {
        using var model = LoadModel();
        var hasVocabulary = model.Tokenizer.Options.Vocabulary is not null;
        var wrong = LoadCases().Where(c => (c.VocabIds is not null) != hasVocabulary).Select(c => JsonSerializer.Serialize(c.Text)).ToList();
        Assert.True(wrong.Count == 0,
            (hasVocabulary ? "tokenizer.json names a vocabulary but these parity.jsonl lines have no \"vocab_ids\": "
                : "tokenizer.json names no vocabulary but these parity.jsonl lines have \"vocab_ids\": ")
            + string.Join(", ", wrong) + ". Export tokenizer.json, vocab.txt and parity.jsonl together.");
    }

    [Fact]
    public void Tokenizer_gives_the_trainers_ids_for_every_parity_text()
    {
        using var model = LoadModel();
        var subwords = model.Tokenizer.Options.MaxSubwords;
        var width = model.Tokenizer.Width;
        var ids = new long[model.Tokenizer.IdsPerText];
        foreach (var c in LoadCases())
        {
            var context = JsonSerializer.Serialize(c.Text);
            var count = model.Tokenizer.Encode(c.Text, ids);
            Assert.True(c.InputIds.Length == count, $"{context}: {count} tokens, trainer has {c.InputIds.Length}");
            for (var t = 0; t < count; t++)
            {
                var expected = c.InputIds[t].Concat(Enumerable.Repeat(0L, subwords - c.InputIds[t].Length));
                Assert.Equal(expected, ids.AsSpan(t * width, subwords).ToArray());
            }
            if (width > subwords)
            {
                Assert.True(c.VocabIds is not null, $"{context}: no \"vocab_ids\" in parity.jsonl, but tokenizer.json names a vocabulary");
                var actual = Enumerable.Range(0, count).Select(t => ids[t * width + subwords]).ToArray();
                Assert.True(c.VocabIds.SequenceEqual(actual),
                    $"{context}: vocab_ids [{string.Join(", ", actual)}], trainer has [{string.Join(", ", c.VocabIds)}]");
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
    public void Predict_of_a_batch_reproduces_the_trainers_probabilities_within_1e_4()
    {
        // One batch packs texts of different lengths into shared [g, longest, width] tensors: padding rows (the
        // vocabulary column included) must not change any text's probabilities.
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 16 });
        var cases = LoadCases();
        var batched = model.Predict(cases.Select(c => new SentimentInput(c.Text)).ToArray());
        for (var i = 0; i < cases.Count; i++)
        {
            var context = JsonSerializer.Serialize(cases[i].Text);
            AssertClose(cases[i].Valence, [batched[i].Negative, batched[i].Neutral, batched[i].Positive], 1e-4f, context);
            AssertClose(cases[i].Emotion, batched[i].EmotionProbs, 1e-4f, context);
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
