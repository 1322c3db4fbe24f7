using System.Text.Json;

namespace Emotion.Sentiment.Tests;

/// <summary>
/// The Hugging Face SentencePiece path against models/tiny-hf-sp/hf_parity.jsonl (an XLM-RoBERTa-shaped export:
/// sentencepiece.bpe.model, XLMRobertaTokenizer ids with the fairseq offset): identical token ids from
/// Microsoft.ML.Tokenizers' SentencePieceTokenizer, and ONNX Runtime logits and probabilities within 1e-4.
/// Fails (does not skip) when the fixture is missing.
/// </summary>
public sealed class HuggingFaceSentencePieceParityTests
{
    private static string ModelDir => Path.Combine(TestPaths.RepoRoot, "models", "tiny-hf-sp");

    private sealed record Case(string Text, long[] InputIds, float[] Logits);

    private static List<Case> LoadCases()
    {
        var path = TestPaths.RequireFile(ModelDir, "hf_parity.jsonl");
        var cases = File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            return new Case(
                e.GetProperty("text").GetString()!,
                e.GetProperty("input_ids").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                e.GetProperty("logits").EnumerateArray().Select(x => x.GetSingle()).ToArray());
        }).ToList();
        Assert.NotEmpty(cases);
        return cases;
    }

    private static HuggingFaceSentimentModel LoadModel(SentimentOptions? options = null)
    {
        TestPaths.RequireFile(ModelDir, "model.onnx");
        TestPaths.RequireFile(ModelDir, "sentencepiece.bpe.model");
        TestPaths.RequireFile(ModelDir, "tokenizer_config.json");
        return Assert.IsType<HuggingFaceSentimentModel>(SentimentModelLoader.Load(ModelDir, options));
    }

    [Fact]
    public void Labels_of_the_sentencepiece_export_map_to_negative_neutral_positive()
    {
        using var model = LoadModel();
        Assert.Equal([-1, 0, 1], model.Labels.ValenceOf);
        var probs = new[] { new[] { 0.8f, 0.1f, 0.1f }, new[] { 0.1f, 0.8f, 0.1f }, new[] { 0.1f, 0.1f, 0.8f } };
        Assert.Equal([-1, 0, 1], probs.Select(p => model.Labels.Predict(p).Label).ToArray());
    }

    [Fact]
    public void SentencePiece_tokenizer_gives_the_xlm_roberta_input_ids_for_every_parity_text()
    {
        using var model = LoadModel();
        var mismatches = LoadCases()
            .Where(c => !model.EncodeIds(c.Text).Select(i => (long)i).SequenceEqual(c.InputIds))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: want [{string.Join(",", c.InputIds)}] got [{string.Join(",", model.EncodeIds(c.Text))}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void SentencePiece_export_reproduces_the_trainers_logits_and_probabilities_within_1e_4()
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
    public void SentencePiece_export_gives_the_same_logits_in_a_padded_batch_within_1e_5()
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
    public void SentencePiece_truncation_keeps_at_most_max_sequence_length_ids_between_s_and_end_s()
    {
        using var model = LoadModel(new SentimentOptions { MaxSequenceLength = 16 });
        var ids = model.EncodeIds(string.Join(' ', Enumerable.Repeat("gracias por su ayuda", 50)));
        Assert.Equal(16, ids.Count);
        Assert.Equal(0, ids[0]);
        Assert.Equal(2, ids[^1]);
        Assert.DoesNotContain(1, ids);
    }
}
