using BounceDashboard.Domain.Bounces;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Shared;
using Bunit;
using Xunit;

namespace BounceDashboard.Tests.Components;

public sealed class BounceReasonChipTests : MudTestContext
{
    public static TheoryData<BounceReason> AllReasons => new(Enum.GetValues<BounceReason>());

    [Theory]
    [InlineData(BounceReason.UserUnknown, true, "mud-chip-color-error", "User unknown")]
    [InlineData(BounceReason.MailboxFull, false, "mud-chip-color-warning", "Mailbox full")]
    public void Render_ShouldShowTheReasonLabelAndHardOrSoftColour_WhenGivenAReason(BounceReason reason, bool hard, string colourClass, string label)
    {
        var chip = Render<BounceReasonChip>(p => p.Add(c => c.Reason, reason).Add(c => c.Hard, hard).Add(c => c.ShowKind, true));

        var element = chip.Find(".bounce-reason");
        Assert.Contains(colourClass, element.ClassList);
        Assert.Equal(reason.ToString(), element.GetAttribute("data-reason"));
        Assert.Equal(hard ? "true" : "false", element.GetAttribute("data-hard"));
        Assert.StartsWith(label, element.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(hard ? "hard" : "soft", chip.Find(".bounce-kind").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllReasons))]
    public void LabelOf_ShouldNameEveryReason_WhenTheEnumGrows(BounceReason reason)
    {
        Assert.False(string.IsNullOrWhiteSpace(BounceReasonChip.LabelOf(reason)));
    }
}
