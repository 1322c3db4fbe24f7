using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Emotion.Scoring;
using Emotion.Sentiment;

namespace Emotion.Benchmarks.Scoring;

/// <summary>
/// What the finalization of one conversation costs on the scoring loop: <see cref="ConversationAnalyzer.Analyze"/>
/// over the 90 conversations of corpus writer w5 (the corpus's turn labels as the scores, so no turn model runs),
/// with the shipped learned answers and with the rules alone. Op/s is conversations per second.
/// </summary>
[Config(typeof(AnalyzerConfig))]
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private ConversationInput[] _conversations = [];
    private ConversationAnalyzer _analyzer = null!;

    [Params("learned", "rules")]
    public string Answers { get; set; } = "learned";

    [GlobalSetup]
    public void Setup()
    {
        var root = RepoRoot();
        _conversations = [.. GoldCorpus.Read(Path.Combine(root, "models/data/conversations/w5.jsonl"))];
        _analyzer = ConversationAnalyzer.Create(ScoringConfig.Load(null),
            Answers == "learned" ? Path.Combine(root, AnswerModel.ShippedDirectory) : null);
        _analyzer.Ready.GetAwaiter().GetResult(); // the answer models load in the background; not part of a finalization
    }

    [Benchmark(OperationsPerInvoke = 90)]
    public int AnalyzeConversation()
    {
        var n = 0;
        for (var i = 0; i < 90; i++) n += _analyzer.Analyze(_conversations[i % _conversations.Length]).Phases.Count;
        return n;
    }

    private static string RepoRoot() =>
        SentimentModelLoader.FindRepoRoot() ?? throw new DirectoryNotFoundException("Emotion.sln not found above " + AppContext.BaseDirectory);

    private sealed class AnalyzerConfig : ManualConfig
    {
        public AnalyzerConfig()
        {
            AddJob(Job.ShortRun.WithId("short"));
            WithBuildTimeout(TimeSpan.FromMinutes(10)); // the child build takes minutes on a loaded machine
        }
    }
}
