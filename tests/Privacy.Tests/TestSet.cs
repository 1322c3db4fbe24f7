using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Emotion.Privacy.Tests;

/// <summary>One utterance of the labelled test set (Data/privacy-testset.jsonl, built by Data/build_testset.py).</summary>
internal sealed record LabelledUtterance(string Id, string Lang, string Style, IReadOnlyList<string> Tags, string Text, IReadOnlyList<PiiSpan> Spans);

/// <summary>Precision and recall of the redactor on the labelled test set, per type.</summary>
internal static class TestSet
{
    /// <summary>The project's set (default) or the independent writer's set (<c>independent/privacy-independent.jsonl</c>).</summary>
    public static IReadOnlyList<LabelledUtterance> Load(string file = "privacy-testset.jsonl")
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", file);
        var list = new List<LabelledUtterance>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            var spans = r.GetProperty("spans").EnumerateArray()
                .Select(s => new PiiSpan(s.GetProperty("start").GetInt32(), s.GetProperty("end").GetInt32() - s.GetProperty("start").GetInt32(),
                    Enum.Parse<PiiType>(s.GetProperty("type").GetString()!, ignoreCase: true)))
                .ToList();
            list.Add(new LabelledUtterance(r.GetProperty("id").GetString()!, r.GetProperty("lang").GetString()!, r.GetProperty("style").GetString()!,
                r.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList(), r.GetProperty("text").GetString()!, spans));
        }
        return list;
    }

    /// <summary>Counts per type.</summary>
    public sealed class Score
    {
        public int Gold;
        public int Found;
        public int Predicted;
        public int Correct;

        public double Recall => Gold == 0 ? 1 : (double)Found / Gold;
        public double Precision => Predicted == 0 ? 1 : (double)Correct / Predicted;
    }

    /// <summary>
    /// A gold span is found when a predicted span of its type overlaps it and the predicted spans (of any type) cover
    /// every letter and digit of it: nothing of the value is left in the text. A predicted span is correct when it
    /// overlaps a gold span of its type.
    /// </summary>
    public static (Dictionary<PiiType, Score> Scores, List<string> Errors, int LeakedGold) Evaluate(IReadOnlyList<LabelledUtterance> set, Redactor redactor)
    {
        var scores = Enum.GetValues<PiiType>().ToDictionary(t => t, _ => new Score());
        var errors = new List<string>();
        var leaked = 0;
        foreach (var u in set)
        {
            var predicted = redactor.Find(u.Text, u.Lang);
            foreach (var g in u.Spans)
            {
                var s = scores[g.Type];
                s.Gold++;
                var sameType = predicted.Any(p => p.Type == g.Type && Overlaps(p, g));
                var covered = Covered(u.Text, g, predicted);
                if (sameType && covered) s.Found++;
                else errors.Add($"MISS {g.Type} {u.Id}: \"{u.Text.Substring(g.Start, g.Length)}\" -> {Show(u.Text, predicted)}");
                if (!covered) leaked++;
            }
            foreach (var p in predicted)
            {
                var s = scores[p.Type];
                s.Predicted++;
                if (u.Spans.Any(g => g.Type == p.Type && Overlaps(p, g))) s.Correct++;
                else errors.Add($"FALSE {p.Type} {u.Id} [{string.Join(',', u.Tags)}]: \"{u.Text.Substring(p.Start, p.Length)}\" in \"{u.Text}\"");
            }
        }
        return (scores, errors, leaked);
    }

    private static bool Overlaps(PiiSpan a, PiiSpan b) => a.Start < b.End && b.Start < a.End;

    private static bool Covered(string text, PiiSpan gold, IReadOnlyList<PiiSpan> predicted)
    {
        for (var i = gold.Start; i < gold.End; i++)
        {
            if (!char.IsLetterOrDigit(text[i])) continue;
            if (!predicted.Any(p => p.Start <= i && i < p.End)) return false;
        }
        return true;
    }

    private static string Show(string text, IReadOnlyList<PiiSpan> predicted)
    {
        if (predicted.Count == 0) return "(nothing)";
        return string.Join("; ", predicted.Select(p => $"{p.Type}:\"{text.Substring(p.Start, p.Length)}\""));
    }

    /// <summary>The markdown table of docs/privacy.md.</summary>
    public static string Table(IReadOnlyList<LabelledUtterance> set, Dictionary<PiiType, Score> scores)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| type | values | found | predicted | correct | recall | precision |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var (t, s) in scores)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Placeholders.Name(t)} | {s.Gold} | {s.Found} | {s.Predicted} | {s.Correct} | {s.Recall:0.000} | {s.Precision:0.000} |"));
        }
        return sb.ToString();
    }
}
