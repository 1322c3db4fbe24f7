using System.CommandLine;
using Emotion.Sentiment;

namespace Emotion.Host.Commands;

/// <summary>Options shared by every command that talks to Kafka or ClickHouse.</summary>
internal static class CommonOptions
{
    /// <summary>Where the embedded default keeps its state (broker address, ClickHouse data, results).</summary>
    public static string LocalDir =>
        Environment.GetEnvironmentVariable("EMOTION_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(FindRepoRoot() ?? Directory.GetCurrentDirectory(), ".local");

    /// <summary>The bootstrap address file that <c>emotion broker</c> writes.</summary>
    public static string BrokerAddressFile => Path.Combine(LocalDir, "broker", "bootstrap");

    public static Option<string?> BootstrapServers() => new("--bootstrap-servers")
    {
        Description = "Kafka bootstrap servers (host:port,...). Default: $EMOTION_BOOTSTRAP_SERVERS, else the local broker started by 'emotion broker'.",
    };

    public static Option<string?> ClickHouse() => new("--clickhouse")
    {
        Description = "ClickHouse connection string. Default: $EMOTION_CLICKHOUSE, else the local server on 127.0.0.1:8123, database 'emotion'.",
    };

    /// <summary>Resolves the bootstrap servers from the option, the environment, or the local broker's file.</summary>
    public static string ResolveBootstrap(string? fromOption)
    {
        if (!string.IsNullOrWhiteSpace(fromOption)) return fromOption;
        if (Environment.GetEnvironmentVariable("EMOTION_BOOTSTRAP_SERVERS") is { Length: > 0 } env) return env;
        if (File.Exists(BrokerAddressFile)) return File.ReadAllText(BrokerAddressFile).Trim();
        throw new InvalidOperationException(
            $"No Kafka bootstrap servers: pass --bootstrap-servers, set EMOTION_BOOTSTRAP_SERVERS, or start 'emotion broker' (it writes {BrokerAddressFile}).");
    }

    /// <summary>
    /// Whether the bootstrap servers come from the embedded broker's address file (no option, no environment
    /// variable), i.e. the local default that <c>emotion broker</c> or scripts/broker.sh started.
    /// </summary>
    public static bool IsLocalBroker(string? fromOption)
    {
        if (!string.IsNullOrWhiteSpace(fromOption))
            return File.Exists(BrokerAddressFile) && string.Equals(File.ReadAllText(BrokerAddressFile).Trim(), fromOption.Trim(), StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("EMOTION_BOOTSTRAP_SERVERS") is { Length: > 0 } env)
            return File.Exists(BrokerAddressFile) && string.Equals(File.ReadAllText(BrokerAddressFile).Trim(), env.Trim(), StringComparison.Ordinal);
        return File.Exists(BrokerAddressFile);
    }

    /// <summary>Resolves the ClickHouse connection string from the option or the environment.</summary>
    public static string ResolveClickHouse(string? fromOption)
    {
        if (!string.IsNullOrWhiteSpace(fromOption)) return fromOption;
        if (Environment.GetEnvironmentVariable("EMOTION_CLICKHOUSE") is { Length: > 0 } env) return env;
        return "Host=127.0.0.1;Port=8123;Database=emotion;Username=default;JsonReadMode=None;JsonWriteMode=None";
    }

    /// <summary>The model directory: the option, else $EMOTION_MODEL, else <see cref="SentimentOptions.DefaultModelDirectory"/> in the repository.</summary>
    public static string ResolveModelDir(string? fromOption)
    {
        if (!string.IsNullOrWhiteSpace(fromOption)) return Path.GetFullPath(fromOption);
        if (Environment.GetEnvironmentVariable("EMOTION_MODEL") is { Length: > 0 } env) return Path.GetFullPath(env);
        var root = FindRepoRoot() ?? throw new InvalidOperationException($"No model directory: pass --model DIR or set EMOTION_MODEL ({SentimentOptions.DefaultModelDirectory} is used inside the repository).");
        return Path.Combine(root, SentimentOptions.DefaultModelDirectory);
    }

    /// <summary>The repository root (the folder holding Emotion.sln), searched upward from the working directory and the binary.</summary>
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Emotion.sln"))) return dir.FullName;
            }
        }
        return null;
    }
}
