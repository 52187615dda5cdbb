using System.Text;
using System.Text.RegularExpressions;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Parsing;

/// <summary>
/// The stream splitter on mboxes built from real corpus messages, written as an mboxrd writer does (a From_ line, every
/// ">*From " line quoted with one more '>', an empty line after each message), read in chunks small enough to cut
/// messages, From_ lines and quoted lines anywhere.
/// </summary>
public sealed partial class MboxSplitterStreamTests
{
    private const string Separator = "From MAILER-DAEMON Mon Dec  7 12:00:00 2026";

    private static readonly string[] LfMessages =
        ["bsd-lhost-ezweb-01.eml", "bsd-arf-01.eml", "bsd-lhost-courier-01.eml", "bsd-rfc3464-07.eml", "bsd-lhost-exchange2007-01.eml"];

    private static readonly string[] CrMessages = ["mac-lhost-exchange2007-01.eml", "mac-lhost-qmail-01.eml", "mac-lhost-x1-01.eml"];

    private static readonly string[] CrLfMessages = ["dos-lhost-exim-01.eml", "dos-lhost-sendgrid-01.eml", "dos-lhost-v5sendmail-01.eml"];

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(MboxSplitter.DefaultChunkSize)]
    public void Split_ShouldYieldEveryMessageAsWritten_WhenMessagesSpanChunkBoundaries(int chunkSize)
    {
        var messages = Corpus(LfMessages);
        var (mbox, expected) = Mbox(messages, "\n");

        var split = Split(mbox, chunkSize);

        Assert.Equal(expected, split);
        Assert.Contains(split, m => m.StartsWith("From ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Split_ShouldSeparateTheMessages_WhenTheFromLineIsCutAcrossTwoChunks(int bytesOfFromBeforeTheCut)
    {
        var (mbox, expected) = Mbox(Corpus(LfMessages[1..3]), "\n");
        var second = Encoding.Latin1.GetString(mbox).IndexOf("\n\n" + Separator, StringComparison.Ordinal) + 2;

        // The first read ends inside the second From_ line ("F", "Fr", ... "From "), the rest comes in later reads.
        var split = Split(new ChunkedStream(mbox, second + bytesOfFromBeforeTheCut), MboxSplitter.DefaultChunkSize);

        Assert.Equal(expected, split);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Split_ShouldUnquoteFrom_WhenAQuotedFromLineIsCutAcrossTwoChunks(int bytesBeforeTheCut)
    {
        // ezweb-01 is a saved message whose first line is its own From_ line: the mbox holds it as ">From ...".
        var (mbox, expected) = Mbox(Corpus(["bsd-arf-01.eml", "bsd-lhost-ezweb-01.eml"]), "\n");
        var quoted = Encoding.Latin1.GetString(mbox).IndexOf("\n>From ", StringComparison.Ordinal) + 1;

        var split = Split(new ChunkedStream(mbox, quoted + bytesBeforeTheCut), MboxSplitter.DefaultChunkSize);

        Assert.Equal(expected, split);
        Assert.StartsWith("From ", split[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Split_ShouldYieldTheWholeMessage_WhenOneMessageIsManyTimesTheChunkSize()
    {
        // A real bounce carrying a 6 MB attachment-like body, read 4 KB at a time, between two ordinary messages.
        var bounce = Encoding.Latin1.GetString(File.ReadAllBytes(FixtureFiles.Bounces("corpus", "bsd-lhost-courier-01.eml")));
        var line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==\n";
        var huge = bounce + string.Concat(Enumerable.Repeat(line, 6 * 1024 * 1024 / line.Length));
        var (mbox, expected) = Mbox([Corpus(["bsd-arf-01.eml"])[0], huge, Corpus(["bsd-rfc3464-07.eml"])[0]], "\n");

        var split = Split(mbox, 4096);

        Assert.Equal(3, split.Count);
        Assert.Equal(expected, split);
        Assert.True(split[1].Length > 6_000_000);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(MboxSplitter.DefaultChunkSize)]
    public void Split_ShouldSplitAtCrLineEndings_WhenTheMboxUsesCrOnly(int chunkSize)
    {
        // Classic Mac OS files: every line ends in a lone CR, the From_ lines and the empty lines between messages too.
        var (mbox, expected) = Mbox(Corpus(CrMessages), "\r");
        Assert.DoesNotContain((byte)'\n', mbox);

        var split = Split(mbox, chunkSize);

        Assert.Equal(3, split.Count);
        Assert.Equal(expected, split);
        Assert.All(split, m => Assert.Contains("\rSubject: ", m, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(MboxSplitter.DefaultChunkSize)]
    public void Split_ShouldKeepCrLfLineEndings_WhenAChunkEndsBetweenTheCrAndTheLf(int chunkSize)
    {
        var (mbox, expected) = Mbox(Corpus(CrLfMessages), "\r\n");
        var firstCr = Array.IndexOf(mbox, (byte)'\r');

        var byteByByte = Split(mbox, chunkSize);
        var cutAtCr = Split(new ChunkedStream(mbox, firstCr + 1), MboxSplitter.DefaultChunkSize);

        Assert.Equal(expected, byteByByte);
        Assert.Equal(expected, cutAtCr);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(MboxSplitter.DefaultChunkSize)]
    public void Split_ShouldSplitOnlyAtDatedFromLinesFollowedByAHeader_WhenDatedHeadedOnly(int chunkSize)
    {
        var content = "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\nSubject: one\n\nbody\n\nFrom now on we write.\n>From kept\n" +
            "From postmaster  Thu Jul  2 12:05:06 2020\nnot a header line\n" +
            "From double-bounce@example.com  Thu Jul  2 12:05:07 2020\nSubject: two\n\nsecond\n";
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(content));

        var split = MboxSplitter.Split(stream, datedHeadedOnly: true, chunkSize).Select(Text).ToList();

        Assert.Equal(
            [
                "Subject: one\n\nbody\n\nFrom now on we write.\n>From kept\nFrom postmaster  Thu Jul  2 12:05:06 2020\nnot a header line\n",
                "Subject: two\n\nsecond\n",
            ],
            split);
    }

    [Fact]
    public void Split_ShouldYieldTheFirstMessage_WhenOnlyItsChunksHaveBeenRead()
    {
        var (mbox, _) = Mbox(Enumerable.Repeat(Corpus(LfMessages), 200).SelectMany(m => m).ToList(), "\n");
        using var stream = new MemoryStream(mbox);

        using var messages = MboxSplitter.Split(stream, chunkSize: 4096).GetEnumerator();
        Assert.True(messages.MoveNext());

        Assert.True(stream.Position <= messages.Current.Length + 2 * 4096, $"read {stream.Position} of {mbox.Length} bytes");
    }

    /// <summary>Corpus messages as text (Latin-1: one char per byte), their own line endings kept.</summary>
    private static List<string> Corpus(IEnumerable<string> names) =>
        [.. names.Select(name => Encoding.Latin1.GetString(File.ReadAllBytes(FixtureFiles.Bounces("corpus", name))))];

    /// <summary>An mboxrd of the messages with <paramref name="eol"/> line endings, and the messages it holds.</summary>
    private static (byte[] Mbox, List<string> Messages) Mbox(IReadOnlyList<string> messages, string eol)
    {
        var mbox = new StringBuilder();
        var expected = new List<string>();
        foreach (var message in messages)
        {
            var content = message.EndsWith(eol, StringComparison.Ordinal) ? message : message + eol;
            expected.Add(content);
            mbox.Append(Separator).Append(eol).Append(QuotedFrom(eol).Replace(content, ">$1")).Append(eol);
        }

        return (Encoding.Latin1.GetBytes(mbox.ToString()), expected);
    }

    /// <summary>Lines starting with any number of '>' then "From ", after a line ending or at the start.</summary>
    private static Regex QuotedFrom(string eol) => eol == "\r"
        ? CrQuotedFrom()
        : LfQuotedFrom();

    [GeneratedRegex("^(>*From )", RegexOptions.Multiline)]
    private static partial Regex LfQuotedFrom();

    [GeneratedRegex("(?<=^|\r)(>*From )")]
    private static partial Regex CrQuotedFrom();

    private static List<string> Split(byte[] mbox, int chunkSize) => Split(new MemoryStream(mbox), chunkSize);

    private static List<string> Split(Stream mbox, int chunkSize)
    {
        using (mbox)
        {
            return [.. MboxSplitter.Split(mbox, datedHeadedOnly: false, chunkSize).Select(Text)];
        }
    }

    private static string Text(ReadOnlyMemory<byte> message) => Encoding.Latin1.GetString(message.Span);

    /// <summary>Answers the first read with exactly <c>firstRead</c> bytes and later reads with what is asked.</summary>
    private sealed class ChunkedStream(byte[] content, int firstRead) : MemoryStream(content, writable: false)
    {
        private bool _first = true;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var first = _first;
            _first = false;
            return base.Read(buffer, offset, first ? Math.Min(count, firstRead) : count);
        }

        public override int Read(Span<byte> buffer)
        {
            var bytes = new byte[buffer.Length];
            var read = Read(bytes, 0, bytes.Length);
            bytes.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
    }
}
