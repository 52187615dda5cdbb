using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Security;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Queries;
using Xunit;

namespace BounceDashboard.Tests.Api;

public sealed class ApiKeyTests
{
    [Fact]
    public void Create_ShouldKeepOnlyTheHashAndAPrefix_WhenANewKeyIsMade()
    {
        var (key, secret) = ApiKey.Create("crm-sync", "admin", "admin@example.org", TestData.Now);

        Assert.StartsWith(ApiKey.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(ApiKey.SecretLength, secret.Length);
        Assert.True(ApiKey.LooksLikeSecret(secret));
        Assert.Equal(ApiKey.HashOf(secret), key.KeyHash);
        Assert.DoesNotContain(secret[ApiKey.DisplayPrefixLength..], key.KeyHash + key.DisplayPrefix, StringComparison.Ordinal);
        Assert.Equal((Roles.Admin, "api:crm-sync", secret[..ApiKey.DisplayPrefixLength]), (key.Role, key.ActorName, key.DisplayPrefix));
        Assert.True(key.Matches(secret));
        Assert.False(key.Matches(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A')));
    }

    [Fact]
    public void Create_ShouldMakeADifferentSecretEachTime_WhenCalledTwice()
    {
        var (_, first) = ApiKey.Create("a", Roles.Marketer, "x", TestData.Now);
        var (_, second) = ApiKey.Create("a", Roles.Marketer, "x", TestData.Now);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("", "Marketer")]
    [InlineData("has space", "Marketer")]
    [InlineData("<script>", "Marketer")]
    [InlineData("ok", "Owner")]
    [InlineData("ok", null)]
    public void Create_ShouldRefuse_WhenTheNameOrRoleIsBad(string name, string? role)
    {
        Assert.Throws<DomainException>(() => ApiKey.Create(name, role, "x", TestData.Now));
    }

    [Fact]
    public void Create_ShouldRefuse_WhenTheNameIsTooLong()
    {
        Assert.Throws<DomainException>(() => ApiKey.Create(new string('a', ApiKey.NameMaxLength + 1), Roles.Admin, "x", TestData.Now));
    }

    [Fact]
    public void Revoke_ShouldThrow_WhenTheKeyIsAlreadyRevoked()
    {
        var (key, _) = ApiKey.Create("a", Roles.Marketer, "x", TestData.Now);
        key.Revoke("admin", TestData.Now);

        Assert.True(key.IsRevoked);
        Assert.Throws<DomainException>(() => key.Revoke("admin", TestData.Now.AddMinutes(1)));
    }

    [Fact]
    public void RecordUse_ShouldWriteAtMostOnceAMinute_WhenUsedOften()
    {
        var (key, _) = ApiKey.Create("a", Roles.Marketer, "x", TestData.Now);

        Assert.True(key.RecordUse(TestData.Now));
        Assert.False(key.RecordUse(TestData.Now.AddSeconds(59)));
        Assert.True(key.RecordUse(TestData.Now.AddSeconds(60)));
        Assert.Equal(TestData.Now.AddSeconds(60), key.LastUsedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("bd_short")]
    [InlineData("xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void LooksLikeSecret_ShouldBeFalse_WhenTheTextCannotBeAKey(string? text)
    {
        Assert.False(ApiKey.LooksLikeSecret(text));
    }

    [Fact]
    public void Cursor_ShouldRoundTripAndRefuseForgeries_WhenEncodedAndDecoded()
    {
        var cursor = new BounceEventCursor(TestData.Now.UtcTicks, 42);

        Assert.True(BounceEventCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.False(BounceEventCursor.TryDecode("djIuMS4y", out _));
        Assert.False(BounceEventCursor.TryDecode("%%%", out _));
        Assert.False(BounceEventCursor.TryDecode("", out _));
    }
}
