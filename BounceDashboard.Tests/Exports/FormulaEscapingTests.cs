using BounceDashboard.Web.Exports;
using Xunit;

namespace BounceDashboard.Tests.Exports;

public sealed class FormulaEscapingTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")")]
    [InlineData("+1-555-0100")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcmd")]
    [InlineData("\rcmd")]
    public void Escape_ShouldPrefixAnApostrophe_WhenASpreadsheetWouldReadAFormula(string text)
    {
        Assert.Equal("'" + text, FormulaEscaping.Escape(text));
    }

    [Theory]
    [InlineData("550 5.1.1 <a@example.com>: Recipient address rejected")]
    [InlineData("user=name@example.com")]
    [InlineData(" =leading space is text")]
    [InlineData("")]
    [InlineData(null)]
    public void Escape_ShouldKeepTheText_WhenItIsNotAFormula(string? text)
    {
        Assert.Equal(text, FormulaEscaping.Escape(text));
    }
}
