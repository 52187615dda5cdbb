using BounceDashboard.Domain.Campaigns;
using Xunit;

namespace BounceDashboard.Tests.Domain.Campaigns;

public class PlainTextPartTests
{
    [Fact]
    public void FromHtml_ShouldKeepTheVisibleTextAndLinkAddresses_WhenGivenANewsletter()
    {
        const string html = """
            <html>
              <head><title>Spring</title><style>p { color: red; }</style></head>
              <body>
                <h1>Spring   sale</h1>
                <p>Up to 50&nbsp;% off &amp; free
                   delivery.</p>
                <!-- tracking comment -->
                <script>alert(1)</script>
                <p><a href="https://shop.example.com/spring?a=1&amp;b=2">Shop now</a></p>
                <p><a href="https://example.com/">https://example.com/</a> <a href="mailto:help@example.com">Help</a></p>
              </body>
            </html>
            """;

        var text = PlainTextPart.FromHtml(html);

        Assert.Equal(
            "Spring sale\n\nUp to 50 % off & free delivery.\n\nShop now (https://shop.example.com/spring?a=1&b=2)\n\nhttps://example.com/ Help",
            text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("<html><head><style>x{}</style></head><body> </body></html>")]
    public void FromHtml_ShouldBeEmpty_WhenThereIsNoVisibleText(string? html) =>
        Assert.Equal(string.Empty, PlainTextPart.FromHtml(html));
}
