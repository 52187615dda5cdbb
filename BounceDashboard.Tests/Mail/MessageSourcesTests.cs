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

    private static string Text(SourceMessage message) => Encoding.UTF8.GetString(message.Content.Span);
}
