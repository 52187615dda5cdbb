using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using Xunit;

namespace BounceDashboard.Tests.Domain.Contacts;

public class AudienceTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_ShouldTrimTheName_WhenValid()
    {
        Assert.Equal("Newsletter", Audience.Create("  Newsletter ", s_now).Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Create_ShouldThrow_WhenTheNameIsBlank(string name)
    {
        Assert.Throws<DomainException>(() => Audience.Create(name, s_now));
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, 0L)]
    public void AudienceMemberCreate_ShouldThrow_WhenAnIdIsNotSaved(long audienceId, long contactId)
    {
        Assert.Throws<DomainException>(() => AudienceMember.Create(audienceId, contactId, s_now));
    }
}
