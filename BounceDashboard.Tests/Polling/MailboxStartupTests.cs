using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace BounceDashboard.Tests.Polling;

public sealed class MailboxStartupTests
{
    /// <summary>A Development host with the app's own appsettings files and the given settings; the database is never opened.</summary>
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        builder.AddBounceDashboardInbound();
        return builder.Build();
    }

    [Fact]
    public async Task StartAsync_ShouldRefuseToStartNamingTheSetting_WhenAMailboxIsIncomplete()
    {
        using var host = BuildHost(new() { ["Mailboxes:0:Name"] = "bounces", ["Mailboxes:0:Kind"] = "Imap", ["Mailboxes:0:Host"] = "127.0.0.1" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Mailboxes:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ShouldPollNothingAndResolveTheJob_WhenNoMailboxIsConfigured()
    {
        using var host = BuildHost([]);

        await host.StartAsync();
        var mailboxes = host.Services.GetRequiredService<IOptions<MailboxesOptions>>().Value.Mailboxes;
        var job = host.Services.GetRequiredService<PollMailboxJob>();
        await host.StopAsync();

        Assert.Empty(mailboxes);
        Assert.NotNull(job);
    }
}
