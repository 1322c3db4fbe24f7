namespace Emotion.Benchmarks.Scoring;
using Emotion.Scoring;
public static class AllocProbe
{
    public static void Run()
    {
        var root = Emotion.Sentiment.SentimentModelLoader.FindRepoRoot()!;
        var convs = GoldCorpus.Read(Path.Combine(root, "models/data/conversations/w5.jsonl"));
        var analyzer = ConversationAnalyzer.Create(ScoringConfig.Load(null), Path.Combine(root, AnswerModel.ShippedDirectory));
        analyzer.Ready.GetAwaiter().GetResult();
        var model = analyzer.Answers!;
        long read = 0, feat = 0, prob = 0, all = 0;
        for (var round = 0; round < 3; round++)
        foreach (var c in convs)
        {
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            var r = analyzer.Read(c);
            var a1 = GC.GetAllocatedBytesForCurrentThread();
            var f = AnswerFeatures.From(r, analyzer.Profile, model.Manifest.Topics);
            var a2 = GC.GetAllocatedBytesForCurrentThread();
            model.Probabilities(f);
            var a3 = GC.GetAllocatedBytesForCurrentThread();
            analyzer.Analyze(c);
            var a4 = GC.GetAllocatedBytesForCurrentThread();
            if (round == 2) { read += a1 - a0; feat += a2 - a1; prob += a3 - a2; all += a4 - a3; }
        }
        var n = convs.Count;
        Console.WriteLine($"per conversation ({convs.Average(c => c.Utterances.Count):0.0} turns): read {read / n / 1024} KB, features {feat / n / 1024} KB, probabilities {prob / n / 1024} KB, analyze {all / n / 1024} KB");
    }
}
