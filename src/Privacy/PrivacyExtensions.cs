using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Emotion.Privacy;

/// <summary>Registration of the privacy rules.</summary>
public static class PrivacyExtensions
{
    /// <summary>Binds <see cref="PrivacyOptions"/> to the <c>Privacy</c> section and registers one <see cref="PrivacyPolicy"/>.</summary>
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        builder.Services.TryAddSingleton(sp => new PrivacyPolicy(sp.GetRequiredService<IOptions<PrivacyOptions>>().Value));
        return builder;
    }
}
