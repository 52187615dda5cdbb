using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Mail;
using BounceDashboard.Web.Tracking;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Xunit;

namespace BounceDashboard.Tests.Mail;

public class CampaignMessageTemplateTests
{
    private static readonly Uri BaseUrl = new("https://track.example.org/");
    private static readonly string Token = InboundFixtures.Signer.Create(42);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    private static string Sample(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Campaigns", name));

    private static CampaignContent Content(string? html, string? text = null) =>
        new("news@mail.example.org", "Example News", "Spring sale", html, text);

    private static MessageRecipient Recipient(string token = "") =>
        new("jane@example.com", "Jane Doe", token.Length > 0 ? token : Token, "<1.42@mail.example.org>");

    private CampaignMessageTemplate Compile(string? html, string? text = null) =>
        CampaignMessageTemplate.Compile(Content(html, text), _time);

    /// <summary>Writes the message out and parses it back, as a receiving server would.</summary>
    private static MimeMessage RoundTrip(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.Prepare(EncodingConstraint.SevenBit);
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private MimeMessage RenderNewsletter() =>
        RoundTrip(Compile(Sample("newsletter.html"), Sample("plain.txt")).Render(Recipient(), BaseUrl, "bounce.example.org"));

    private static string Click(int n) => $"https://track.example.org/t/c/{Token}/{n}";

    [Fact]
    public void Compile_ShouldNumberEveryHttpLinkOfTheHtmlInOrder_WhenTheHtmlIsARealNewsletter()
    {
        var template = Compile(Sample("newsletter.html"));

        // One number per occurrence: the shop appears twice (logo and text) and gets 1 and 4.
        Assert.Equal(
            [
                "https://shop.example.org/",
                "https://shop.example.org/sale?utm_source=mail&utm_medium=email",
                "https://blog.example.org/post-1",
                "https://shop.example.org/",
            ],
            template.Links);
    }

    [Fact]
    public void Render_ShouldRewriteEachLinkToItsClickUrlAndLeaveEverythingElse_WhenTheHtmlIsARealNewsletter()
    {
        var html = RenderNewsletter().HtmlBody!;

        Assert.Contains($"<a href=\"{Click(1)}\"><img src=\"https://cdn.example.org/logo.png\" alt=\"<a href='https://alt.example.org/'>Shop</a>\"", html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"cta\" HREF=\"{Click(2)}\" target=_blank>the sale</a>", html, StringComparison.Ordinal);
        Assert.Contains($"<A title=\"a > b\" href=\"{Click(3)}\">the post</A>", html, StringComparison.Ordinal);
        Assert.Contains($"href = \"{Click(4)}\">the shop</a>", html, StringComparison.Ordinal);
        foreach (var untouched in new[]
        {
            "<a href=\"mailto:help@example.org\">",
            "<a href=\"tel:+441234567890\">",
            "<a href=\"#terms\">",
            "<a href=\"/account\">",
            "<!-- <a href=\"https://old.example.org/commented-out\">old offer</a> </body> -->",
            "/* <a href=\"https://style.example.org/not-a-link\">in a stylesheet</a> */",
            "<a name=\"terms\"></a>",
        })
        {
            Assert.Contains(untouched, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("https://shop.example.org", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://blog.example.org", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("/t/c/").Length - 1);
    }

    [Fact]
    public void Render_ShouldAppendTheOpenPixelJustBeforeTheClosingBodyTag_WhenTheHtmlHasOne()
    {
        var html = RenderNewsletter().HtmlBody!;

        var pixel = $"<img src=\"https://track.example.org/t/o/{Token}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
        Assert.Equal(2, html.Split(pixel).Length);
        Assert.EndsWith(pixel + "</BODY>\n</html>\n", html.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(1, html.Split("/t/o/").Length - 1);
    }

    [Fact]
    public void Render_ShouldAppendThePixelAtTheEnd_WhenTheHtmlIsAFragmentWithoutBody()
    {
        var html = RoundTrip(Compile(Sample("fragment.html")).Render(Recipient(), new Uri("https://example.org/mail"), "bounce.example.org")).HtmlBody!;

        // A base URL with a path keeps it: the app may be served under /mail.
        Assert.StartsWith($"<p>Hello! Visit <a href=\"https://example.org/mail/t/c/{Token}/1\">our site</a>.</p>", html, StringComparison.Ordinal);
        Assert.EndsWith($"<img src=\"https://example.org/mail/t/o/{Token}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">", html.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShouldSetTheAddressingAndTrackingHeaders_WhenAMessageIsRendered()
    {
        var message = RenderNewsletter();

        Assert.Equal("\"Example News\" <news@mail.example.org>", message.From.ToString());
        Assert.Equal("\"Jane Doe\" <jane@example.com>", message.To.ToString());
        Assert.Equal("Spring sale", message.Subject);
        Assert.Equal(_time.GetUtcNow(), message.Date);
        Assert.Equal("1.42@mail.example.org", message.MessageId);
        Assert.Equal(Token, message.Headers[TrackingHeaders.Token]);
        Assert.Equal($"<https://track.example.org/t/u/{Token}>", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public void Render_ShouldSendTextThenHtmlAsMultipartAlternativeAndLeaveTextLinksAsTyped_WhenBothBodiesAreGiven()
    {
        var message = RenderNewsletter();

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.All(alternative.OfType<TextPart>(), p => Assert.Equal("utf-8", p.ContentType.Charset, ignoreCase: true));
        Assert.Equal(Sample("plain.txt").ReplaceLineEndings("\n"), message.TextBody!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Render_ShouldSendOnePart_WhenOnlyOneBodyIsGiven()
    {
        var htmlOnly = RoundTrip(Compile(Sample("fragment.html")).Render(Recipient(), BaseUrl, "bounce.example.org"));
        var textOnly = RoundTrip(Compile(null, Sample("plain.txt")).Render(Recipient(), BaseUrl, "bounce.example.org"));

        Assert.Equal("text/html", Assert.IsType<TextPart>(htmlOnly.Body).ContentType.MimeType);
        Assert.Equal("text/plain", Assert.IsType<TextPart>(textOnly.Body).ContentType.MimeType);
        Assert.Empty(Compile(null, Sample("plain.txt")).Links);
        Assert.Equal($"<https://track.example.org/t/u/{Token}>", textOnly.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public void Render_ShouldKeepNonAsciiTextIntact_WhenTheBodiesAndNamesAreNotAscii()
    {
        var template = CampaignMessageTemplate.Compile(
            new CampaignContent("news@mail.example.org", "Café Zoë", "Ünïcode façade ✓", "<p>Grüße <a href=\"https://example.org/ä?q=é\">hier</a></p>", "Grüße"),
            _time);

        var message = RoundTrip(template.Render(new MessageRecipient("jose@example.com", "José", Token, "1.42@mail.example.org"), BaseUrl, "bounce.example.org"));

        Assert.Equal("Ünïcode façade ✓", message.Subject);
        Assert.Equal("Café Zoë", ((MailboxAddress)message.From[0]).Name);
        Assert.Equal("José", ((MailboxAddress)message.To[0]).Name);
        Assert.Contains("<p>Grüße <a href=\"https://track.example.org/t/c/", message.HtmlBody!, StringComparison.Ordinal);
        Assert.Equal("Grüße", message.TextBody!.TrimEnd());
        Assert.Equal(["https://example.org/ä?q=é"], template.Links);
    }

    [Theory]
    [InlineData("<a href=\"https://example.org/?a=1&amp;b=2\">x</a>", "https://example.org/?a=1&b=2")]
    [InlineData("<a href=\"https://example.org/?a=1&#38;b=2&#x26;c=3\">x</a>", "https://example.org/?a=1&b=2&c=3")]
    [InlineData("<a href='HTTPS://Example.org/Path'>x</a>", "HTTPS://Example.org/Path")]
    [InlineData("<a\thref=https://example.org/u?x=1&amp;y=2>x</a>", "https://example.org/u?x=1&y=2")]
    [InlineData("<a href=\"\n  https://example.org/spaced  \n\">x</a>", "https://example.org/spaced")]
    [InlineData("<a href=\"https://example.org/1\" href=\"https://example.org/2\">x</a>", "https://example.org/1")]
    [InlineData("<a href=https://example.org/x/>x</a>", "https://example.org/x/")]
    [InlineData("<!--[if !mso]><!--><a href=\"https://example.org/not-outlook\">x</a><!--<![endif]-->", "https://example.org/not-outlook")]
    [InlineData("<a title='say \"hi\"' href=\"https://example.org/q\">x</a>", "https://example.org/q")]
    public void Compile_ShouldStoreTheDecodedUrl_WhenTheHrefIsWrittenInAnyLegalWay(string html, string expected)
    {
        Assert.Equal([expected], Compile(html).Links);
    }

    [Theory]
    [InlineData("<abbr href=\"https://example.org/\">x</abbr>")]
    [InlineData("<area href=\"https://example.org/\">")]
    [InlineData("<a data-href=\"https://example.org/\">x</a>")]
    [InlineData("<!-- <a href=\"https://example.org/\">x</a> -->")]
    [InlineData("<script>var s = '<a href=\"https://example.org/\">';</script>")]
    [InlineData("<style>/* <a href=\"https://example.org/\"> */</style>")]
    [InlineData("<textarea><a href=\"https://example.org/\">x</a></textarea>")]
    [InlineData("<p title=\"<a href='https://example.org/'>\">x</p>")]
    [InlineData("<a href=\"mailto:x@example.org\">x</a> <a href=\"//example.org/\">x</a> <a href=\"ftp://example.org/\">x</a> <a href=\"\">x</a> <a href>x</a>")]
    [InlineData("1 < 2 and <a")]
    public void Compile_ShouldTrackNoLink_WhenNoAnchorCarriesAnHttpHref(string html)
    {
        var template = Compile(html);

        Assert.Empty(template.Links);
        var rendered = template.Render(Recipient(), BaseUrl, "bounce.example.org").HtmlBody!;
        Assert.StartsWith(html, rendered, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "  ")]
    public void Compile_ShouldRefuse_WhenThereIsNoBody(string? html, string? text)
    {
        Assert.Throws<DomainException>(() => Compile(html, text));
    }

    [Theory]
    [InlineData("<a href=\"https://user:secret@example.org/\">x</a>")]
    [InlineData("<a href=\"https://example.org/a b\">x</a>")]
    [InlineData("<a href=\"https://\">x</a>")]
    public void Compile_ShouldRefuseNamingTheLink_WhenAnHttpLinkIsNotOneTheClickEndpointMayRedirectTo(string html)
    {
        var ex = Assert.Throws<DomainException>(() => Compile(html));

        Assert.Contains("link 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ShouldRefuse_WhenTheHtmlHasMoreLinksThanACampaignMayStore()
    {
        var html = string.Concat(Enumerable.Range(1, 1001).Select(i => $"<a href=\"https://example.org/{i}\">{i}</a>"));

        Assert.Throws<DomainException>(() => Compile(html));
    }

    [Theory]
    [InlineData("not an address", "Name", "Subject")]
    [InlineData("news@mail.example.org", "Name\r\nBcc: victim@example.com", "Subject")]
    [InlineData("news@mail.example.org", "Name", "Sale\r\nBcc: victim@example.com")]
    public void Compile_ShouldRefuse_WhenTheSenderOrSubjectIsNotAHeaderValue(string from, string name, string subject)
    {
        Assert.Throws<DomainException>(() => CampaignMessageTemplate.Compile(new CampaignContent(from, name, subject, "<p>x</p>", null), _time));
    }

    [Fact]
    public void Render_ShouldGiveEachRecipientItsOwnTokenAndNoOneElses_WhenOneTemplateRendersMany()
    {
        var template = Compile(Sample("newsletter.html"), Sample("plain.txt"));
        var tokens = Enumerable.Range(1, 50).Select(i => InboundFixtures.Signer.Create(i)).ToList();

        var rendered = tokens.Select(t => template.Render(Recipient(t), BaseUrl, "bounce.example.org").HtmlBody!).ToList();

        for (var i = 0; i < tokens.Count; i++)
        {
            var others = tokens.Where((_, j) => j != i);
            Assert.Equal(5, rendered[i].Split(tokens[i]).Length - 1);
            Assert.DoesNotContain(others, t => rendered[i].Contains(t, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Render_ShouldUseTheTrackingRoutes_WhenItBuildsUrls()
    {
        // The paths come from TrackingEndpoints, so a route change cannot leave the mail pointing at the old one.
        var html = Compile("<a href=\"https://example.org/\">x</a>").Render(Recipient(), BaseUrl, "bounce.example.org").HtmlBody!;

        Assert.Contains("https://track.example.org" + TrackingEndpoints.ClickPath(Token, 1), html, StringComparison.Ordinal);
        Assert.Contains("https://track.example.org" + TrackingEndpoints.OpenPath(Token), html, StringComparison.Ordinal);
    }
}
