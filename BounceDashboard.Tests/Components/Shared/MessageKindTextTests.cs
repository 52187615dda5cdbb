using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Web.Components;
using BounceDashboard.Web.Components.Shared;
using Xunit;

namespace BounceDashboard.Tests.Components;

/// <summary>Every message kind (Challenge included) has its words in the one place that gives them.</summary>
public sealed class MessageKindTextTests
{
    public static TheoryData<MessageKind> AllKinds() => [.. Enum.GetValues<MessageKind>()];

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void LabelOf_ShouldNameEveryKind_WhenTheEnumGrows(MessageKind kind)
    {
        Assert.False(string.IsNullOrWhiteSpace(MessageKindText.LabelOf(kind)));
        Assert.False(string.IsNullOrWhiteSpace(kind.ToCode()));
    }

    [Fact]
    public void TitleOf_ShouldNotCallAChallengeABounce_WhenAnEventIsAChallenge()
    {
        Assert.DoesNotContain("Bounce", BounceEventText.TitleOf(MessageKind.Challenge, permanent: true), StringComparison.Ordinal);
        Assert.DoesNotContain("Bounce", MessageKindText.LabelOf(MessageKind.Challenge), StringComparison.Ordinal);
    }
}
