using System.ComponentModel.DataAnnotations;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace BounceDashboard.Tests.Hosting;

public sealed class TrackingOptionsTests
{
    private static List<ValidationResult> Validate(TrackingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    /// <summary>A host with the app's own appsettings files (copied next to the tests) in the given environment; the database is never opened.</summary>
    private static IHost BuildHost(string environment)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardRules();
        builder.AddBounceDashboardInbound();
        return builder.Build();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQ=")]
    public void Validate_ShouldNameTheKey_WhenItIsMissingMalformedOrShort(string? key)
    {
        var result = Assert.Single(Validate(new TrackingOptions { SigningKey = key }));

        Assert.Equal("SigningKey", Assert.Single(result.MemberNames));
        Assert.StartsWith("Tracking:SigningKey", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShouldPass_WhenTheKeyIsBase64OfThirtyTwoBytes()
    {
        var options = new TrackingOptions { SigningKey = Convert.ToBase64String(new byte[32]) };

        Assert.Empty(Validate(options));
        Assert.Equal(32, options.KeyBytes().Length);
    }

    [Fact]
    public async Task StartAsync_ShouldRefuseToStart_WhenOutsideDevelopmentWithoutAKey()
    {
        using var host = BuildHost(Environments.Production);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Tracking:SigningKey is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ShouldRegisterAWorkingSigner_WhenInDevelopment()
    {
        using var host = BuildHost(Environments.Development);

        await host.StartAsync();
        var signer = host.Services.GetRequiredService<TrackingTokenSigner>();
        await host.StopAsync();

        Assert.True(signer.TryVerify(signer.Create(42), out var deliveryId));
        Assert.Equal(42, deliveryId);
    }

    [Fact]
    public void AppSettings_ShouldCarryNoSigningKey_WhenNotTheDevelopmentFile()
    {
        var production = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json"));

        Assert.DoesNotContain("SigningKey", production, StringComparison.Ordinal);
    }
}
