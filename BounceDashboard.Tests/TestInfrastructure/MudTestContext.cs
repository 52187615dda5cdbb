using BounceDashboard.Web.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Xunit;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// A bUnit context set up like MudBlazor's own TestContextExtensions: MudBlazor services, loose JS interop,
/// no popover-provider check, zero transition durations. Disposed asynchronously, as MudBlazor's services need.
/// </summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    // Pages format in the user's culture; tests read them as an English-speaking user would, unless they say otherwise.
    private readonly CultureScope _culture = new("en-US");

    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddScoped<BrowserTimeZone>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _culture.Dispose();
    }
}
