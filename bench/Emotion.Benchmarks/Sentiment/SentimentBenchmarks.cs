using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Emotion.Sentiment;

namespace Emotion.Benchmarks.Sentiment;

/// <summary>Where the benchmarks find the model: $EMOTION_SENTIMENT_MODEL, else models/emotion-v1 under the repository root.</summary>
internal static class BenchModel
{
    public static string Dir =>
        Environment.GetEnvironmentVariable("EMOTION_SENTIMENT_MODEL") is { Length: > 0 } dir
            ? dir
            : SentimentModelLoader.ResolveModelDir("models/emotion-v1");

    /// <summary>The default options (one intra-op thread) with the given batch size.</summary>
    public static SentimentOptions Options(int maxBatch, int intraOpThreads = 1) =>
        new() { MaxBatchSize = maxBatch, IntraOpThreads = intraOpThreads };
}

/// <summary>Batched throughput on 1,024 utterances per invocation; the Op/s column is utterances per second.</summary>
[Config(typeof(ThroughputConfig))]
[MemoryDiagnoser]
public class SentimentThroughputBenchmarks
{
    private const int Utterances = 1024;

    private ISentimentModel _model = null!;
    private SentimentInput[][] _batches = [];

    [Params(32, 64, 128)]
    public int BatchSize { get; set; }

    /// <summary>ONNX Runtime intra-op threads (the default is 1).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = SentimentModelLoader.Load(BenchModel.Dir, BenchModel.Options(BatchSize, Threads));
        _batches = Sentiment.Utterances.Generate(Utterances).Select(t => new SentimentInput(t)).Chunk(BatchSize).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark(OperationsPerInvoke = Utterances)]
    public float Batched()
    {
        var sum = 0f;
        foreach (var batch in _batches)
        {
            foreach (var p in _model.Predict(batch)) sum += p.Valence;
        }
        return sum;
    }

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig()
        {
            AddJob(Job.ShortRun.WithId("short"));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}

/// <summary>
/// One utterance per call, each call its own iteration (invocation count 1), so the percentile columns are the
/// distribution of single-call latencies over 2,000 calls rather than of iteration means.
/// </summary>
[Config(typeof(LatencyConfig))]
public class SentimentLatencyBenchmarks
{
    private ISentimentModel _model = null!;
    private SentimentInput[] _inputs = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _model = SentimentModelLoader.Load(BenchModel.Dir, BenchModel.Options(64));
        _inputs = Sentiment.Utterances.Generate(512, seed: 7).Select(t => new SentimentInput(t)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public SentimentPrediction SingleUtterance() => _model.Predict([_inputs[_next++ % _inputs.Length]])[0];

    private sealed class LatencyConfig : ManualConfig
    {
        public LatencyConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithWarmupCount(200).WithIterationCount(2000)
                .WithInvocationCount(1).WithUnrollFactor(1).WithLaunchCount(1).WithId("per-call"));
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, new PercentileColumn(99), StatisticColumn.P100);
        }
    }
}

/// <summary>Model load time (session creation included), one load per iteration.</summary>
[Config(typeof(LoadConfig))]
public class SentimentLoadBenchmarks
{
    [Benchmark]
    public void LoadModel()
    {
        using var model = SentimentModelLoader.Load(BenchModel.Dir, BenchModel.Options(64));
    }

    private sealed class LoadConfig : ManualConfig
    {
        public LoadConfig()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.ColdStart).WithIterationCount(15).WithLaunchCount(1).WithId("cold"));
            AddColumn(StatisticColumn.P50, StatisticColumn.P100);
        }
    }
}

/// <summary>Tokenizer alone: 1,024 utterances per invocation into a reused id buffer; Op/s is utterances per second.</summary>
[Config(typeof(TokenizerConfig))]
[MemoryDiagnoser]
public class HashTokenizerBenchmarks
{
    private const int Utterances = 1024;

    private HashTokenizer _tokenizer = null!;
    private string[] _texts = [];
    private long[] _ids = [];

    [GlobalSetup]
    public void Setup()
    {
        _tokenizer = HashTokenizer.FromFile(Path.Combine(BenchModel.Dir, OnnxSentimentModel.TokenizerFile));
        _texts = Sentiment.Utterances.Generate(Utterances);
        _ids = new long[_tokenizer.IdsPerText];
    }

    [Benchmark(OperationsPerInvoke = Utterances)]
    public int Encode()
    {
        var tokens = 0;
        foreach (var text in _texts) tokens += _tokenizer.Encode(text, _ids);
        return tokens;
    }

    private sealed class TokenizerConfig : ManualConfig
    {
        public TokenizerConfig()
        {
            AddJob(Job.ShortRun.WithId("short"));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}

/// <summary>A percentile of the measured distribution (BenchmarkDotNet ships P0..P100 in steps that skip P99).</summary>
internal sealed class PercentileColumn(int percentile) : IColumn
{
    public string Id => $"P{percentile}";

    public string ColumnName => $"P{percentile}";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => percentile;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Time;

    public string Legend => $"{percentile}th percentile of the measurements";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null) return "NA";
        var nanoseconds = statistics.Percentiles.Percentile(percentile);
        return (nanoseconds / 1_000_000).ToString("0.000 'ms'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
