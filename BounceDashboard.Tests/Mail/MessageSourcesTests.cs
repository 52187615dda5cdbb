using System.Text;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Mail;
using Xunit;

namespace BounceDashboard.Tests.Mail;

public sealed class MessageSourcesTests : IDisposable
{
    private const string Mbox =
        "From alice@example.com Sun Nov 22 10:00:00 2026\n" +
        "Subject: one\n\nfirst body\n>From the start\n>>From quoted twice\n\n" +
        "From bob@example.com Sun Nov 22 10:01:00 2026\n" +
        "Subject: two\n\nsecond body\nFrom here on a line that is no separator\n\n";

    private readonly TempDirectory _temp = new();
    private readonly MessageSources _sources = new(() => Stream.Null);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_ShouldSplitAtFromLinesAndUnquoteFrom_WhenTheFileIsAnMbox()
    {
        var path = _temp.Write("inbox", Mbox);

        var messages = _sources.Read(path).ToList();

        Assert.Equal([$"{path}#1", $"{path}#2"], messages.Select(m => m.Name));
        Assert.Equal("Subject: one\n\nfirst body\nFrom the start\n>From quoted twice\n", Text(messages[0]));
        Assert.Equal("Subject: two\n\nsecond body\nFrom here on a line that is no separator\n", Text(messages[1]));
    }

    [Fact]
    public void Read_ShouldKeepCrLfLineEndings_WhenTheMboxUsesCrLf()
    {
        var path = _temp.Write("inbox.mbox", Mbox.Replace("\n", "\r\n", StringComparison.Ordinal));

        var messages = _sources.Read(path).ToList();

        Assert.Equal(2, messages.Count);
        Assert.Equal("Subject: one\r\n\r\nfirst body\r\nFrom the start\r\n>From quoted twice\r\n", Text(messages[0]));
    }

    [Fact]
    public void Read_ShouldReturnTheBytesUnchanged_WhenAnEmlFileStartsWithAFromLine()
    {
        var content = "From MAILER-DAEMON Sun Nov 22 10:00:00 2026\nSubject: x\n\n>From body\n";
        var path = _temp.Write("saved.eml", content);

        var message = Assert.Single(_sources.Read(path));

        Assert.Equal(content, Text(message));
    }

    [Fact]
    public void Read_ShouldReadEachMessage_WhenAnEmlFileIsAMailboxOfSeveral()
    {
        // The second message follows the first one's closing boundary with no empty line between: its dated From_
        // line still separates them.
        var content = "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\nSubject: one\n\nfirst\n--b--\n" +
            "From double-bounce@example.com  Thu Jul  2 12:05:06 2020\nSubject: two\n\nsecond\n";
        var path = _temp.Write("two.eml", content);

        var messages = _sources.Read(path).ToList();

        Assert.Equal([$"{path}#1", $"{path}#2"], messages.Select(m => m.Name));
        Assert.Equal("Subject: one\n\nfirst\n--b--\n", Text(messages[0]));
        Assert.Equal("Subject: two\n\nsecond\n", Text(messages[1]));
    }

    [Fact]
    public void Read_ShouldKeepAnEmlFileWhole_WhenItsBodyHasLinesStartingWithFrom()
    {
        // A saved message does not escape "From " in its body: only a dated From_ line followed by a header separates.
        var content = "From MAILER-DAEMON  Thu Jul  2 12:05:05 2020\nSubject: one\n\nbody\n\nFrom now on we write.\n\n" +
            "From postmaster  Thu Jul  2 12:05:06 2020\nnot a header line\n";
        var path = _temp.Write("one.eml", content);

        var message = Assert.Single(_sources.Read(path));

        Assert.Equal(content, Text(message));
    }

    [Fact]
    public void Read_ShouldReadEmlFilesThenSubfoldersInOrdinalOrder_WhenGivenAFolder()
    {
        _temp.Write(Path.Combine("b", "2.eml"), "Subject: b2\n\n");
        _temp.Write("z.eml", "Subject: z\n\n");
        _temp.Write(Path.Combine("a", "1.EML"), "Subject: a1\n\n");
        _temp.Write("readme.txt", "skip me");

        var names = _sources.Read(_temp.Path).Select(m => Path.GetRelativePath(_temp.Path, m.Name)).ToList();

        Assert.Equal(["z.eml", Path.Combine("a", "1.EML"), Path.Combine("b", "2.eml")], names);
    }

    [Fact]
    public void Read_ShouldReadStandardInputAsAnMbox_WhenItStartsWithAFromLine()
    {
        var sources = new MessageSources(() => new MemoryStream(Encoding.UTF8.GetBytes(Mbox)));

        var names = sources.Read(MessageSources.StandardInput).Select(m => m.Name).ToList();

        Assert.Equal(["-#1", "-#2"], names);
    }

    [Fact]
    public void Read_ShouldYieldAnErrorNamingThePath_WhenThePathDoesNotExist()
    {
        var missing = Path.Combine(_temp.Path, "nope");

        var message = Assert.Single(_sources.Read(missing));

        Assert.False(message.IsReadable);
        Assert.Equal(missing, message.Name);
        Assert.False(string.IsNullOrEmpty(message.Error));
    }

    [Fact]
    public void Read_ShouldYieldTheFirstMessageBeforeReadingAllOfStandardInput_WhenItIsAnMbox()
    {
        var mbox = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Mbox, 20_000)));
        var input = new CountingStream(mbox);
        var sources = new MessageSources(() => input);

        using var messages = sources.Read(MessageSources.StandardInput).GetEnumerator();
        Assert.True(messages.MoveNext());

        Assert.Equal("-#1", messages.Current.Name);
        Assert.True(input.BytesRead < mbox.Length / 10, $"read {input.BytesRead} of {mbox.Length} bytes for the first message");
    }

    [Fact]
    public void Read_ShouldYieldTheMessagesReadThenTheError_WhenStandardInputFailsMidway()
    {
        var mbox = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Mbox, 1_000)));
        var sources = new MessageSources(() => new FailingStream(mbox, failAfter: mbox.Length / 2));

        var messages = sources.Read(MessageSources.StandardInput).ToList();

        Assert.True(messages.Count > 100, $"{messages.Count} messages");
        Assert.All(messages[..^1], m => Assert.True(m.IsReadable));
        Assert.Equal("Subject: one\n\nfirst body\nFrom the start\n>From quoted twice\n", Text(messages[0]));
        Assert.Equal(MessageSources.StandardInput, messages[^1].Name);
        Assert.Equal("disk gone", messages[^1].Error);
    }

    [Fact]
    public void Read_ShouldSplitAtCrLineEndings_WhenAnMboxFileUsesCrOnly()
    {
        var message = File.ReadAllText(FixtureFiles.Bounces("corpus", "mac-lhost-qmail-01.eml"), Encoding.Latin1);
        var path = _temp.Write("classic.mbox", Mbox.Replace("\n", "\r", StringComparison.Ordinal) +
            "From MAILER-DAEMON Sun Nov 22 10:02:00 2026\r" + message + "\r");

        var messages = _sources.Read(path).ToList();

        Assert.Equal([$"{path}#1", $"{path}#2", $"{path}#3"], messages.Select(m => m.Name));
        Assert.Equal("Subject: one\r\rfirst body\rFrom the start\r>From quoted twice\r", Text(messages[0]));
        Assert.Equal(message, Encoding.Latin1.GetString(messages[2].Content.Span));
    }

    [Fact]
    public void Read_ShouldNameTheFileAlone_WhenAnMboxFileHoldsOneMessage()
    {
        var path = _temp.Write("one.mbox", "From alice@example.com Sun Nov 22 10:00:00 2026\nSubject: one\n\nbody\n");

        var message = Assert.Single(_sources.Read(Path.GetDirectoryName(path)!));

        Assert.Equal(path, message.Name);
        Assert.Equal("Subject: one\n\nbody\n", Text(message));
    }

    private static string Text(SourceMessage message) => Encoding.UTF8.GetString(message.Content.Span);

    /// <summary>Standard input whose device fails after <c>failAfter</c> bytes.</summary>
    private sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("disk gone") : base.Read(buffer, offset, (int)Math.Min(count, failAfter - Position));

        public override int Read(Span<byte> buffer)
        {
            var bytes = new byte[buffer.Length];
            var read = Read(bytes, 0, bytes.Length);
            bytes.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
    }

    /// <summary>Standard input that counts the bytes read from it.</summary>
    private sealed class CountingStream(byte[] content) : MemoryStream(content, writable: false)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
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
