using System.Text;
using BounceDashboard.Domain.Tracking;
using Xunit;

namespace BounceDashboard.Tests.Domain.Tracking;

public class TrackingTokenSignerTests
{
    private static readonly byte[] s_key = Encoding.UTF8.GetBytes("test-tracking-key-0123456789-abcdef");
    private static readonly byte[] s_otherKey = Encoding.UTF8.GetBytes("another-tracking-key-0123456789-xyz");

    [Theory]
    [InlineData(1L)]
    [InlineData(42L)]
    [InlineData(10_000_000L)]
    [InlineData(long.MaxValue)]
    public void TryVerify_ShouldReturnDeliveryId_WhenTokenWasCreatedWithSameKey(long deliveryId)
    {
        var signer = new TrackingTokenSigner(s_key);

        var token = signer.Create(deliveryId);

        Assert.Equal(TrackingTokenSigner.TokenLength, token.Length);
        Assert.True(signer.TryVerify(token, out var verified), $"token {token} should verify");
        Assert.Equal(deliveryId, verified);
    }

    [Fact]
    public void Create_ShouldProduceLowerCaseLocalPartSafeToken_WhenCalled()
    {
        var token = new TrackingTokenSigner(s_key).Create(123);

        Assert.Matches("^[a-z2-7]{34}$", token);
    }

    [Fact]
    public void TryVerify_ShouldAcceptUpperCasedToken_WhenAnMtaFoldedTheCase()
    {
        var signer = new TrackingTokenSigner(s_key);
        var token = signer.Create(77);

        Assert.True(signer.TryVerify(token.ToUpperInvariant(), out var id));
        Assert.Equal(77, id);
    }

    [Fact]
    public void TryVerify_ShouldRejectToken_WhenSignedWithAnotherKey()
    {
        var token = new TrackingTokenSigner(s_otherKey).Create(5);

        Assert.False(new TrackingTokenSigner(s_key).TryVerify(token, out var id));
        Assert.Equal(0, id);
    }

    [Fact]
    public void TryVerify_ShouldRejectToken_WhenAnyCharacterIsTampered()
    {
        var signer = new TrackingTokenSigner(s_key);
        var token = signer.Create(987654321);

        for (var i = 0; i < token.Length; i++)
        {
            var replacement = token[i] == 'a' ? 'b' : 'a';
            var tampered = string.Concat(token.AsSpan(0, i), replacement.ToString(), token.AsSpan(i + 1));
            Assert.False(signer.TryVerify(tampered, out _), $"tampering position {i} ({tampered}) must be rejected");
        }
    }

    [Fact]
    public void TryVerify_ShouldRejectToken_WhenItsIdIsSwappedForAnotherDeliverys()
    {
        var signer = new TrackingTokenSigner(s_key);
        var first = signer.Create(1000);
        var second = signer.Create(2000);

        // The id sits in characters 1..15; grafting another token's id onto this MAC must fail.
        var grafted = string.Concat(second.AsSpan(0, 15), first.AsSpan(15));

        Assert.False(signer.TryVerify(grafted, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1")]
    public void TryVerify_ShouldReturnFalse_WhenTokenIsMalformed(string? token)
    {
        Assert.False(new TrackingTokenSigner(s_key).TryVerify(token, out _));
    }

    [Fact]
    public void Constructor_ShouldThrow_WhenKeyIsShorterThanMinimum()
    {
        Assert.Throws<ArgumentException>(() => new TrackingTokenSigner(new byte[TrackingTokenSigner.MinimumKeyLength - 1]));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Create_ShouldThrow_WhenDeliveryIdIsNotPositive(long deliveryId)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrackingTokenSigner(s_key).Create(deliveryId));
    }
}
