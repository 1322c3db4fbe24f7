using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Emotion.Sentiment.Tests;

public sealed class SentimentOptionsTests
{
    [Fact]
    public void Validate_names_every_bad_setting()
    {
        var errors = new SentimentOptions { MaxBatchSize = 0, IntraOpThreads = -1, ModelDir = " " }.Validate();
        Assert.Contains(errors, e => e.Contains("Sentiment:MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Sentiment:IntraOpThreads", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Sentiment:ModelDir", StringComparison.Ordinal));
        Assert.Empty(new SentimentOptions().Validate());
    }

    [Fact]
    public void AddSentiment_binds_the_sentiment_section()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sentiment:ModelDir"] = "/some/model",
            ["Sentiment:MaxBatchSize"] = "128",
            ["Sentiment:IntraOpThreads"] = "2",
            ["Sentiment:MaxBatchWait"] = "00:00:00.005",
            ["Sentiment:GraphOptimizationLevel"] = "ORT_ENABLE_EXTENDED",
        });
        builder.AddSentiment();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<SentimentOptions>>().Value;

        Assert.Equal("/some/model", options.ModelDir);
        Assert.Equal(128, options.MaxBatchSize);
        Assert.Equal(2, options.IntraOpThreads);
        Assert.Equal(TimeSpan.FromMilliseconds(5), options.MaxBatchWait);
        Assert.Equal(Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, options.GraphOptimizationLevel);
    }

    [Fact]
    public async Task AddSentiment_fails_on_start_when_the_options_are_invalid()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sentiment:MaxBatchSize"] = "0" });
        builder.AddSentiment();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Sentiment:MaxBatchSize", error.Message);
    }
}
