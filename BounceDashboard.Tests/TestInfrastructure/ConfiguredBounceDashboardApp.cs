using System.Net;
using BounceDashboard.Web.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// The whole app in memory like <see cref="BounceDashboardApp"/>, but in the environment and with the settings a test
/// names, on its own empty temporary SQLite file, with every log line of every category and level captured (<see cref="Logs"/>) and the
/// caller's address taken from the <see cref="RemoteIpHeader"/> request header (a test server has no socket).
/// </summary>
public sealed class ConfiguredBounceDashboardApp(string environment, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    /// <summary>Sets the connection's remote address for one request, as a socket would; read before the app's middleware.</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    private readonly string _directory = Directory.CreateTempSubdirectory("bounce-configured-app-").FullName;

    /// <summary>Production has no appsettings.Development.json: the demo users come from configuration, as an operator would give them.</summary>
    public static IReadOnlyDictionary<string, string?> ProductionDemoUsers { get; } = new Dictionary<string, string?>
    {
        ["Demo:SeedUsers"] = "true",
        ["Demo:AdminEmail"] = BounceDashboardApp.AdminEmail,
        ["Demo:AdminPassword"] = BounceDashboardApp.AdminPassword,
        ["Demo:MarketerEmail"] = BounceDashboardApp.MarketerEmail,
        ["Demo:MarketerPassword"] = BounceDashboardApp.MarketerPassword,
        ["Tracking:SigningKey"] = Convert.ToBase64String(InboundFixtures.TestKey),
    };

    public CapturingLoggerProvider Logs { get; } = new();

    public string DatabasePath => Path.Combine(_directory, "app.db");

    /// <summary>A Production app with the demo users and the given extra settings.</summary>
    public static ConfiguredBounceDashboardApp Production(params (string Key, string? Value)[] extra)
    {
        var all = new Dictionary<string, string?>(ProductionDemoUsers);
        foreach (var (key, value) in extra)
        {
            all[key] = value;
        }

        return new ConfiguredBounceDashboardApp("Production", all);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={DatabasePath}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            // A provider's own rule wins over the configured categories: this provider sees every level of every category.
            logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        });
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, RemoteIpStartupFilter>());
    }

    /// <summary>Starts the host (migrations and seeding happen here) and returns it ready.</summary>
    public async Task<ConfiguredBounceDashboardApp> StartAsync()
    {
        using var client = CreateClient();
        using var response = await client.GetAsync(AccountPaths.Login);
        response.EnsureSuccessStatusCode();
        return this;
    }

    /// <summary>A client that neither follows redirects nor keeps cookies, talking to <paramref name="baseAddress"/>.</summary>
    public HttpClient CreateRawClient(string baseAddress = "http://localhost/") =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri(baseAddress),
        });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the OS temp cleaner takes it later.
        }

        GC.SuppressFinalize(this);
    }

    private sealed class RemoteIpStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(RemoteIpHeader, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
