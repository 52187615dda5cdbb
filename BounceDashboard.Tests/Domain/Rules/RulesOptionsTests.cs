using System.ComponentModel.DataAnnotations;
using BounceDashboard.Domain.Rules;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class RulesOptionsTests
{
    [Fact]
    public void Defaults_ShouldBeTheProductPolicy_WhenNothingIsConfigured()
    {
        var options = new RulesOptions();

        Assert.Equal("Rules", RulesOptions.SectionName);
        Assert.Equal(4, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromHours(30), options.RetryWindow);
        Assert.Equal(3, options.SoftBounceCampaignsForError);
        Assert.Equal(3, options.HardBounceCampaignsForConfirmedBounce);
        Assert.False(options.AutoUnsubscribeEnabled);
        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData(nameof(RulesOptions.MaxAttempts))]
    [InlineData(nameof(RulesOptions.RetryWindow))]
    [InlineData(nameof(RulesOptions.RetryBackoffFactor))]
    [InlineData(nameof(RulesOptions.MinimumRetryDelay))]
    [InlineData(nameof(RulesOptions.SoftBounceCampaignsForError))]
    [InlineData(nameof(RulesOptions.HardBounceCampaignsForConfirmedBounce))]
    [InlineData(nameof(RulesOptions.AutoUnsubscribeAfterBounces))]
    public void Validate_ShouldNameTheProperty_WhenItIsOutOfRange(string property)
    {
        var options = new RulesOptions();
        switch (property)
        {
            case nameof(RulesOptions.MaxAttempts):
                options.MaxAttempts = 0;
                break;
            case nameof(RulesOptions.RetryWindow):
                options.RetryWindow = TimeSpan.Zero;
                break;
            case nameof(RulesOptions.RetryBackoffFactor):
                options.RetryBackoffFactor = 0.5;
                break;
            case nameof(RulesOptions.MinimumRetryDelay):
                options.MinimumRetryDelay = options.RetryWindow;
                break;
            case nameof(RulesOptions.SoftBounceCampaignsForError):
                options.SoftBounceCampaignsForError = 0;
                break;
            case nameof(RulesOptions.HardBounceCampaignsForConfirmedBounce):
                options.HardBounceCampaignsForConfirmedBounce = -1;
                break;
            default:
                options.AutoUnsubscribeAfterBounces = 0;
                break;
        }

        var results = Validate(options);

        Assert.Contains(results, r => r.MemberNames.Contains(property));
    }

    private static List<ValidationResult> Validate(RulesOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
