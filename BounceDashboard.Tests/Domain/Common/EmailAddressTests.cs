using BounceDashboard.Domain.Common;
using Xunit;

namespace BounceDashboard.Tests.Domain.Common;

public class EmailAddressTests
{
    [Theory]
    [InlineData("jane@example.com", "jane@example.com")]
    [InlineData("  Jane.Doe@Example.COM \t", "jane.doe@example.com")]
    [InlineData("JOHN+news@MAIL.Example.org", "john+news@mail.example.org")]
    [InlineData("\"odd@local\"@example.com", "\"odd@local\"@example.com")]
    public void Normalize_ShouldTrimAndLowerCaseTheWholeAddress_WhenItIsValid(string input, string expected)
    {
        Assert.Equal(expected, EmailAddress.Normalize(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    [InlineData("jane@")]
    [InlineData("ja ne@example.com")]
    [InlineData("jane@.example.com")]
    [InlineData("jane@example..com")]
    [InlineData("jane@example.com.")]
    public void Normalize_ShouldThrowDomainException_WhenTextIsNotAnAddress(string? input)
    {
        Assert.Throws<DomainException>(() => EmailAddress.Normalize(input));
        Assert.False(EmailAddress.TryNormalize(input, out _));
    }

    [Fact]
    public void TryNormalize_ShouldReturnFalse_WhenTheAddressIsLongerThanTheSmtpLimit()
    {
        var local = new string('a', 64);
        var domain = string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";

        Assert.False(EmailAddress.TryNormalize($"{local}@{domain}", out _));
        Assert.False(EmailAddress.TryNormalize($"{new string('a', 65)}@example.com", out _));
    }

    [Fact]
    public void DomainOf_ShouldReturnTheDomain_WhenAddressIsNormalised()
    {
        Assert.Equal("mail.example.org", EmailAddress.DomainOf("john@mail.example.org"));
    }
}
