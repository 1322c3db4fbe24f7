using System.Text.Json;
using Emotion.Scoring;

namespace Emotion.Scoring.Tests;

/// <summary>The repository's sample conversations (ASR-style text) through the analyzer with a crude cue-based valence.</summary>
public class SampleConversationTests
{
    private static readonly CueMatcher Negative = new(ScoringConfig.Default.Cues.Distress.AllPhrases().Concat(ScoringConfig.Default.Cues.Product.AllPhrases()));
    private static readonly CueMatcher Positive = new(ScoringConfig.Default.Cues.PositiveContent.AllPhrases().Concat(ScoringConfig.Default.Cues.Gratitude.AllPhrases()));

    public static IEnumerable<ConversationInput> Samples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "samples", "conversations.jsonl"))) dir = dir.Parent;
        if (dir is null) yield break;
        foreach (var line in File.ReadLines(Path.Combine(dir.FullName, "samples", "conversations.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var turns = root.GetProperty("turns").EnumerateArray().Select((t, i) =>
            {
                var text = t.GetProperty("text").GetString() ?? "";
                var norm = TextNormalizer.Normalize(TimingMarkers.Strip(text));
                var v = Negative.IsMatch(norm) ? -0.6f : Positive.IsMatch(norm) ? 0.7f : 0f;
                var start = t.GetProperty("start_s").GetDouble();
                var end = t.TryGetProperty("end_s", out var e) ? e.GetDouble() : start;
                var speaker = t.GetProperty("speaker").GetString() == "agent" ? Speaker.Agent : Speaker.Customer;
                var phase = t.TryGetProperty("phase", out var p) ? p.GetString() : null;
                return new ScoredUtterance(i, speaker, start, end, text, phase, v < 0 ? -1 : v > 0 ? 1 : 0, v, Math.Max(-v, 0), 0, Math.Max(v, 0),
                    v < 0 ? "anger" : v > 0 ? "joy" : "neutral", 0.8f);
            }).ToArray();
            yield return new ConversationInput(root.GetProperty("conversation_id").GetString()!, null, null, null, null,
                root.TryGetProperty("language", out var l) ? l.GetString() : null, null, turns);
        }
    }

    [Fact]
    public void Every_sample_conversation_gives_a_consistent_result()
    {
        var analyzer = new ConversationAnalyzer(ScoringProfile.Default);
        var count = 0;
        foreach (var input in Samples())
        {
            var a = analyzer.Analyze(input);
            count++;
            var sum = a.Drivers.Sum(d => d.Share);
            Assert.True(sum == 0 || Math.Abs(sum - 1) < 1e-9, $"{a.ConversationId}: shares sum {sum}");
            Assert.Equal(sum == 0, a.PrimaryDriver == Drivers.None);
            Assert.InRange(a.ExperienceIndex, 0, 100);
            Assert.Equal(input.Utterances.Count, a.Utterances.Count);
            var order = a.Utterances.Where(u => input.Utterances[u.Turn].Phase is null).Select(u => ScoringProfile.Default.IndexOfPhase(u.Phase)).ToArray();
            Assert.Equal(order.Order(), order);
            if (Environment.GetEnvironmentVariable("EMOTION_DUMP_SAMPLES") is { Length: > 0 } dump)
                File.AppendAllText(dump, a.ToJson() + "\n");
        }
        Assert.True(count > 0, "samples/conversations.jsonl not found or empty");
    }
}
