using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary>
/// <c>DataProtection:KeysPath</c>: instances behind a load balancer share the keys that protect the sign-in and
/// antiforgery cookies (README "Scaling out").
/// </summary>
public sealed class DataProtectionKeysTests : IDisposable
{
    private readonly TempDirectory _shared = new();

    public void Dispose() => _shared.Dispose();

    /// <summary>An app instance (its own content root, as on another machine) with the shared keys folder.</summary>
    private IHost Instance(string name)
    {
        var root = Path.Combine(_shared.Path, name);
        Directory.CreateDirectory(root);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = root,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:KeysPath"] = Path.Combine(_shared.Path, "keys") });
        builder.AddBounceDashboardDataProtection();
        return builder.Build();
    }

    [Fact]
    public void AddBounceDashboardDataProtection_ShouldLetOneInstanceReadWhatAnotherProtected_WhenTheyShareTheKeysPath()
    {
        using var first = Instance("web-1");
        using var second = Instance("web-2");
        const string Purpose = "Microsoft.AspNetCore.Identity.Application";

        var cookie = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("signed-in user");

        Assert.Equal("signed-in user", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(cookie));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_shared.Path, "keys"), "key-*.xml"));
    }
}
