using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

public sealed class ClassifiedMessageTests
{
    [Fact]
    public void From_ShouldWriteTheDocumentedFieldNamesAndSpellings_WhenTheReportHasARecipient()
    {
        var recipient = new BounceRecipient(
            "nobody@example.net", DeliveryAction.Failed, EnhancedStatusCode.Parse("5.1.1"), "550",
            "550 5.1.1 User unknown", "mx.example.net", BounceReason.UserUnknown, Permanent: true, Hard: true, "dsn.status");
        var report = new BounceReport(MessageKind.Bounce, [recipient], new BounceMatch("tok123", "hdr456", "<m-1@example.org>", "env-9"));

        var text = Serialize(ClassifiedMessage.From("a.eml", report));
        var json = JsonDocument.Parse(text).RootElement;

        Assert.Equal("a.eml", json.GetProperty("file").GetString());
        Assert.Equal("bounce", json.GetProperty("kind").GetString());
        Assert.False(json.TryGetProperty("error", out _), "error is written only for unparseable messages");
        var r = Assert.Single(json.GetProperty("recipients").EnumerateArray().ToList());
        Assert.Equal("nobody@example.net", r.GetProperty("address").GetString());
        Assert.Equal("5.1.1", r.GetProperty("status").GetString());
        Assert.Equal("550", r.GetProperty("reply").GetString());
        Assert.Equal("userunknown", r.GetProperty("reason").GetString());
        Assert.True(r.GetProperty("permanent").GetBoolean());
        Assert.True(r.GetProperty("hard").GetBoolean());
        Assert.Equal("550 5.1.1 User unknown", r.GetProperty("diagnostic").GetString());
        Assert.Equal("dsn.status", r.GetProperty("rule").GetString());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("feedbackType").ValueKind);
        Assert.Equal("failed", r.GetProperty("action").GetString());
        Assert.Equal("mx.example.net", r.GetProperty("remoteMta").GetString());
        var match = json.GetProperty("match");
        Assert.Equal("tok123", match.GetProperty("token").GetString());
        Assert.Equal("<m-1@example.org>", match.GetProperty("messageId").GetString());
        Assert.Equal("env-9", match.GetProperty("envelopeId").GetString());
        Assert.Contains("\"messageId\":\"<m-1@example.org>\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void From_ShouldWriteKindUnparseableAndTheError_WhenTheEngineCouldNotReadTheMessage()
    {
        var json = JsonDocument.Parse(Serialize(ClassifiedMessage.From("b.eml", BounceReport.Unparseable("no headers")))).RootElement;

        Assert.Equal("unparseable", json.GetProperty("kind").GetString());
        Assert.Equal("no headers", json.GetProperty("error").GetString());
        Assert.Empty(json.GetProperty("recipients").EnumerateArray());
    }

    [Fact]
    public void ToCode_ShouldGiveADistinctLowerCaseWord_ForEveryMessageKindAndAction()
    {
        var kinds = Enum.GetValues<MessageKind>().Select(k => k.ToCode()).ToList();
        var actions = Enum.GetValues<DeliveryAction>().Select(a => a.ToCode()).ToList();

        Assert.Equal(kinds.Count, kinds.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(actions.Count, actions.Distinct(StringComparer.Ordinal).Count());
        Assert.All(kinds.Concat(actions), code => Assert.Matches("^[a-z]+$", code));
    }

    private static string Serialize(ClassifiedMessage message) =>
        JsonSerializer.Serialize(message, CliJsonContext.Output.ClassifiedMessage);
}
