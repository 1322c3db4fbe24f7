using Xunit.Abstractions;

namespace Emotion.Privacy.Tests;

public sealed class TestSetEvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void Test_set_has_at_least_400_utterances_in_both_languages_and_styles()
    {
        var set = TestSet.Load();
        Assert.True(set.Count >= 400, $"{set.Count} utterances");
        foreach (var lang in new[] { "es", "en" })
        {
            foreach (var style in new[] { "call", "chat" })
            {
                Assert.Contains(set, u => u.Lang == lang && u.Style == style && u.Spans.Count > 0);
                Assert.Contains(set, u => u.Lang == lang && u.Style == style && u.Spans.Count == 0);
            }
        }
    }

    [Fact]
    public void Precision_and_recall_per_type_meet_the_goals()
    {
        var set = TestSet.Load();
        var (scores, errors, leaked) = TestSet.Evaluate(set, Redactor.Default);
        output.WriteLine(TestSet.Table(set, scores));
        var heldOut = set.Where(u => u.Id.StartsWith("heldout-", StringComparison.Ordinal)).ToList();
        output.WriteLine("held out only:");
        output.WriteLine(TestSet.Table(heldOut, TestSet.Evaluate(heldOut, Redactor.Default).Scores));
        output.WriteLine($"gold values with characters left unredacted: {leaked}");
        foreach (var e in errors) output.WriteLine(e);
        foreach (var (type, s) in scores)
        {
            Assert.True(s.Recall >= 0.98, $"{type}: recall {s.Recall:0.000} < 0.98");
            Assert.True(s.Precision >= 0.95, $"{type}: precision {s.Precision:0.000} < 0.95");
        }
    }

    [Fact]
    public void Independent_writers_set_meets_the_goals()
    {
        // Written by someone who never saw the redactor (Data/independent/README.md): the honest measure of text nobody tuned for.
        var set = TestSet.Load(Path.Combine("independent", "privacy-independent.jsonl"));
        Assert.True(set.Count >= 250, $"{set.Count} utterances");
        var (scores, errors, leaked) = TestSet.Evaluate(set, Redactor.Default);
        output.WriteLine(TestSet.Table(set, scores));
        output.WriteLine($"gold values with characters left unredacted: {leaked}");
        foreach (var e in errors) output.WriteLine(e);
        foreach (var (type, s) in scores)
        {
            Assert.True(s.Recall >= 0.98, $"{type}: recall {s.Recall:0.000} < 0.98");
            Assert.True(s.Precision >= 0.95, $"{type}: precision {s.Precision:0.000} < 0.95");
        }
    }
}
