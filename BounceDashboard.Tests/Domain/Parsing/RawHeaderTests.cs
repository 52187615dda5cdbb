using System.Text;
using BounceDashboard.Domain.Parsing;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// <see cref="RawHeader.Find"/>: one header read straight from a returned message's raw header block (RFC 5322 §2.2),
/// the way the engine reads our tracking header and the Message-ID without parsing the original.
/// </summary>
public sealed class RawHeaderTests
{
    private const string Block =
        "From: Example News <news@news.example.com>\n" +
        "To: nina@example.org\n" +
        "Message-ID: <m1@example.org>\n" +
        "X-BounceDashboard-Token-Previous: OLD0000000\n" +
        "X-BounceDashboard-Token:\n" +
        "    ABCDEF\n" +
        " 234567  \n" +
        "Subject: November newsletter\n" +
        "\n" +
        "X-BounceDashboard-Token: IN-THE-BODY\n" +
        "Received: from a body line\n";

    [Theory]
    [InlineData("Message-ID", "<m1@example.org>")]
    [InlineData("message-id", "<m1@example.org>")]
    [InlineData("To", "nina@example.org")]
    [InlineData("Subject", "November newsletter")]
    [InlineData("X-BounceDashboard-Token", "ABCDEF 234567")]
    [InlineData("X-BounceDashboard-Token-Previous", "OLD0000000")]
    public void Find_ShouldReturnTheUnfoldedTrimmedValue_WhenHeaderIsInTheBlock(string name, string expected)
    {
        var value = RawHeader.Find(Encoding.ASCII.GetBytes(Block), name, out var needsParser);

        Assert.Equal(expected, value);
        Assert.False(needsParser, "plain ASCII needs no parser");
    }

    [Theory]
    [InlineData("Received")]
    [InlineData("X-Mailer")]
    [InlineData("X-BounceDashboard")]
    public void Find_ShouldReturnNull_WhenHeaderIsOnlyInTheBodyOrAbsent(string name)
    {
        // "Received" appears only after the empty line; "X-BounceDashboard" is only a prefix of real names.
        var value = RawHeader.Find(Encoding.ASCII.GetBytes(Block), name, out var needsParser);

        Assert.Null(value);
        Assert.False(needsParser);
    }

    [Fact]
    public void Find_ShouldReadFoldedValue_WhenLinesEndInCrLf()
    {
        var block = "Subject: first\r\nX-BounceDashboard-Token:\r\n ABCDEF234567 \r\nDate: Sat, 28 Nov 2026 08:20:10 +0000\r\n\r\nbody\r\n"u8;

        var value = RawHeader.Find(block, "X-BounceDashboard-Token", out _);

        Assert.Equal("ABCDEF234567", value);
    }

    [Fact]
    public void Find_ShouldReturnTheFirstOccurrence_WhenHeaderIsRepeated()
    {
        var block = "Message-ID: <first@example.org>\nMessage-ID: <second@example.org>\n\n"u8;

        Assert.Equal("<first@example.org>", RawHeader.Find(block, "Message-ID", out _));
    }

    [Fact]
    public void Find_ShouldAcceptBlanksBeforeTheColon_WhenHeaderUsesObsoleteSyntax()
    {
        // RFC 5322 §4.5.4 (obs-optional): white space may precede the colon.
        var block = "Message-ID : <obs@example.org>\n\n"u8;

        Assert.Equal("<obs@example.org>", RawHeader.Find(block, "Message-ID", out _));
    }

    [Fact]
    public void Find_ShouldIgnoreAContinuationLine_WhenItLooksLikeTheHeader()
    {
        // The indented line belongs to Subject: it is no header of its own.
        var block = "Subject: quoting\n Message-ID: <inside-subject@example.org>\nMessage-ID: <real@example.org>\n\n"u8;

        Assert.Equal("<real@example.org>", RawHeader.Find(block, "Message-ID", out _));
    }

    [Theory]
    [InlineData("Subject: =?utf-8?q?Caf=C3=A9?=\n\n")]
    [InlineData("Subject: Caf\u00e9\n\n")]
    public void Find_ShouldAskForTheParser_WhenValueIsEncodedOrEightBit(string block)
    {
        var bytes = Encoding.Latin1.GetBytes(block);

        var value = RawHeader.Find(bytes, "Subject", out var needsParser);

        Assert.NotNull(value);
        Assert.True(needsParser, $"'{value}' must go to MimeKit's parser");
    }

    [Fact]
    public void Find_ShouldReturnNull_WhenBlockIsEmpty()
    {
        Assert.Null(RawHeader.Find(ReadOnlySpan<byte>.Empty, "Message-ID", out var needsParser));
        Assert.False(needsParser);
    }

    [Theory]
    [InlineData("Status: 5.1.1\n", "5.1.1")]
    [InlineData("Diagnostic-Code: smtp; 550 5.1.1 <a@example.org>: user unknown  \r\n", "smtp; 550 5.1.1 <a@example.org>: user unknown")]
    [InlineData("Diagnostic-Code: smtp; 550 folded\n over two lines\n", "smtp; 550 folded over two lines")]
    [InlineData("Diagnostic-Code: =?utf-8?q?caf=C3=A9?= closed\n", "café closed")]
    [InlineData("Diagnostic-Code: \tsmtp;\t550\n", "smtp;\t550")]
    [InlineData("Status: 5.1.1\v\f\n", "5.1.1")]
    public void Value_ShouldGiveWhatMimeKitsDecoderGives_WhenReadFromRawBytesOrNot(string field, string expected)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(field + "\n"));
        var headers = MimeKit.HeaderList.Load(stream);

        var value = RawHeader.Value(headers, field[..field.IndexOf(':', StringComparison.Ordinal)]);

        Assert.Equal(expected, value);
        Assert.Equal(headers[0].Value, value);
        Assert.Null(RawHeader.Value(headers, "Remote-MTA"));
    }

    [Fact]
    public void Value_ShouldDecodeRawIso2022Jp_WhenAFieldCarriesItWithoutEncodedWords()
    {
        // Japanese Domino writes ISO-2022-JP straight into Diagnostic-Code: seven-bit bytes switched by ESC sequences.
        BounceDashboard.Domain.Parsing.LegacyCharsets.Register();
        var japanese = "ユーザーは Domino ディレクトリには見つかりません";
        var raw = Encoding.GetEncoding(50220).GetBytes(japanese);
        var field = Encoding.ASCII.GetBytes("Diagnostic-Code: X-Notes; ").Concat(raw).Concat("\n\n"u8.ToArray()).ToArray();
        using var stream = new MemoryStream(field);
        var headers = MimeKit.HeaderList.Load(stream);

        var value = RawHeader.Value(headers, "Diagnostic-Code");

        Assert.Equal("X-Notes; " + japanese, value);
    }
}
