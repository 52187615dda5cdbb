using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>A marketer opens the timeline of a demo delivery that bounced, in Debian's Chromium against the running app.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class DeliveryTimelineBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task DeliveryPage_ShouldShowTheBouncedDeliverysTimeline_WhenTheMarketerOpensIt()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            var bounced = await BouncedDeliveryAsync(app.DatabasePath);
            await using var session = await BrowserSession.StartAsync(app);
            await session.SignInAsMarketerAsync();

            await session.GotoAsync($"/deliveries/{bounced.DeliveryId}");
            var page = session.Page;

            await Assertions.Expect(page.Locator("#delivery-address")).ToHaveTextAsync(bounced.Email);
            await Assertions.Expect(page).ToHaveTitleAsync($"Delivery to {bounced.Email} · BounceDashboard");
            await Assertions.Expect(page.Locator("#delivery-campaign")).ToHaveAttributeAsync("href", $"/campaigns/{bounced.CampaignId}");
            await Assertions.Expect(page.Locator(".delivery-state").First).ToHaveAttributeAsync("data-state", bounced.State);
            await Assertions.Expect(page.Locator("#delivery-timeline .timeline-attempt").First).ToContainTextAsync("Attempt 1");
            var bounce = page.Locator("#delivery-timeline .timeline-bounce").First;
            await Assertions.Expect(bounce).ToBeVisibleAsync();
            await Assertions.Expect(bounce.Locator(".bounce-rule")).ToHaveTextAsync(bounced.Rule);
            if (bounced.Diagnostic is { Length: > 0 } diagnostic)
            {
                // Shown as text, whole (the pre keeps its spaces and line breaks).
                Assert.Equal(diagnostic, await bounce.Locator(".bounce-diagnostic").TextContentAsync());
            }

            if (bounced.Email.EndsWith("@gmail.com", StringComparison.Ordinal))
            {
                var help = bounce.Locator("a.provider-help");
                await Assertions.Expect(help).ToHaveTextAsync("What Gmail says about this error");
                await Assertions.Expect(help).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow");
            }

            output.WriteLine($"Delivery {bounced.DeliveryId} to {bounced.Email}: {await page.Locator("#delivery-timeline .mud-timeline-item").CountAsync()} entries");
            output.WriteLine(await session.ScreenshotAsync("delivery-timeline"));

            // A tablet: the page fits its width (long replies wrap instead of widening the page).
            await page.SetViewportSizeAsync(1024, 768);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"the delivery page is {overflow}px wider than a 1024px tablet");
            output.WriteLine(await session.ScreenshotAsync("delivery-timeline-tablet"));

            // An unknown id: the empty state, with the way back.
            await page.SetViewportSizeAsync(1440, 900);
            await session.GotoAsync("/deliveries/987654321");
            await Assertions.Expect(page.Locator("#delivery-not-found")).ToContainTextAsync("No delivery 987654321");
            output.WriteLine(await session.ScreenshotAsync("delivery-not-found"));
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    private sealed record BouncedDelivery(long DeliveryId, long CampaignId, string Email, string State, string Rule, string? Diagnostic);

    /// <summary>A demo delivery with a bounce event, a Gmail recipient when there is one, read from the app's file read-only.</summary>
    private static async Task<BouncedDelivery> BouncedDeliveryAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.Id, d.CampaignId, c.Email, d.State, e.Rule, e.Diagnostic
            FROM Deliveries d
            JOIN Contacts c ON c.Id = d.ContactId
            JOIN BounceEvents e ON e.DeliveryId = d.Id
            WHERE d.State IN ('HardBounced', 'SoftBounced')
            ORDER BY (c.Email LIKE '%@gmail.com') DESC, d.State, d.Id, e.ReceivedAt, e.Id
            LIMIT 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the demo data has no bounced delivery with a bounce event");
        return new BouncedDelivery(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5));
    }
}
