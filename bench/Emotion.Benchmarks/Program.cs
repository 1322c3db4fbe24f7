using BenchmarkDotNet.Running;

// The benchmarks run in child processes with their own working directory: resolve a relative
// EMOTION_SENTIMENT_MODEL here, where the user typed it, and refuse a directory that does not exist
// (otherwise every benchmark fails in its child and the table shows NA).
// The same for EMOTION_CONTEXT_MODEL (the context benchmarks' model).
foreach (var variable in new[] { "EMOTION_SENTIMENT_MODEL", "EMOTION_CONTEXT_MODEL" })
{
    if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } modelDir) continue;
    var full = Path.GetFullPath(modelDir);
    if (!Directory.Exists(full))
    {
        Console.Error.WriteLine($"{variable}: '{modelDir}' ({full}) is not a directory.");
        return 2;
    }
    Environment.SetEnvironmentVariable(variable, full);
}

// `--alloc-probe`: what one finalization of a w5 conversation allocates, step by step.
if (args is ["--alloc-probe"])
{
    var probe = new Emotion.Benchmarks.Scoring.AnalyzerBenchmarks { Answers = "learned" };
    probe.Setup();
    Console.WriteLine(probe.ProbeAllocations());
    return 0;
}

// `--loop-analyzer SECONDS [learned|rules]`: finalizes the w5 conversations over and over for that long, outside
// BenchmarkDotNet, so that a profiler (dotnet-trace collect -- ...) sees nothing else.
if (args is ["--loop-analyzer", var secondsText, ..])
{
    var loop = new Emotion.Benchmarks.Scoring.AnalyzerBenchmarks { Answers = args.Length > 2 ? args[2] : "learned" };
    loop.Setup();
    var watch = System.Diagnostics.Stopwatch.StartNew();
    var rounds = 0;
    while (watch.Elapsed.TotalSeconds < double.Parse(secondsText, System.Globalization.CultureInfo.InvariantCulture))
    {
        loop.AnalyzeConversation();
        rounds++;
    }
    var n = rounds * 90;
    Console.WriteLine($"{n} conversations in {watch.Elapsed.TotalSeconds:0.0} s: {watch.Elapsed.TotalMilliseconds / n:0.00} ms each ({loop.Answers}); "
        + $"{GC.GetTotalAllocatedBytes() / n / 1024.0:0} KB allocated each; GCs gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, "
        + $"{GC.GetTotalPauseDuration().TotalSeconds:0.0} s paused");
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
