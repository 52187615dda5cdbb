using BounceDashboard.Tests.TestInfrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace BounceDashboard.Tests.Browser;

/// <summary>An admin creates a Marketer, sees it in the list and the audit log; the new user sets a password and signs in.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserTestsInTurn.Name)]
public sealed class UsersBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task CreateUser_ShouldListAuditAndLetTheUserSignIn_WhenAnAdminCreatesAMarketerWithALink()
    {
        await using var app = await AppProcess.StartAsync();
        try
        {
            const string email = "browser-marketer@example.org";
            const string password = "Browser#2026a";
            string link;
            await using (var admin = await BrowserSession.StartAsync(app))
            {
                var page = admin.Page;
                await admin.SignInAsAdminAsync();

                // The list: the demo users.
                await admin.GotoAsync("/admin/users");
                await Assertions.Expect(page).ToHaveTitleAsync("Users · BounceDashboard");
                await Assertions.Expect(page.Locator("#users-grid td.user-email", new PageLocatorOptions { HasTextString = BounceDashboardApp.MarketerEmail })).ToBeVisibleAsync();

                // Create a Marketer with a one-time link (the default), shown once.
                await page.Locator("#new-user").ClickAsync();
                await page.Locator("#new-user-email").FillAsync(email);
                await page.Locator("#new-user-save").ClickAsync();
                var linkField = page.Locator("#one-time-link");
                await Assertions.Expect(linkField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/Account/ResetPassword\\?userId="));
                link = await linkField.InputValueAsync();
                await page.Locator("#one-time-link-close").ClickAsync();
                var row = page.Locator("#users-grid tr.user-row", new PageLocatorOptions { HasTextString = email });
                await Assertions.Expect(row).ToBeVisibleAsync();
                await Assertions.Expect(row.Locator(".user-role")).ToHaveTextAsync("Marketer");
                output.WriteLine($"Screenshot: {await admin.ScreenshotAsync("users")}");

                // The audit log has the CreateUser entry, filtered through the URL.
                await admin.GotoAsync("/admin/audit?action=CreateUser");
                await Assertions.Expect(page).ToHaveTitleAsync("Audit log · BounceDashboard");
                var entry = page.Locator("#audit-grid tr.audit-row", new PageLocatorOptions { HasTextString = email });
                await Assertions.Expect(entry).ToBeVisibleAsync();
                await Assertions.Expect(entry.Locator(".audit-action")).ToHaveTextAsync("Created user");
                await Assertions.Expect(entry.Locator(".audit-actor")).ToHaveTextAsync(BounceDashboardApp.AdminEmail);
                await admin.GotoAsync("/admin/audit");
                await page.Locator("#audit-grid tr.audit-row").First.WaitForAsync();
                output.WriteLine($"Screenshot: {await admin.ScreenshotAsync("audit-log")}");

                // On a tablet the controls stay on screen (the grids scroll sideways).
                await page.SetViewportSizeAsync(1024, 768);
                await Assertions.Expect(page.Locator("#audit-download")).ToBeInViewportAsync();
                output.WriteLine($"Screenshot: {await admin.ScreenshotAsync("audit-log-tablet")}");
                await admin.GotoAsync("/admin/users");
                await Assertions.Expect(page.Locator("#new-user")).ToBeInViewportAsync();
                await Assertions.Expect(page.Locator("#users-grid tr.user-row").First.Locator(".user-menu")).ToBeVisibleAsync();
                output.WriteLine($"Screenshot: {await admin.ScreenshotAsync("users-tablet")}");
            }

            // The new user, in another browser: the link sets the password, then they sign in and change it.
            await using var user = await BrowserSession.StartAsync(app);
            var userPage = user.Page;
            await userPage.GotoAsync(link);
            await userPage.Locator("#Input\\.Password").FillAsync(password);
            await userPage.Locator("#Input\\.ConfirmPassword").FillAsync(password);
            await userPage.Locator("#reset-submit").ClickAsync();
            await Assertions.Expect(userPage.Locator("#reset-done")).ToContainTextAsync("Your password is set");

            await user.SignInAsync(email, password);
            await userPage.GotoAsync("/admin/users");
            await Assertions.Expect(userPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/AccessDenied"));

            await userPage.GotoAsync("/account/password");
            await Assertions.Expect(userPage).ToHaveTitleAsync("Change password · BounceDashboard");
            output.WriteLine($"Screenshot: {await user.ScreenshotAsync("change-password")}");
            await userPage.Locator("#Input\\.CurrentPassword").FillAsync(password);
            await userPage.Locator("#Input\\.NewPassword").FillAsync("Changed#2026b");
            await userPage.Locator("#Input\\.ConfirmPassword").FillAsync("Changed#2026b");
            await userPage.Locator("#change-password-submit").ClickAsync();
            await Assertions.Expect(userPage.Locator("#change-password-done")).ToContainTextAsync("Your password is changed");

            // The session survives the change.
            await userPage.Locator("#change-password-back").ClickAsync();
            await user.WaitForCircuitAsync();
            Assert.DoesNotContain("/Account/Login", userPage.Url, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine(app.Output);
        }
    }
}
