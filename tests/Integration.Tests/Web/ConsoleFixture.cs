using Emotion.Access;
using Emotion.Integration.Tests.Kafka;
using Emotion.Integration.Tests.Pipeline;
using Emotion.Ingest.Replay;
using Emotion.Store;
using Emotion.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Emotion.Integration.Tests.Web;

/// <summary>
/// The console on the real servers: the demo's sample conversations produced to the test broker and scored by the
/// pipeline into a fresh ClickHouse database, users of every role for two tenants, <c>emotion serve</c>'s application on
/// a free port, and Debian's chromium driven by Playwright (<c>/usr/bin/chromium</c>; Playwright downloads no browser).
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string Tenant = "banco-andino";
    public const string OtherTenant = "telco-sur";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "emotion-console-it-" + Guid.NewGuid().ToString("N"));
    private KafkaTestBroker _broker = null!;
    private WebApplication _app = null!;
    private IPlaywright _playwright = null!;

    internal PipelineEnv Env { get; private set; } = null!;
    public string ClickHouse { get; private set; } = "";
    public ClickHouseStore Store { get; private set; } = null!;
    public string Group { get; } = "console-" + Guid.NewGuid().ToString("N");
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public string Bootstrap => _broker.Bootstrap;

    /// <summary>Where screenshots go: <c>EMOTION_CONSOLE_SCREENSHOTS</c> (docs/img for the README), else the temp folder.</summary>
    public static string ScreenshotDir =>
        Environment.GetEnvironmentVariable("EMOTION_CONSOLE_SCREENSHOTS") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), "emotion-console-screens");

    /// <summary>User name per role, all with password <see cref="Password"/>.</summary>
    public static readonly (string Name, Role Role, string? Tenant)[] Users =
    [
        ("qa-andino", Role.QaAnalyst, Tenant), ("coach-andino", Role.Coach, Tenant), ("client-andino", Role.Client, Tenant),
        ("super-andino", Role.Supervisor, Tenant), ("qa-telco", Role.QaAnalyst, OtherTenant), ("client-telco", Role.Client, OtherTenant),
        ("admin", Role.Admin, null),
    ];

    public static string Password(string user) => user + "-secret-pw";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), "chromium is missing: install the Debian package 'chromium' (scripts/setup.sh does).");
        _broker = new KafkaTestBroker();
        Env = new PipelineEnv(_broker.Bootstrap);
        ClickHouse = Env.NewDatabase(out var store);
        Store = store;

        // The demo data: every sample conversation through Kafka, the model and the pipeline.
        var root = Emotion.Host.Commands.CommonOptions.FindRepoRoot()!;
        var samples = File.ReadLines(Path.Combine(root, "samples", "conversations.jsonl"))
            .Where(l => l.Trim().Length > 0).Select(ConversationFile.Parse).ToList();
        Env.Produce(samples);
        await Env.RunUntilIdleAsync(ClickHouse, Group, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(400));
        // Half a year of history before today (synthetic, as 'emotion serve bench' seeds it), so trends have weeks to show;
        // the demo calls stay the newest.
        await Emotion.Host.Bench.ConsoleSeed.SeedAsync(Store, 4000, 15, 7, _ => { }, CancellationToken.None, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1));

        Directory.CreateDirectory(_dir);
        var users = new UserStore(Path.Combine(_dir, "users.json"));
        foreach (var (name, role, tenant) in Users)
        {
            users.Add(name, role, tenant);
            users.SetPassword(name, Password(name));
        }

        _app = WebConsoleHost.Build(new WebConsoleSettings("http://127.0.0.1:0", ClickHouse, users.Path, _broker.Bootstrap, Env.Prefix + "alerts",
            Path.Combine(_dir, "keys"), root));
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) signed in as <paramref name="user"/>, on the page the role lands on.</summary>
    public async Task<IPage> SignInAsync(string user, string lang = "es")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, BaseURL = BaseUrl, Locale = lang == "es" ? "es-ES" : "en-US" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        if (lang != "es") await page.GotoAsync("/lang/" + lang + "?back=/login");
        await page.GotoAsync("/login");
        await page.FillAsync("#f-user", user);
        await page.FillAsync("#f-password", Password(user));
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-testid=who]");
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, "console-" + name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        if (Env is not null) await Env.DisposeAsync();
        _broker?.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
