using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Queries;

public sealed class PageRequestTests
{
    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(-3, 10, 0, 10)]
    [InlineData(2, 10, 20, 10)]
    [InlineData(0, 100_000, 0, PageRequest.MaxPageSize)]
    public void SkipAndTake_ShouldClampTheWindow_WhenGivenOutOfRangeValues(int page, int size, int skip, int take)
    {
        var request = new PageRequest(page, size);

        Assert.Equal(skip, request.Skip);
        Assert.Equal(take, request.Take);
    }
}
