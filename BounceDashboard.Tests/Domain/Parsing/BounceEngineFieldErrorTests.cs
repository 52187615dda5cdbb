using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// One bad line must not sink a message: a report field whose name MimeKit refuses (an accented label such as
/// "Détails:") costs that field, not the 5.1.1 the rest of the report states.
/// </summary>
public sealed class BounceEngineFieldErrorTests
{
    private static readonly BounceEngine Engine = new();

    [Theory]
    [InlineData("ours/dsn-accented-field-name.eml", "jean.dupont@example.fr", "a1b2c3d4e5f60718")]
    [InlineData("ours/dsn-accented-field-opens-group.eml", "jean.dupont@example.fr", "b2c3d4e5f6071829")]
    [InlineData("ours/notice-accented-report-label.eml", "marie.curie@example.fr", "0f1e2d3c4b5a6978")]
    public void Parse_ShouldReadTheUserUnknownBounce_WhenAReportFieldHasAnAccentedName(string file, string address, string token)
    {
        var report = Engine.Parse(File.ReadAllBytes(FixtureFiles.Bounces(file)).AsMemory());

        Assert.True(report.Kind == MessageKind.Bounce, $"{report.Kind}: {report.Error}");
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal(address, recipient.Address);
        Assert.Equal("5.1.1", recipient.Status?.ToString());
        Assert.Equal(BounceReason.UserUnknown, recipient.Reason);
        Assert.Equal(token, report.Match.VerpToken);
        Assert.Equal(token, report.Match.TrackingToken);
    }

    [Fact]
    public void Parse_ShouldReadTheRestAndKeepMimeKitsErrorAsAnExpectedFault_WhenTheMessageOpensWithARefusedField()
    {
        byte[] raw = [.. "D\u00e9tails: voir ci-dessous\n"u8, .. File.ReadAllBytes(FixtureFiles.Bounces("ours/dsn-accented-field-name.eml"))];

        var report = Engine.Parse(raw.AsMemory());

        Assert.True(report.Kind == MessageKind.Bounce, $"{report.Kind}: {report.Error}");
        Assert.Equal(BounceReason.UserUnknown, Assert.Single(report.Recipients).Reason);
        var fault = Assert.Single(report.Faults);
        Assert.Equal(BounceFault.MimeStage, fault.Stage);
        Assert.True(fault.Expected, fault.ToString());
    }

    [Fact]
    public void Parse_ShouldKeepNoFault_WhenTheMessageIsWellFormed()
    {
        var report = Engine.Parse(FixtureFiles.Robustness("dsn-userunknown.eml").AsMemory());

        Assert.Equal(MessageKind.Bounce, report.Kind);
        Assert.Empty(report.Faults);
    }
}
