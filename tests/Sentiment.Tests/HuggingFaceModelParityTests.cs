namespace Emotion.Sentiment.Tests;

/// <summary>
/// The Hugging Face path against models/tiny-hf/hf_parity.jsonl: identical token ids from Microsoft.ML.Tokenizers'
/// BertTokenizer, and ONNX Runtime logits and probabilities within 1e-4. Fails (does not skip) when missing.
/// </summary>
public sealed class HuggingFaceModelParityTests
{
    private static HuggingFaceSentimentModel LoadModel(SentimentOptions? options = null)
    {
        TestPaths.RequireFile(TestPaths.TinyHfModelDir, "model.onnx");
        return Assert.IsType<HuggingFaceSentimentModel>(SentimentModelLoader.Load(TestPaths.TinyHfModelDir, options));
    }

    private static List<HuggingFaceParity.Case> LoadCases() => HuggingFaceParity.LoadCases(TestPaths.TinyHfModelDir);

    [Fact]
    public void Tokenizer_gives_the_trainers_input_ids_for_every_parity_text()
    {
        using var model = LoadModel();
        HuggingFaceParity.AssertIdsMatch(model, LoadCases());
    }

    [Fact]
    public void Predict_reproduces_the_trainers_logits_and_probabilities_within_1e_4()
    {
        using var model = LoadModel();
        HuggingFaceParity.AssertLogitsAndProbabilities(model, LoadCases(), 1e-4f);
    }

    [Fact]
    public void Predict_of_a_padded_batch_equals_the_single_predictions_within_1e_5()
    {
        using var model = LoadModel(new SentimentOptions { MaxBatchSize = 8 });
        HuggingFaceParity.AssertBatchEqualsSingles(model, LoadCases(), 1e-5f);
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
