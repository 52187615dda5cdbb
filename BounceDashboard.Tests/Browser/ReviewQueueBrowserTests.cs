using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>The review queue in Debian's Chromium against the app as a real process (demo data).</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class ReviewQueueBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task ReviewQueue_ShouldLetAnAdminResolveItemsAndRefuseAMarketer_WhenOpened()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            await using (var admin = await BrowserSession.StartAsync(app))
            {
                var page = admin.Page;
                await admin.SignInAsAdminAsync();
                await admin.GotoAsync("/admin/review");
                await Assertions.Expect(page).ToHaveTitleAsync("Review queue · BounceDashboard");

                // The oldest item opens at once, with its reading.
                await Assertions.Expect(page.Locator("#review-detail-title")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                var total = int.Parse((await page.Locator("#review-cause-all").GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(total > 0, "the demo data should leave items for review");

                // A stored message with markup in it: shown as text in the <pre>, never rendered.
                await page.Locator("#review-cause-Unparseable").ClickAsync();
                var headerless = page.Locator("#review-grid tr.review-row", new() { HasTextString = "Failed to parse message headers" });
                await headerless.ClickAsync();
                var raw = page.Locator("pre#review-raw");
                await Assertions.Expect(raw).ToContainTextAsync("<script>alert('not run')</script>");
                Assert.Equal(0, await raw.Locator("script, img").CountAsync());
                output.WriteLine(await admin.ScreenshotAsync("review-queue"));

                // Resolve the oldest unmatched report: match it to a contact who was sent something before it arrived.
                await page.Locator("#review-cause-Unmatched").ClickAsync();
                await Assertions.Expect(page.Locator("#review-match")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                var eventId = long.Parse((await page.Locator("#review-detail-title").TextContentAsync())!.Trim()["BounceEvent ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                var email = await ContactSentBeforeAsync(app.DatabasePath, eventId);
                await page.Locator("#review-match").ClickAsync();
                await page.Locator("#review-match-search").FillAsync(email);
                await page.Locator("#review-match-find").ClickAsync();
                await Assertions.Expect(page.Locator(".review-match-dialog input[type='radio']").First).ToBeCheckedAsync();
                await page.Locator("#review-match-note").FillAsync("Forwarded address, confirmed by the customer");
                output.WriteLine(await admin.ScreenshotAsync("review-queue-match"));
                await page.Locator("#review-match-confirm").ClickAsync();
                await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Matched to delivery");
                await Assertions.Expect(page.Locator("#review-cause-all")).ToHaveAttributeAsync("data-count", (total - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(("Applied", "MatchReviewItem"), await StateAndAuditAsync(app.DatabasePath, eventId));

                // A tablet: the page fits its width.
                await page.SetViewportSizeAsync(1024, 768);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                Assert.True(overflow <= 0, $"the review queue is {overflow}px wider than a 1024px tablet");
                output.WriteLine(await admin.ScreenshotAsync("review-queue-tablet"));
            }

            // A Marketer is sent to the access-denied page, which answers 403.
            await using var marketer = await BrowserSession.StartAsync(app);
            await marketer.SignInAsMarketerAsync();
            var response = await marketer.Page.GotoAsync("/admin/review");
            Assert.NotNull(response);
            Assert.Equal(403, response.Status);
            Assert.Contains("/Account/AccessDenied", marketer.Page.Url, StringComparison.Ordinal);
            await Assertions.Expect(marketer.Page.Locator("#review-title")).ToHaveCountAsync(0);
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    /// <summary>A contact with a delivery attempted before the event arrived, read from the app's file read-only.</summary>
    private static async Task<string> ContactSentBeforeAsync(string databasePath, long eventId)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.Email FROM Deliveries d JOIN Contacts c ON c.Id = d.ContactId
            WHERE d.LastAttemptAt IS NOT NULL AND d.LastAttemptAt <= (SELECT ReceivedAt FROM BounceEvents WHERE Id = $id)
              AND c.Status = 'Active'
            ORDER BY d.Id LIMIT 1
            """;
        command.Parameters.AddWithValue("$id", eventId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(string State, string? Audit)> StateAndAuditAsync(string databasePath, long eventId)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT e.State, (SELECT a.Action FROM AuditLogEntries a WHERE a.Target = 'BounceEvent ' || e.Id)
            FROM BounceEvents e WHERE e.Id = $id
            """;
        command.Parameters.AddWithValue("$id", eventId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
