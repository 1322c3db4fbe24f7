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

    /// <summary>
    /// Bytes allocated per conversation by each step of a finalization with the learned answers (the rules' reading, the
    /// answer features, the probabilities) and by <see cref="ConversationAnalyzer.Analyze"/> as a whole, measured on
    /// this thread over the third pass of the conversations; for <c>--alloc-probe</c>, outside BenchmarkDotNet.
    /// </summary>
    public string ProbeAllocations()
    {
        var model = _analyzer.Answers ?? throw new InvalidOperationException("the allocation probe needs the learned answers");
        long read = 0, features = 0, probabilities = 0, analyze = 0;
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var c in _conversations)
            {
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var reading = _analyzer.Read(c);
                var a1 = GC.GetAllocatedBytesForCurrentThread();
                var f = AnswerFeatures.From(reading, _analyzer.Profile, model.Manifest.Topics);
                var a2 = GC.GetAllocatedBytesForCurrentThread();
                model.Probabilities(f);
                var a3 = GC.GetAllocatedBytesForCurrentThread();
                _analyzer.Analyze(c);
                var a4 = GC.GetAllocatedBytesForCurrentThread();
                if (pass < 2) continue;
                (read, features, probabilities, analyze) = (read + a1 - a0, features + a2 - a1, probabilities + a3 - a2, analyze + a4 - a3);
            }
        }
        var n = _conversations.Length * 1024;
        return $"per conversation ({_conversations.Average(c => c.Utterances.Count):0.0} turns): read {read / n} KB, features {features / n} KB, "
            + $"probabilities {probabilities / n} KB, analyze {analyze / n} KB";
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
