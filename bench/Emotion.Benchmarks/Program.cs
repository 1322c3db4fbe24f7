using BenchmarkDotNet.Running;

// The benchmarks run in child processes with their own working directory: resolve a relative
// EMOTION_SENTIMENT_MODEL here, where the user typed it, and refuse a directory that does not exist
// (otherwise every benchmark fails in its child and the table shows NA).
if (Environment.GetEnvironmentVariable("EMOTION_SENTIMENT_MODEL") is { Length: > 0 } modelDir)
{
    var full = Path.GetFullPath(modelDir);
    if (!Directory.Exists(full))
    {
        Console.Error.WriteLine($"EMOTION_SENTIMENT_MODEL: '{modelDir}' ({full}) is not a directory.");
        return 2;
    }
    Environment.SetEnvironmentVariable("EMOTION_SENTIMENT_MODEL", full);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
