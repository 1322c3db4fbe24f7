using System.Text.Json;

namespace Emotion.Sentiment.Tests;

/// <summary>
/// The Hugging Face path against models/tiny-hf/hf_parity.jsonl: identical token ids from Microsoft.ML.Tokenizers'
/// BertTokenizer, and ONNX Runtime logits and probabilities within 1e-4. Fails (does not skip) when missing.
/// </summary>
public sealed class HuggingFaceModelParityTests
{
    private sealed record Case(string Text, long[] InputIds, float[] Logits);

    private static List<Case> LoadCases()
    {
        var path = TestPaths.RequireFile(TestPaths.TinyHfModelDir, "hf_parity.jsonl");
        var cases = File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            return new Case(
                e.GetProperty("text").GetString()!,
                Flatten(e.GetProperty("input_ids")).Select(x => x.GetInt64()).ToArray(),
                Flatten(e.GetProperty("logits")).Select(x => x.GetSingle()).ToArray());
        }).ToList();
        Assert.NotEmpty(cases);
        return cases;
    }

    // Accepts [..] or [[..]] (a batch of one).
    private static IEnumerable<JsonElement> Flatten(JsonElement array) =>
        array.EnumerateArray().SelectMany(x => x.ValueKind == JsonValueKind.Array ? x.EnumerateArray() : new[] { x }.AsEnumerable());

    private static HuggingFaceSentimentModel LoadModel(SentimentOptions? options = null)
    {
        TestPaths.RequireFile(TestPaths.TinyHfModelDir, "model.onnx");
        return Assert.IsType<HuggingFaceSentimentModel>(SentimentModelLoader.Load(TestPaths.TinyHfModelDir, options));
    }

    [Fact]
    public void Tokenizer_gives_the_trainers_input_ids_for_every_parity_text()
    {
        using var model = LoadModel();
        var mismatches = LoadCases()
            .Where(c => !model.EncodeIds(c.Text).Select(i => (long)i).SequenceEqual(c.InputIds))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: want [{string.Join(",", c.InputIds)}] got [{string.Join(",", model.EncodeIds(c.Text))}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void Predict_reproduces_the_trainers_logits_and_probabilities_within_1e_4()
    {
        using var model = LoadModel();
        foreach (var c in LoadCases())
        {
            var context = JsonSerializer.Serialize(c.Text);
            var logits = model.PredictLogits([new SentimentInput(c.Text)])[0];
            EmotionModelParityTests.AssertClose(c.Logits, logits, 1e-4f, context);

            var probs = new float[c.Logits.Length];
            var max = c.Logits.Max();
            var sum = c.Logits.Sum(l => Math.Exp(l - max));
            for (var i = 0; i < probs.Length; i++) probs[i] = (float)(Math.Exp(c.Logits[i] - max) / sum);
            var expected = model.Labels.Predict(probs);
            var actual = model.Predict([new SentimentInput(c.Text)])[0];
            EmotionModelParityTests.AssertClose(
                [expected.Negative, expected.Neutral, expected.Positive], [actual.Negative, actual.Neutral, actual.Positive], 1e-4f, context);
            Assert.Equal(expected.Label, actual.Label);
        }
    }

    [Fact]
    public void Predict_of_a_padded_batch_equals_the_single_predictions_within_1e_5()
    {
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 8 });
        var inputs = LoadCases().Select(c => new SentimentInput(c.Text)).ToArray();
        var batched = model.PredictLogits(inputs);
        for (var i = 0; i < inputs.Length; i++)
        {
            var single = model.PredictLogits([inputs[i]])[0];
            EmotionModelParityTests.AssertClose(single, batched[i], 1e-5f, JsonSerializer.Serialize(inputs[i].Text));
        }
    }

    [Fact]
    public void Truncation_keeps_at_most_max_sequence_length_ids_with_the_special_tokens()
    {
        using var model = LoadModel(new SentimentOptions { MaxSequenceLength = 16 });
        var ids = model.EncodeIds(string.Join(' ', Enumerable.Repeat("hello world", 50)));
        Assert.Equal(16, ids.Count);
        var full = model.EncodeIds("hello");
        Assert.Equal(full[0], ids[0]);
        Assert.Equal(full[^1], ids[^1]);
    }
}
