using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Emotion.Sentiment;

/// <summary>Registers the sentiment model with the host.</summary>
public static class SentimentServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SentimentOptions"/> from the <c>Sentiment</c> section (validated on start) and registers the
    /// model (<see cref="ISentimentModel"/>, loaded once by <see cref="SentimentModelLoader"/>, disposed with the host)
    /// and a <see cref="SentimentBatcher"/> over it, both singletons.
    /// </summary>
    public static IHostApplicationBuilder AddSentiment(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SentimentOptions>()
            .BindConfiguration(SentimentOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SentimentOptions>, SentimentOptionsValidator>();
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton<ISentimentModel>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SentimentOptions>>().Value;
            return SentimentModelLoader.Load(SentimentModelLoader.ResolveModelDir(options.ModelDir, contentRoot), options);
        });
        builder.Services.AddSingleton(sp =>
            new SentimentBatcher(sp.GetRequiredService<ISentimentModel>(), sp.GetRequiredService<IOptions<SentimentOptions>>().Value));
        return builder;
    }

    private sealed class SentimentOptionsValidator : IValidateOptions<SentimentOptions>
    {
        public ValidateOptionsResult Validate(string? name, SentimentOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
