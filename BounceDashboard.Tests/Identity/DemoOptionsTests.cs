using System.ComponentModel.DataAnnotations;
using BounceDashboard.Web.Options;
using Xunit;

namespace BounceDashboard.Tests.Identity;

public sealed class DemoOptionsTests
{
    private static List<ValidationResult> Validate(DemoOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Validate_ShouldNameEveryMissingValue_WhenSeedingIsOnWithoutUsers()
    {
        var results = Validate(new DemoOptions { SeedUsers = true });

        Assert.Equal(
            ["AdminEmail", "AdminPassword", "MarketerEmail", "MarketerPassword"],
            results.SelectMany(r => r.MemberNames).Order(StringComparer.Ordinal));
        Assert.All(results, r => Assert.StartsWith("Demo:", r.ErrorMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ShouldPass_WhenSeedingIsOff()
    {
        Assert.Empty(Validate(new DemoOptions { SeedUsers = false }));
    }

    [Fact]
    public void Validate_ShouldRefuseTheAddress_WhenItIsNotAnEmail()
    {
        var results = Validate(new DemoOptions
        {
            AdminEmail = "admin",
            AdminPassword = "Admin#Demo2026",
            MarketerEmail = "marketer@bouncedashboard.local",
            MarketerPassword = "Marketer#Demo2026",
        });

        Assert.Equal("AdminEmail", Assert.Single(Assert.Single(results).MemberNames));
    }
}
