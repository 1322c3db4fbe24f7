namespace Emotion.Sentiment.Tests;

/// <summary>Locates the repository (the folder holding Emotion.sln) and its model directories.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string EmotionModelDir => Path.Combine(RepoRoot, "models", "emotion-v1");

    public static string ContextModelDir => Path.Combine(RepoRoot, "models", "emotion-v2");

    public static string TinyHfModelDir => Path.Combine(RepoRoot, "models", "tiny-hf");

    /// <summary>Fails (never skips) when a fixture the trainer should have written is missing.</summary>
    public static string RequireFile(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        Assert.True(File.Exists(path), $"Missing fixture {path}: run the trainer (models/train) to write it.");
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Emotion.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Emotion.sln above {AppContext.BaseDirectory}.");
    }
}
