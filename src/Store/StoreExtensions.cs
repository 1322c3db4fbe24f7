using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Emotion.Store;

/// <summary>Registers the ClickHouse store.</summary>
public static class StoreExtensions
{
    /// <summary>
    /// Binds <see cref="ClickHouseOptions"/> from the <c>ClickHouse</c> section (validated on start) and registers one
    /// long-lived <see cref="ClickHouseStore"/>, the <see cref="Migrator"/> and the <see cref="ReportQueries"/>.
    /// </summary>
    public static IHostApplicationBuilder AddStore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ClickHouseOptions>()
            .BindConfiguration(ClickHouseOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClickHouseOptions>, ClickHouseOptionsValidator>());
        builder.Services.TryAddSingleton<ClickHouseStore>();
        builder.Services.TryAddSingleton<Migrator>();
        builder.Services.TryAddSingleton<ReportQueries>();
        return builder;
    }
}
