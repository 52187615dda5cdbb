using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

public class RulesExtensionsTests
{
    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddBounceDashboardRules();
        return builder.Build();
    }

    [Fact]
    public async Task AddBounceDashboardRules_ShouldBindTheRulesSection_WhenValuesAreConfigured()
    {
        using var host = Build(
            ("Rules:MaxAttempts", "3"),
            ("Rules:RetryWindow", "12:00:00"),
            ("Rules:SoftBounceCampaignsForError", "2"),
            ("Rules:AutoUnsubscribeEnabled", "true"));
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<RulesOptions>>().Value;
        var rules = host.Services.GetRequiredService<BounceRules>();

        Assert.Equal((3, TimeSpan.FromHours(12), 2, true), (options.MaxAttempts, options.RetryWindow, options.SoftBounceCampaignsForError, options.AutoUnsubscribeEnabled));
        Assert.Equal(3, rules.Schedule.MaxAttempts);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Rules:MaxAttempts", "0")]
    [InlineData("Rules:HardBounceCampaignsForConfirmedBounce", "0")]
    [InlineData("Rules:RetryBackoffFactor", "0.5")]
    [InlineData("Rules:MinimumRetryDelay", "2.00:00:00")]
    public async Task StartAsync_ShouldFailNamingTheSetting_WhenARuleValueIsInvalid(string key, string value)
    {
        using var host = Build((key, value));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key["Rules:".Length..], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_ShouldHoldTheDefaultPolicy_WhenShipped()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .Build();

        var shipped = configuration.GetSection(RulesOptions.SectionName).Get<RulesOptions>();
        var defaults = new RulesOptions();

        Assert.NotNull(shipped);
        Assert.Equal(
            (defaults.MaxAttempts, defaults.RetryWindow, defaults.RetryBackoffFactor, defaults.MinimumRetryDelay, defaults.SoftBounceCampaignsForError, defaults.HardBounceCampaignsForConfirmedBounce, defaults.AutoUnsubscribeEnabled, defaults.AutoUnsubscribeAfterBounces),
            (shipped.MaxAttempts, shipped.RetryWindow, shipped.RetryBackoffFactor, shipped.MinimumRetryDelay, shipped.SoftBounceCampaignsForError, shipped.HardBounceCampaignsForConfirmedBounce, shipped.AutoUnsubscribeEnabled, shipped.AutoUnsubscribeAfterBounces));
    }
}
