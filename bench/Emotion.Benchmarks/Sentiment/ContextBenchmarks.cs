using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using Emotion.Sentiment;

namespace Emotion.Benchmarks.Sentiment;

/// <summary>Where the context benchmarks find the model: $EMOTION_CONTEXT_MODEL, else models/emotion-v2 under the repository root
/// (models/emotion-v1 runs the same path with empty states).</summary>
internal static class ContextBenchModel
{
    public static string Dir =>
        Environment.GetEnvironmentVariable("EMOTION_CONTEXT_MODEL") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : SentimentModelLoader.ResolveModelDir("models/emotion-v2");

    public static IContextSentimentModel Load(int maxBatch, int threads = 1)
    {
        // A context-free project model (emotion-v1) also runs here, with empty states: the same code path, for a
        // side-by-side figure on the same machine and load.
        var model = SentimentModelLoader.Load(Dir, BenchModel.Options(maxBatch, threads));
        if (model is IContextSentimentModel context) return context;
        model.Dispose();
        throw new InvalidOperationException($"{Dir} is not the project's model (a Hugging Face export has no context path).");
    }

    /// <summary>Turns of <paramref name="conversations"/> conversations (alternating speakers), as waves: wave k holds the k-th turn of each.</summary>
    public static string[][] Waves(int conversations, int turns, int seed) =>
        Enumerable.Range(0, turns).Select(k => Utterances.Generate(conversations, seed: seed + k)).ToArray();
}

/// <summary>
/// Batched throughput with context: 1,024 turns per invocation as 16 turns of 64 conversations each, every batch the
/// next turn of every conversation with the state its previous turn returned (what the pipeline does per micro-batch).
/// Op/s is turns per second.
/// </summary>
[Config(typeof(ContextThroughputConfig))]
[MemoryDiagnoser]
public class ContextThroughputBenchmarks
{
    private const int Turns = 1024;

    private IContextSentimentModel _model = null!;
    private string[][] _waves = [];
    private float[]?[] _states = [];

    [Params(64, 128)]
    public int Conversations { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = ContextBenchModel.Load(Conversations, Threads);
        _waves = ContextBenchModel.Waves(Conversations, Turns / Conversations, 11);
        _states = new float[]?[Conversations];
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(OperationsPerInvoke = Turns)]
    public float BatchedInContext()
    {
        Array.Clear(_states);
        var sum = 0f;
        var inputs = new ContextInput[Conversations];
        for (var w = 0; w < _waves.Length; w++)
        {
            for (var c = 0; c < Conversations; c++)
            {
                inputs[c] = new ContextInput(_waves[w][c], null, (w + c) % 2 == 0 ? TurnSpeaker.Customer : TurnSpeaker.Agent, _states[c]);
            }
            var results = _model.PredictInContext(inputs);
            for (var c = 0; c < Conversations; c++)
            {
                _states[c] = results[c].State;
                sum += results[c].Prediction.Valence;
            }
        }
        return sum;
    }

    private sealed class ContextThroughputConfig : ManualConfig
    {
        public ContextThroughputConfig()
        {
            AddJob(Job.ShortRun.WithId("short"));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}

/// <summary>One turn per call with its conversation's state (the live path of a single call), 2,000 calls.</summary>
[Config(typeof(ContextLatencyConfig))]
public class ContextLatencyBenchmarks
{
    private IContextSentimentModel _model = null!;
    private string[] _texts = [];
    private float[]? _state;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _model = ContextBenchModel.Load(64);
        _texts = Utterances.Generate(512, seed: 7);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public SentimentPrediction SingleTurnInContext()
    {
        var i = _next++;
        if (i % 16 == 0) _state = null; // a new conversation every 16 turns
        var r = _model.PredictInContext([new ContextInput(_texts[i % _texts.Length], null, i % 2 == 0 ? TurnSpeaker.Customer : TurnSpeaker.Agent, _state)])[0];
        _state = r.State;
        return r.Prediction;
    }

    private sealed class ContextLatencyConfig : ManualConfig
    {
        public ContextLatencyConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(200).WithIterationCount(2000)
                .WithInvocationCount(1).WithUnrollFactor(1).WithLaunchCount(1).WithId("per-call"));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.P100);
        }
    }
}

/// <summary>Context model load time (session creation included), one load per iteration.</summary>
[Config(typeof(ContextLoadConfig))]
public class ContextLoadBenchmarks
{
    [Benchmark]
    public void LoadContextModel() => ContextBenchModel.Load(64).Dispose();

    private sealed class ContextLoadConfig : ManualConfig
    {
        public ContextLoadConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.ColdStart).WithIterationCount(15).WithLaunchCount(1).WithId("cold"));
            AddColumn(StatisticColumn.P50, StatisticColumn.P100);
        }
    }
}
