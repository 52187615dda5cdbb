using BounceDashboard.Tests.Browser;
using Microsoft.Playwright;
using Xunit;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright against an <see cref="AppProcess"/>: launch, sign in as a demo user, wait for
/// the Blazor circuit (prerendered HTML is inert until it is up), and save screenshots under <c>screenshots/</c> in the
/// test output folder. Tests using it carry <c>[Trait("Category", "Browser")]</c> and <see cref="ChromiumFactAttribute"/>.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The folder screenshots go to (the README's images are copied from here).</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<BrowserSession> StartAsync(AppProcess app, int width = 1440, int height = 900)
    {
        Assert.True(File.Exists(ChromiumFactAttribute.ChromiumPath),
            $"{ChromiumFactAttribute.ChromiumPath} is required ({ChromiumFactAttribute.RequireExternalVariable}=1) but missing.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        return new BrowserSession(playwright, browser, context, page);
    }

    /// <summary>Signs in through the login form and waits until the landing page is interactive.</summary>
    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/Account/Login");
        await Page.Locator("input[name='Input.Email']").FillAsync(email);
        await Page.Locator("input[name='Input.Password']").FillAsync(password);
        await Page.Locator("#sign-in").ClickAsync();
        // Waits for the navigation to commit, not for the load event: on a busy machine the landing page's scripts can
        // take long, and the circuit marker below is what says the page is ready.
        await Page.WaitForURLAsync(
            url => !url.Contains("/Account/Login", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await WaitForCircuitAsync();
    }

    public Task SignInAsMarketerAsync() => SignInAsync(BounceDashboardApp.MarketerEmail, BounceDashboardApp.MarketerPassword);

    public Task SignInAsAdminAsync() => SignInAsync(BounceDashboardApp.AdminEmail, BounceDashboardApp.AdminPassword);

    /// <summary>Opens a page of the app and waits until its circuit is up, so clicks are not lost.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForCircuitAsync();
    }

    public Task WaitForCircuitAsync() =>
        Page.Locator("#circuit-state[data-interactive='true']")
            .WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    /// <summary>Saves a full-page screenshot as <c>screenshots/NAME.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
