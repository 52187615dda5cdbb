using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Pages.Admin;
using BounceDashboard.Web.Queries;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Admin;

public sealed class SettingsPageTests : MudTestContext
{
    private readonly FakeSettingsQueries _queries = new();

    public SettingsPageTests()
    {
        Services.AddSingleton<ISettingsQueries>(_queries);
        AddAuthorization().SetAuthorized(BounceDashboardApp.AdminEmail).SetRoles(Roles.Admin);
    }

    [Fact]
    public void Render_ShouldShowEachValueWithItsKeyAndWhereItIsSet()
    {
        _queries.Snapshot = new SettingsSnapshot(
            [
                new SettingsSection("rules", "Bounce rules", null,
                [
                    new SettingValue("Rules:MaxAttempts", "Attempts per delivery", "6", "environment variables"),
                    new SettingValue("Rules:SoftBounceCampaignsForError", "Soft bounces for Error", "3", null),
                ]),
                new SettingsSection("relay-0", "Relay primary", null,
                [
                    new SettingValue("Sending:Relays:0:Password", "Password", SettingsQueries.SecretSet, "appsettings.Production.json", Secret: true),
                ]),
            ],
            [new RetryStep(1, TimeSpan.Zero), new RetryStep(2, TimeSpan.FromHours(4))],
            SettingsQueries.ReasonTable());

        var page = Render<Settings>();

        var attempts = page.Find("tr.setting[data-key='Rules:MaxAttempts']");
        Assert.Equal("6", attempts.QuerySelector(".setting-value")!.TextContent.Trim());
        Assert.Equal("Rules:MaxAttempts", attempts.QuerySelector(".setting-key")!.TextContent.Trim());
        Assert.Equal("environment variables", attempts.QuerySelector(".setting-source")!.TextContent.Trim());
        var soft = page.Find("tr.setting[data-key='Rules:SoftBounceCampaignsForError']");
        Assert.Equal("default", soft.QuerySelector(".setting-source")!.TextContent.Trim());
        var password = page.Find("tr.setting[data-key='Sending:Relays:0:Password']");
        Assert.Equal(SettingsQueries.SecretSet, password.QuerySelector(".setting-value")!.TextContent.Trim());
        Assert.Contains("4 h after the first", page.Find("tr.retry-step[data-attempt='2']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShouldListEveryReasonWithItsMeaningAndHowItCounts()
    {
        var page = Render<Settings>();

        var rows = page.FindAll("#settings-reasons tr.reason-row");
        Assert.Equal(Enum.GetValues<BounceReason>().Length, rows.Count);
        var notAccept = page.Find("tr.reason-row[data-reason='NotAccept']");
        Assert.Equal("hard bounce", notAccept.QuerySelector(".reason-permanent")!.TextContent.Trim());
        Assert.Equal("soft bounce", notAccept.QuerySelector(".reason-transient")!.TextContent.Trim());
        Assert.Contains(BounceReason.NotAccept.Describe(), notAccept.TextContent, StringComparison.Ordinal);
        var feedback = page.Find("tr.reason-row[data-reason='Feedback']");
        Assert.Equal("not a failure", feedback.QuerySelector(".reason-permanent")!.TextContent.Trim());
    }

    [Fact]
    public void Render_ShouldShowAClearErrorWithoutTheException_WhenTheSettingsCannotBeRead()
    {
        _queries.Failure = new Microsoft.Extensions.Options.OptionsValidationException("Rules", typeof(object), ["Rules:MaxAttempts must be 1 to 20"]);

        var page = Render<Settings>();

        var error = page.Find("#settings-error").TextContent;
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxAttempts", error, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#settings-reasons"));
    }
}
