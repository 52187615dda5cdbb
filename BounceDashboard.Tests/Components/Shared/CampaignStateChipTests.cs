using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Components.Shared;
using Bunit;
using MudBlazor;
using Xunit;

namespace BounceDashboard.Tests.Components;

public sealed class CampaignStateChipTests : MudTestContext
{
    public static TheoryData<CampaignState> AllStates => new(Enum.GetValues<CampaignState>());

    [Theory]
    [InlineData(CampaignState.Draft, "mud-chip-color-default", "Draft")]
    [InlineData(CampaignState.Scheduled, "mud-chip-color-info", "Scheduled")]
    [InlineData(CampaignState.InProgress, "mud-chip-color-warning", "In progress")]
    [InlineData(CampaignState.Sent, "mud-chip-color-success", "Sent")]
    public void Render_ShouldShowTheStateColourAndLabel_WhenGivenAState(CampaignState state, string colourClass, string label)
    {
        var chip = Render<CampaignStateChip>(p => p.Add(c => c.State, state));

        var element = chip.Find(".campaign-state");
        Assert.Contains(colourClass, element.ClassList);
        Assert.Equal(state.ToString(), element.GetAttribute("data-state"));
        Assert.Equal(label, element.TextContent.Trim());
    }

    [Theory]
    [MemberData(nameof(AllStates))]
    public void ColorOf_ShouldMapEveryState_WhenTheEnumGrows(CampaignState state)
    {
        // A new state must get its colour and icon here before the list can show it.
        var colour = CampaignStateChip.ColorOf(state);
        var icon = CampaignStateChip.IconOf(state);

        Assert.True(Enum.IsDefined(colour));
        Assert.False(string.IsNullOrEmpty(icon));
    }

    [Fact]
    public void ColorOf_ShouldThrow_WhenTheStateIsUnknown() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignStateChip.ColorOf((CampaignState)99));

    [Fact]
    public void ColorOf_ShouldGiveEachStateItsOwnColour_WhenComparingStates()
    {
        var colours = Enum.GetValues<CampaignState>().Select(CampaignStateChip.ColorOf).ToList();

        Assert.Equal(colours.Count, colours.Distinct().Count());
        Assert.DoesNotContain(Color.Error, colours);
    }
}
