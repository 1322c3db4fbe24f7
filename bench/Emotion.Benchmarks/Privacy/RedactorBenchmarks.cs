using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Emotion.Benchmarks.Sentiment;
using Emotion.Privacy;

namespace Emotion.Benchmarks.Privacy;

/// <summary>
/// Cost of redaction per utterance on the consume thread (issue 14): the 1,024 contact-center utterances of the sentiment
/// benchmarks (almost no personal data: the common case), and the 302 utterances of the privacy test set that hold
/// personal data (cards, ids, phones, e-mails, accounts written and spelled out: the expensive case).
/// </summary>
[Config(typeof(RedactorConfig))]
[MemoryDiagnoser]
public class RedactorBenchmarks
{
    private const int Typical = 1024;
    private const int WithPersonalData = 302;
    private string[] _typical = [];
    private (string Text, string Lang)[] _personal = [];
    private readonly PrivacyPolicy _policy = new();

    [GlobalSetup]
    public void Setup()
    {
        _typical = Utterances.Generate(Typical);
        using var stream = typeof(RedactorBenchmarks).Assembly.GetManifestResourceStream("privacy-testset.jsonl")
            ?? throw new InvalidOperationException("privacy-testset.jsonl is not embedded");
        using var reader = new StreamReader(stream);
        var list = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("spans").GetArrayLength() == 0) continue;
            list.Add((doc.RootElement.GetProperty("text").GetString()!, doc.RootElement.GetProperty("lang").GetString()!));
        }
        _personal = [.. list];
        if (_personal.Length != WithPersonalData)
            throw new InvalidOperationException($"the test set has {_personal.Length} utterances with personal data; set WithPersonalData to it");
    }

    /// <summary>Per utterance, the common case: text without personal data comes back as the same instance.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Typical)]
    public int TypicalUtterances()
    {
        var n = 0;
        foreach (var t in _typical) n += Redactor.Default.Redact(t, out _, "es").Length;
        return n;
    }

    /// <summary>Per utterance, every one holding personal data.</summary>
    [Benchmark(OperationsPerInvoke = WithPersonalData)]
    public int UtterancesWithPersonalData()
    {
        var n = 0;
        foreach (var (t, lang) in _personal) n += Redactor.Default.Redact(t, out _, lang).Length;
        return n;
    }

    /// <summary>Per utterance, the consumer's path: tenant rules, a turn's question carried to the next turn, metrics.</summary>
    [Benchmark(OperationsPerInvoke = Typical)]
    public int TypicalUtterancesThroughPolicy()
    {
        var n = 0;
        for (var i = 0; i < _typical.Length; i++)
        {
            n += _policy.RedactTurn(_typical[i], "acme", "es", ConversationIds[i & 63], out _).Length;
        }
        return n;
    }

    private static readonly string[] ConversationIds = Enumerable.Range(0, 64).Select(i => $"c-{i}").ToArray();

    private sealed class RedactorConfig : ManualConfig
    {
        public RedactorConfig()
        {
            AddJob(Job.ShortRun.WithId("short"));
        }
    }
}
