using Microsoft.ML.OnnxRuntime;

namespace Emotion.Sentiment;

/// <summary>
/// How the sentiment model is loaded and run; bound from the configuration section <c>Sentiment</c>
/// (for example <c>Sentiment__ModelDir</c> or <c>--Sentiment:MaxBatchSize=128</c>).
/// </summary>
public sealed record SentimentOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sentiment";

    /// <summary>
    /// The model directory: the project's model (<c>tokenizer.json</c> of type emotion-hash-v1) or a Hugging Face
    /// export. A relative path is looked up from the working directory, then from the repository root.
    /// </summary>
    public string ModelDir { get; set; } = DefaultModelDirectory;

    /// <summary>The shipped turn model, relative to the repository root: the one default of every command and host.</summary>
    public const string DefaultModelDirectory = "models/emotion-v2";

    /// <summary>
    /// ONNX Runtime threads inside one operator; 0 lets ONNX Runtime choose (one per physical core). The default is 1:
    /// the project's model is small, and on the 2-core benchmark machine one thread per run beat two (BENCHMARKS.md);
    /// use the cores by running batches concurrently (<see cref="ISentimentModel.Predict"/> is thread-safe).
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Whether ONNX Runtime's intra-op worker threads spin while waiting for work. Spinning lowers latency on an
    /// idle machine and burns CPU that other stages need on a busy one. Only matters when IntraOpThreads != 1.
    /// </summary>
    public bool AllowSpinning { get; set; } = true;

    /// <summary>ONNX Runtime threads across operators (used only by parallel execution); 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; set; } = 1;

    /// <summary>Largest batch passed to the model in one run; larger batches are split.</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>How long <see cref="SentimentBatcher"/> waits for more requests before it runs a partial batch.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Requests <see cref="SentimentBatcher"/> queues before callers wait (backpressure).</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>ONNX Runtime graph optimization level.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Longest token sequence for a Hugging Face model, special tokens included; longer texts are truncated.</summary>
    public int MaxSequenceLength { get; set; } = 128;

    /// <summary>The problems with these options, each naming the setting; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelDir)) errors.Add("Sentiment:ModelDir must name the model directory.");
        if (IntraOpThreads < 0) errors.Add("Sentiment:IntraOpThreads must be >= 0 (0 = ONNX Runtime's default).");
        if (InterOpThreads < 0) errors.Add("Sentiment:InterOpThreads must be >= 0 (0 = ONNX Runtime's default).");
        if (MaxBatchSize < 1) errors.Add("Sentiment:MaxBatchSize must be >= 1.");
        if (MaxBatchWait < TimeSpan.Zero || MaxBatchWait > TimeSpan.FromSeconds(1)) errors.Add("Sentiment:MaxBatchWait must be between 00:00:00 and 00:00:01.");
        if (QueueCapacity < 1) errors.Add("Sentiment:QueueCapacity must be >= 1.");
        if (MaxSequenceLength < 2) errors.Add("Sentiment:MaxSequenceLength must be >= 2 (room for the special tokens).");
        if (!Enum.IsDefined(GraphOptimizationLevel)) errors.Add($"Sentiment:GraphOptimizationLevel '{GraphOptimizationLevel}' is not a level ONNX Runtime knows.");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing the problems when the options are invalid.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join(" ", errors));
    }

    /// <summary>ONNX Runtime session options for these settings; the caller disposes them.</summary>
    public SessionOptions CreateSessionOptions()
    {
        var session = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel,
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = InterOpThreads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (!AllowSpinning) session.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return session;
    }
}
