using Emotion.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Emotion.Web;

/// <summary>Registers and maps the web console.</summary>
public static class WebConsoleExtensions
{
    /// <summary>
    /// Binds <see cref="WebConsoleOptions"/> (section <c>Console</c>, validated on start) and registers the console's
    /// reads, the live alert feed and cookie sign-in against the users file. Needs <c>AddStore()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWebConsole(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebConsoleOptions>()
            .BindConfiguration(WebConsoleOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ConsoleQueries>();
        builder.Services.TryAddSingleton(sp => new UserStore(sp.GetRequiredService<IOptions<WebConsoleOptions>>().Value.UsersFile));
        builder.Services.TryAddSingleton<AlertFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertFeed>());
        var keys = builder.Configuration[$"{WebConsoleOptions.SectionName}:{nameof(WebConsoleOptions.KeysDirectory)}"];
        if (keys is { Length: > 0 }) builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keys)).SetApplicationName("emotion-console");
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "emotion.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ConsoleAuth.ValidateAsync;
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Maps the console's pages, assets and live events.</summary>
    public static WebApplication MapWebConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(ServerTiming.Middleware);
        app.UseAuthentication();
        app.UseAuthorization();
        ConsoleEndpoints.Map(app);
        return app;
    }
}
