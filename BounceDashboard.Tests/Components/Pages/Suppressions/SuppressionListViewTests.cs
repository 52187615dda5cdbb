using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Components.Pages.Suppressions;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Components.Pages.Suppressions;

public sealed class SuppressionListViewTests
{
    [Fact]
    public void Parse_ShouldReadTheUrlAndWriteItBack_WhenEveryFilterIsSet()
    {
        var view = SuppressionListView.Parse(" @example.com ", "complaint", "Admin", "2026-03-01", "2026-03-31", "1");

        Assert.Equal(new SuppressionListView("@example.com", SuppressionReason.Complaint, SuppressionSource.Admin, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), true), view);
        Assert.Equal("/suppressions?q=%40example.com&reason=Complaint&source=Admin&from=2026-03-01&to=2026-03-31&lifted=1", view.ToUri());
    }

    [Fact]
    public void Parse_ShouldIgnoreUnknownValues_WhenTheLinkWasEditedOrIsOld()
    {
        var view = SuppressionListView.Parse("", "Spam", "7", "yesterday", "2026-13-01", "maybe");

        Assert.Equal(new SuppressionListView(), view);
        Assert.Equal("/suppressions", view.ToUri());
    }

    [Fact]
    public void ToFilter_ShouldCoverWholeDaysInTheBrowsersZone_WhenDatesAreGiven()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var filter = new SuppressionListView(From: new DateOnly(2026, 3, 29), To: new DateOnly(2026, 3, 29)).ToFilter(berlin);

        // The day of the change to summer time is 23 hours long.
        Assert.Equal(new SuppressionFilter(From: new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1)), To: new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.FromHours(2))), filter);
    }

    [Fact]
    public void FileName_ShouldSayWhatTheFileHolds_WhenFiltered()
    {
        Assert.Equal("suppressions-2026-12-07.csv", new SuppressionListView().FileName(excel: false, new DateOnly(2026, 12, 7)));
        Assert.Equal(
            "suppressions-with-lifted-complaint-from-rules-at-gmail.com-2026-11-01-to-now-2026-12-07.xlsx",
            new SuppressionListView("@gmail.com", SuppressionReason.Complaint, SuppressionSource.Rules, new DateOnly(2026, 11, 1), null, true).FileName(excel: true, new DateOnly(2026, 12, 7)));
    }
}
