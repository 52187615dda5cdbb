using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>
/// An admin finds a demo contact that a confirmed bounce stopped, opens it, reads its history and reactivates it with a
/// reason; a marketer sees the same page without the action. Debian's Chromium against the running app.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class ContactsBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Contacts_ShouldFindOpenAndReactivateAStoppedContact_WhenAnAdminSearchesItsAddress()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            var stopped = await StoppedContactAsync(app.DatabasePath);
            await using (var marketer = await BrowserSession.StartAsync(app))
            {
                await marketer.SignInAsMarketerAsync();
                await marketer.GotoAsync($"/contacts/{stopped.Id}");
                await Assertions.Expect(marketer.Page.Locator("#contact-email")).ToHaveTextAsync(stopped.Email);
                await Assertions.Expect(marketer.Page.Locator("#contact-reactivate")).ToHaveCountAsync(0);
            }

            await using var session = await BrowserSession.StartAsync(app);
            await session.SignInAsAdminAsync();
            await session.GotoAsync("/contacts");
            var page = session.Page;
            await Assertions.Expect(page).ToHaveTitleAsync("Contacts · BounceDashboard");
            await Assertions.Expect(page.Locator("#contacts-tabs .mud-tab").Nth(4)).ToContainTextAsync("Confirmed bounce (");
            await Assertions.Expect(page.Locator("#contacts-grid tr.contact-row").First).ToBeVisibleAsync();
            output.WriteLine(await session.ScreenshotAsync("contacts"));

            // Search the whole address: it is listed first, marked as the exact match, and Enter opens it.
            await page.Locator("#contacts-search").FillAsync(stopped.Email.ToUpperInvariant());
            var first = page.Locator("#contacts-grid tr.contact-row").First;
            await Assertions.Expect(first.Locator(".contact-exact")).ToBeVisibleAsync();
            await Assertions.Expect(first.Locator(".contact-email a")).ToHaveTextAsync(stopped.Email);
            Assert.Contains("search=", page.Url, StringComparison.Ordinal);
            output.WriteLine(await session.ScreenshotAsync("contacts-search"));
            await page.SetViewportSizeAsync(1024, 768);
            var listOverflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(listOverflow <= 0, $"the contacts page is {listOverflow}px wider than a 1024px tablet");
            await page.SetViewportSizeAsync(1440, 900);
            await page.Locator("#contacts-search").PressAsync("Enter");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/contacts/{stopped.Id}$"));

            await Assertions.Expect(page.Locator("#contact-email")).ToHaveTextAsync(stopped.Email);
            await Assertions.Expect(page).ToHaveTitleAsync($"{stopped.Email} · BounceDashboard");
            await Assertions.Expect(page.Locator("#contact-status-line .contact-status")).ToHaveAttributeAsync("data-status", stopped.Status);
            await Assertions.Expect(page.Locator("#contact-history tbody tr.history-delivery").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#contact-history tbody tr.history-bounce").First).ToBeVisibleAsync();
            output.WriteLine(await session.ScreenshotAsync("contact"));

            // A tablet: the page fits its width.
            await page.SetViewportSizeAsync(1024, 768);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"the contact page is {overflow}px wider than a 1024px tablet");
            output.WriteLine(await session.ScreenshotAsync("contact-tablet"));
            await page.SetViewportSizeAsync(1440, 900);

            // Reactivate with a reason: the dialog says what will happen; afterwards the contact is Active and the
            // admin action heads its history.
            await page.Locator("#contact-reactivate").ClickAsync();
            await Assertions.Expect(page.Locator("#reactivate-effects")).ToContainTextAsync("back to Active");
            await Assertions.Expect(page.Locator("#reactivate-confirm")).ToBeDisabledAsync();
            await page.Locator("#reactivate-reason").FillAsync("Mailbox recreated, confirmed by phone");
            output.WriteLine(await session.ScreenshotAsync("contact-reactivate-dialog"));
            await page.Locator("#reactivate-confirm").ClickAsync();
            if (stopped.Complaint)
            {
                await page.Locator("#reactivate-complaint-confirm").ClickAsync();
            }

            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("is active again");
            await Assertions.Expect(page.Locator("#contact-status-line .contact-status")).ToHaveAttributeAsync("data-status", "Active");
            await Assertions.Expect(page.Locator("#contact-reactivate")).ToHaveCountAsync(0);
            var latest = page.Locator("#contact-history tbody tr").First;
            await Assertions.Expect(latest).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("history-audit"));
            await Assertions.Expect(latest.Locator(".history-reason")).ToHaveTextAsync("Mailbox recreated, confirmed by phone");
            await Assertions.Expect(page.Locator("#contact-suppression .suppression-lifted").First).ToContainTextAsync("Lifted");
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }

    private sealed record StoppedContact(long Id, string Email, string Status, bool Complaint);

    /// <summary>A demo contact stopped by bounces (a confirmed bounce when there is one) with a suppression in force.</summary>
    private static async Task<StoppedContact> StoppedContactAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.Id, c.Email, c.Status, s.Reason
            FROM Contacts c
            JOIN SuppressionEntries s ON s.Email = c.Email AND s.LiftedAt IS NULL
            WHERE c.Status IN ('ConfirmedBounce', 'Error')
              AND EXISTS (SELECT 1 FROM Deliveries d WHERE d.ContactId = c.Id)
            ORDER BY c.Status = 'ConfirmedBounce' DESC, c.Id
            LIMIT 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "the demo data has no contact stopped by bounces with a suppression in force");
        return new StoppedContact(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3) == "Complaint");
    }
}
