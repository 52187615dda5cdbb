using System.Text;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>The From/To values the engine reads from raw bytes, and the ones it leaves to MimeKit's address parser.</summary>
public sealed class SimpleAddressTests
{
    [Theory]
    [InlineData(" MAILER-DAEMON@mx.example.net (Mail Delivery System)", "mailer-daemon@mx.example.net")]
    [InlineData(" Mail Delivery Subsystem <MAILER-DAEMON@Example.COM>", "mailer-daemon@example.com")]
    [InlineData(" \"Mail Delivery System\" <postmaster@example.org>\r\n", "postmaster@example.org")]
    [InlineData(" =?utf-8?B?44Oh44O844Or?= <postmaster@example.jp>", "postmaster@example.jp")]
    [InlineData(" bounce@example.org", "bounce@example.org")]
    public void SimpleAddress_ShouldReadTheAddress_WhenTheValueHasOneMailbox(string raw, string expected)
    {
        Assert.Equal(expected, BounceContext.SimpleAddress(Encoding.UTF8.GetBytes(raw)));
    }

    [Theory]
    [InlineData(" a@example.org, b@example.org")]
    [InlineData(" \"A\" <a@example.org>, \"B\" <b@example.org>")]
    [InlineData(" \"odd <name>\" a@example.org")]
    [InlineData(" undisclosed-recipients:;")]
    public void SimpleAddress_ShouldLeaveItToMimeKit_WhenTheValueIsNotOneSimpleMailbox(string raw)
    {
        Assert.Null(BounceContext.SimpleAddress(Encoding.UTF8.GetBytes(raw)));
    }
}
