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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
