using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>The campaign editor in the running app, driven in Debian's Chromium: a marketer writes, previews and test-sends a draft.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class CampaignEditorBrowserTests(ITestOutputHelper output)
{
    // Over 32 KB, the default SignalR message limit, like a real newsletter: the body reaches the server in one event.
    private static readonly string Html =
        "<html><body><h1>Spring sale</h1><p>Up to 50% off.</p>"
        + "<script>document.body.setAttribute('data-script-ran', 'yes')</script>"
        + "<p><a href=\"https://shop.example.com/spring\">Shop now</a></p>"
        + string.Concat(Enumerable.Repeat("<p style=\"color:#333\">Fresh flowers, garden tools and seeds for every balcony and every garden.</p>\n", 500))
        + "</body></html>";

    [ChromiumFact]
    public async Task Editor_ShouldSaveAPreviewedDraftAndSendATest_WhenAMarketerWritesOne()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using var session = await BrowserSession.StartAsync(app);
            var page = session.Page;
            await session.SignInAsMarketerAsync();

            await session.GotoAsync("/campaigns/new");
            await Assertions.Expect(page).ToHaveTitleAsync("New campaign · BounceDashboard");
            await Field(page, "campaign-name").FillAsync("Browser spring sale");
            await Field(page, "campaign-from-name").FillAsync("Shop team");
            await Field(page, "campaign-from-address").FillAsync("offers@shop.example.com");
            await Field(page, "campaign-subject").FillAsync("Spring is here");
            await Field(page, "campaign-html").FillAsync(Html);
            await Field(page, "campaign-html").BlurAsync();

            // The HTML preview: rendered in a sandboxed iframe, where its script does not run.
            var iframe = page.Locator("iframe#preview-html");
            await Assertions.Expect(iframe).ToHaveAttributeAsync("sandbox", string.Empty);
            var frame = page.FrameLocator("iframe#preview-html");
            await Assertions.Expect(frame.Locator("h1")).ToHaveTextAsync("Spring sale");
            await Assertions.Expect(frame.Locator("body")).Not.ToHaveAttributeAsync("data-script-ran", "yes");

            await page.Locator("#save-draft").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Draft saved.");
            await page.WaitForURLAsync(url => url.EndsWith("/edit", StringComparison.Ordinal));
            await session.ScreenshotAsync("campaign-editor");

            // The text preview: generated from the HTML, since the text part was left empty.
            await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Text preview" }).ClickAsync();
            Assert.True(Html.Length > 40_000, $"the body is {Html.Length} characters");
            await Assertions.Expect(page.Locator("#preview-text")).ToContainTextAsync("Shop now (https://shop.example.com/spring)");
            await session.ScreenshotAsync("campaign-editor-text-preview");

            // Two audiences from the multi-select: the summary counts the contacts they reach, each once.
            await page.Locator(".mud-select:has(label:text-is('Audiences'))").First.ClickAsync();
            var options = page.Locator(".mud-popover-open .mud-list-item");
            await options.Nth(0).ClickAsync();
            await Assertions.Expect(page.Locator("#campaign-reach-summary")).ToContainTextAsync("who can be mailed");
            await options.Nth(1).ClickAsync();
            await Assertions.Expect(page.Locator("#campaign-reach-summary")).ToContainTextAsync("a contact on several audiences gets one message");
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
            await session.ScreenshotAsync("campaign-editor-audiences");

            // Send now asks first, naming the audiences and how many distinct contacts can be mailed; cancelled here.
            // Act once the draft is stored with both audiences: a click straight after the pick raced it (send now saw none).
            await page.Locator("#save-draft").ClickAsync();
            await WaitForStoredAudienceAsync(app.DatabasePath);
            await page.Locator("#send-now").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            try
            {
                await Assertions.Expect(dialog).ToContainTextAsync("distinct members (each contact once) can be mailed");
            }
            catch (PlaywrightException)
            {
                output.WriteLine($"Snackbars: {string.Join(" | ", await page.Locator(".mud-snackbar").AllInnerTextsAsync())}");
                await session.ScreenshotAsync("campaign-editor-send-now-failed");
                throw;
            }

            await session.ScreenshotAsync("campaign-editor-send-now");
            await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0);

            await Field(page, "test-recipients").FillAsync("me@example.org,\ncolleague@example.org");
            await page.Locator("#send-test").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new LocatorFilterOptions { HasText = "Test sent" }))
                .ToContainTextAsync("Test sent to 2 addresses.");
            await session.ScreenshotAsync("campaign-editor-test-sent");

            // On a tablet the previews move under the form; nothing is wider than the screen.
            await page.SetViewportSizeAsync(1024, 768);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"the editor is {overflow}px wider than a 1024px tablet screen");
            await session.ScreenshotAsync("campaign-editor-tablet");

            // A campaign that has been sent opens read-only, with a note saying why.
            await page.SetViewportSizeAsync(1440, 900);
            await session.GotoAsync($"/campaigns/{await SentCampaignIdAsync(app.DatabasePath)}/edit");
            await Assertions.Expect(page.Locator("#editor-readonly")).ToContainTextAsync("can no longer be edited");
            await Assertions.Expect(page.Locator("#save-draft")).ToHaveCountAsync(0);
            await session.ScreenshotAsync("campaign-editor-read-only");

            var (draft, test, testDeliveries) = await StoredAsync(app.DatabasePath);
            Assert.Equal(("Browser spring sale", CampaignState.Draft, "shop.example.com"), (draft.Name, draft.State, draft.FromDomain));
            Assert.Equal(2, draft.AudienceIds.Count);
            Assert.Equal("Test of Browser spring sale", test.Name);
            Assert.Equal(2, testDeliveries);
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    /// <summary>The input or textarea of a MudBlazor field with this id (the id may sit on the element or its wrapper).</summary>
    private static ILocator Field(IPage page, string id) =>
        page.Locator($"input#{id}, textarea#{id}, #{id} input, #{id} textarea").First;

    private static async Task WaitForStoredAudienceAsync(string databasePath)
    {
        for (var tries = 0; tries < 50 && (await StoredAsync(databasePath)).Draft.AudienceIds.Count < 2; tries++)
        {
            await Task.Delay(100);
        }
    }

    private static async Task<long> SentCampaignIdAsync(string databasePath)
    {
        await using var db = ReadOnly(databasePath);
        return await db.Campaigns.AsNoTracking().Where(c => c.State == CampaignState.Sent).Select(c => c.Id).FirstAsync();
    }

    private static SqliteBounceDbContext ReadOnly(string databasePath) =>
        new(new DbContextOptionsBuilder<SqliteBounceDbContext>().UseSqlite($"Data Source={databasePath};Mode=ReadOnly").Options);

    private static async Task<(Campaign Draft, Campaign Test, int TestDeliveries)> StoredAsync(string databasePath)
    {
        await using var db = ReadOnly(databasePath);
        var draft = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Name == "Browser spring sale");
        var test = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Name == "Test of Browser spring sale");
        return (draft, test!, test is null ? 0 : await db.Deliveries.CountAsync(d => d.CampaignId == test.Id));
    }
}
