using System.Globalization;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components;
using Xunit;

namespace BounceDashboard.Tests.Components;

public sealed class BrowserTimeZoneTests
{
    private static readonly DateTimeOffset Noon = new(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Format_ShouldShowUtc_WhenTheBrowserHasNotSaidItsZone()
    {
        using var _ = new CultureScope("en-GB");
        Assert.Equal("01/07/2026 12:00", new BrowserTimeZone().Format(Noon));
    }

    [Fact]
    public void Set_ShouldShowLocalTimeAndTellListeners_WhenTheBrowserNamesItsZone()
    {
        using var _ = new CultureScope("en-GB");
        var zone = new BrowserTimeZone();
        var changes = 0;
        zone.Changed += () => changes++;

        zone.Set("Europe/Paris");
        zone.Set("Europe/Paris");

        Assert.Equal("01/07/2026 14:00", zone.Format(Noon));
        Assert.Equal(1, changes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void Set_ShouldKeepUtc_WhenTheZoneIsMissingOrUnknown(string? id)
    {
        var zone = new BrowserTimeZone();
        zone.Set(id);
        Assert.Equal(TimeZoneInfo.Utc, zone.Zone);
    }

    [Fact]
    public void Format_ShouldFollowTheUserCulture_WhenTheCultureIsGerman()
    {
        using var _ = new CultureScope("de-DE");
        Assert.Equal("01.07.2026 12:00", new BrowserTimeZone().Format(Noon));
        Assert.Equal("1.234.567", 1234567.ToString("N0", DisplayCulture.Value));
        Assert.Equal(CultureInfo.GetCultureInfo("de-DE"), DisplayCulture.Value);
    }
}
