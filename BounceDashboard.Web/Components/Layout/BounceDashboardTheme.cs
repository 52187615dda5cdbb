using MudBlazor;

namespace BounceDashboard.Web.Components.Layout;

/// <summary>The one theme, shared by the interactive shell and the static account pages.</summary>
public static class BounceDashboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5aa8",
            Secondary = "#00897b",
            AppbarBackground = "#1e5aa8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb0f0",
            Secondary = "#4db6ac",
            AppbarBackground = "#1b2633",
        },
        LayoutProperties = new LayoutProperties
        {
            DrawerWidthLeft = "220px",
        },
    };
}
