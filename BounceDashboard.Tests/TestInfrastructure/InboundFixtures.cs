using System.Text;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>Real bounce fixtures made to point at a seeded delivery: the fixture's token swapped for one signed with a test key.</summary>
public static class InboundFixtures
{
    /// <summary>The fixture's own (unsigned) token, in its VERP address and its X-BounceDashboard-Token header.</summary>
    public const string FixtureToken = "d41d8cd98f00b204";

    /// <summary>The recipient the fixture's 5.1.1 report names.</summary>
    public const string FixtureRecipient = "nobody@example.net";

    /// <summary>The original Message-ID in the fixture's returned headers.</summary>
    public const string FixtureMessageId = "<campaign-7.delivery-42@news.example.org>";

    /// <summary>A test-only key (never used outside tests).</summary>
    public static byte[] TestKey { get; } = Encoding.ASCII.GetBytes("test-only tracking key, 32 bytes+");

    public static TrackingTokenSigner Signer { get; } = new(TestKey);

    /// <summary>A key the app does not know: tokens it signs are forgeries to the app.</summary>
    public static TrackingTokenSigner ForgerSigner { get; } = new(Encoding.ASCII.GetBytes("an attacker's key of 32 bytes or more"));

    /// <summary>Postfix's RFC 3464 report of a 5.1.1 for nobody@example.net (robustness/dsn-userunknown.eml).</summary>
    public static string UserUnknownDsn() => Encoding.UTF8.GetString(FixtureFiles.Robustness("dsn-userunknown.eml"));

    /// <summary>The 5.1.1 report carrying <paramref name="token"/> in its VERP address and tracking header.</summary>
    public static byte[] UserUnknownDsnWithToken(string token) =>
        Encoding.UTF8.GetBytes(UserUnknownDsn().Replace(FixtureToken, token, StringComparison.Ordinal));

    /// <summary>
    /// A feedback report from <paramref name="fixture"/> (under Fixtures/Bounces) about nobody@example.net, carrying
    /// <paramref name="token"/> in its VERP address and tracking header.
    /// </summary>
    public static byte[] FeedbackWithToken(string fixture, string token) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(File.ReadAllBytes(FixtureFiles.Bounces(fixture.Split('/'))))
            .Replace(FixtureToken, token, StringComparison.Ordinal));
}
