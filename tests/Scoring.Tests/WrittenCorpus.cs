namespace Emotion.Scoring.Tests;

/// <summary>The repository these tests run in, and every conversation of its written corpus as gold turns.</summary>
internal static class WrittenCorpus
{
    /// <summary>The folder holding Emotion.sln, above the test binary.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Emotion.sln"))) return dir.FullName;
            }
            throw new DirectoryNotFoundException("Emotion.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Every writer's conversations (<c>models/data/conversations/w*.jsonl</c>), writer files in name order.</summary>
    public static IEnumerable<ConversationInput> Conversations() =>
        Directory.GetFiles(Path.Combine(Root, "models/data/conversations"), "w*.jsonl").Order(StringComparer.Ordinal).SelectMany(GoldCorpus.Read);
}
