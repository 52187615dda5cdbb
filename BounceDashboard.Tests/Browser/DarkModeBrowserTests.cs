using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>Dark mode is remembered per user: switched on, it survives a reload and a new browser for the same user.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class DarkModeBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Toggle_ShouldBeRememberedForTheUser_WhenThePageIsOpenedAgainInAnotherBrowser()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using (var first = await BrowserSession.StartAsync(app))
            {
                await first.SignInAsMarketerAsync();
                var toggle = first.Page.Locator("#dark-mode-toggle");
                await Assertions.Expect(toggle).ToHaveAttributeAsync("data-dark", "false");
                await toggle.ClickAsync();
                await Assertions.Expect(toggle).ToHaveAttributeAsync("data-dark", "true");
                await first.ScreenshotAsync("campaigns-dark");
            }

            // A new browser context has no cookie or storage of the first: only the user's stored choice can say dark.
            await using var second = await BrowserSession.StartAsync(app);
            await second.SignInAsMarketerAsync();
            await Assertions.Expect(second.Page.Locator("#dark-mode-toggle")).ToHaveAttributeAsync("data-dark", "true");
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }
}
