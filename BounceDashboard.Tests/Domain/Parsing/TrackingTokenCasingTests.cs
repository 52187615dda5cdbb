using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// Header names are case-insensitive (RFC 5322 §1.2.2), and mail systems on the way rewrite their casing: our tracking
/// header is found however it is spelt, in a returned message/rfc822, in text/rfc822-headers and quoted inline in a
/// plain-text notice. The fixtures spell it "X-Bouncedashboard-Token"; each case respells it.
/// </summary>
public sealed class TrackingTokenCasingTests
{
    private const string FixtureSpelling = "X-Bouncedashboard-Token";
    private const string Token = "7KQ2M4.Q2FtcGFpZ24.sig";

    private static readonly BounceEngine Engine = new();

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        (string File, string Recipient)[] placements =
        [
            ("ours/token-casing-rfc822.eml", "oscar@example.org"),
            ("ours/token-casing-rfc822-headers.eml", "paula@example.net"),
            ("ours/token-casing-inline.eml", "quinn@example.co"),
        ];
        string[] spellings =
        [
            TrackingHeaders.Token,
            FixtureSpelling,
            TrackingHeaders.Token.ToLowerInvariant(),
            TrackingHeaders.Token.ToUpperInvariant(),
            "x-BounceDashBoard-TOKEN",
        ];
        foreach (var (file, recipient) in placements)
        {
            foreach (var spelling in spellings)
            {
                data.Add(file, recipient, spelling);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ShouldFindTheTrackingToken_WhenItsHeaderNameIsSpeltInAnyCase(string file, string recipient, string spelling)
    {
        var text = File.ReadAllText(FixtureFiles.Bounces(file), Encoding.ASCII);
        Assert.Contains(FixtureSpelling + ":", text, StringComparison.Ordinal);
        var raw = Encoding.ASCII.GetBytes(text.Replace(FixtureSpelling, spelling, StringComparison.Ordinal));

        var report = Engine.Parse(raw.AsMemory());

        Assert.True(report.Kind == MessageKind.Bounce, $"{report.Kind}: {report.Error}");
        Assert.Equal(recipient, Assert.Single(report.Recipients).Address);
        Assert.Null(report.Match.VerpToken);
        Assert.Equal(Token, report.Match.TrackingToken);
    }
}
