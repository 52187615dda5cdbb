using System.Text;
using System.Text.Json;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Parsing;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using BounceDashboard.Web.Mail;
using Xunit;

namespace BounceDashboard.Tests.Cli;

public sealed class ClassifyCommandTests : IDisposable
{
    private static readonly string[] FixtureNames = ["dsn-mailboxfull-delayed.eml", "dsn-userunknown.eml", "plain-message.eml"];

    private readonly TempDirectory _temp = new();
    private readonly BounceEngine _engine = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_ShouldPrintOneLinePerMessageWithTheEnginesVerdict_WhenGivenAFolderOfEmlFiles()
    {
        foreach (var name in FixtureNames)
        {
            _temp.Write(Path.Combine("inbox", name), FixtureFiles.Robustness(name));
        }

        _temp.Write(Path.Combine("inbox", "notes.txt"), "not a message file");

        var (exitCode, lines, errors) = await RunAsync(Path.Combine(_temp.Path, "inbox"));

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal("", errors);
        Assert.Equal(FixtureNames.Select(n => Path.Combine(_temp.Path, "inbox", n)), lines.Select(l => l.GetProperty("file").GetString()));
        foreach (var (line, name) in lines.Zip(FixtureNames))
        {
            var report = _engine.Parse(FixtureFiles.Robustness(name));
            AssertLineMatchesReport(line, report, name);
        }
    }

    [Fact]
    public async Task RunAsync_ShouldPrintTheSameJson_WhenTheCultureIsGerman()
    {
        foreach (var name in FixtureNames)
        {
            _temp.Write(Path.Combine("inbox", name), FixtureFiles.Robustness(name));
        }

        var invariant = await RunAsync(Path.Combine(_temp.Path, "inbox"));
        using var german = CultureScope.German();

        var inGerman = await RunAsync(Path.Combine(_temp.Path, "inbox"));

        Assert.Equal(invariant.Lines.Select(l => l.GetRawText()), inGerman.Lines.Select(l => l.GetRawText()));
        Assert.Contains(inGerman.Lines, l => l.GetProperty("recipients").EnumerateArray().Any(r => r.GetProperty("status").GetString() == "5.1.1"));
    }

    [Fact]
    public async Task RunAsync_ShouldReadCurAndNewButNotTmp_WhenGivenAMaildir()
    {
        var message = FixtureFiles.Robustness("dsn-userunknown.eml");
        _temp.Write(Path.Combine("Maildir", "cur", "1763806502.M1P1.host:2,S"), message);
        _temp.Write(Path.Combine("Maildir", "new", "1763806503.M2P1.host"), message);
        _temp.Write(Path.Combine("Maildir", "tmp", "1763806504.M3P1.host"), message);

        var (exitCode, lines, _) = await RunAsync(Path.Combine(_temp.Path, "Maildir"));

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal(
            [Path.Combine(_temp.Path, "Maildir", "cur", "1763806502.M1P1.host:2,S"), Path.Combine(_temp.Path, "Maildir", "new", "1763806503.M2P1.host")],
            lines.Select(l => l.GetProperty("file").GetString()));
    }

    [Fact]
    public async Task RunAsync_ShouldPrintOneLinePerMboxMessage_WhenGivenAnMboxFile()
    {
        var mbox = new StringBuilder();
        foreach (var name in FixtureNames)
        {
            mbox.Append("From MAILER-DAEMON Sun Nov 22 10:15:02 2026\n");
            mbox.Append(Encoding.UTF8.GetString(FixtureFiles.Robustness(name)).Replace("\nFrom the", "\n>From the", StringComparison.Ordinal));
            mbox.Append('\n');
        }

        var path = _temp.Write("bounces.mbox", mbox.ToString());

        var (exitCode, lines, _) = await RunAsync(path);

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal(FixtureNames.Select((_, i) => $"{path}#{i + 1}"), lines.Select(l => l.GetProperty("file").GetString()));
        foreach (var (line, name) in lines.Zip(FixtureNames))
        {
            AssertLineMatchesReport(line, _engine.Parse(FixtureFiles.Robustness(name)), name);
        }
    }

    [Fact]
    public async Task RunAsync_ShouldPrintTheLinesInInputOrderWithEachMessagesVerdict_WhenTheMboxSpansSeveralParallelChunks()
    {
        // Messages are classified in parallel, ClassifyCommand.ChunkSize at a time: the lines still follow the input.
        var count = (ClassifyCommand.ChunkSize * 2) + 7;
        var mbox = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var name = FixtureNames[i % FixtureNames.Length];
            mbox.Append("From MAILER-DAEMON Sun Nov 22 10:15:02 2026\n");
            mbox.Append(Encoding.UTF8.GetString(FixtureFiles.Robustness(name)).Replace("\nFrom the", "\n>From the", StringComparison.Ordinal));
            mbox.Append('\n');
        }

        var path = _temp.Write("many.mbox", mbox.ToString());

        var (exitCode, lines, _) = await RunAsync(path);

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"{path}#{i}"), lines.Select(l => l.GetProperty("file").GetString()));
        var kinds = FixtureNames.Select(n => _engine.Parse(FixtureFiles.Robustness(n)).Kind.ToCode()).ToArray();
        Assert.Equal(
            Enumerable.Range(0, count).Select(i => kinds[i % kinds.Length]),
            lines.Select(l => l.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task RunAsync_ShouldClassifyStandardInput_WhenPathIsADash()
    {
        var message = FixtureFiles.Robustness("dsn-userunknown.eml");
        var command = new ClassifyCommand(_engine, new MessageSources(() => new MemoryStream(message)), new CommandLinePaths(_temp.Path));

        var (exitCode, lines, _) = await RunAsync(command, MessageSources.StandardInput);

        Assert.Equal(CliExitCodes.Success, exitCode);
        var line = Assert.Single(lines);
        Assert.Equal("-", line.GetProperty("file").GetString());
        AssertLineMatchesReport(line, _engine.Parse(message), "stdin");
    }

    [Fact]
    public async Task RunAsync_ShouldResolveRelativePathsAgainstTheInvocationDirectory_WhenAPathIsRelative()
    {
        var path = _temp.Write(Path.Combine("sub", "one.eml"), FixtureFiles.Robustness("plain-message.eml"));

        var (exitCode, lines, _) = await RunAsync(Path.Combine("sub", "one.eml"));

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal(path, Assert.Single(lines).GetProperty("file").GetString());
    }

    [Fact]
    public async Task RunAsync_ShouldExitNonZeroNamingThePathAndStillClassifyTheRest_WhenAPathDoesNotExist()
    {
        var good = _temp.Write("good.eml", FixtureFiles.Robustness("plain-message.eml"));
        var missing = Path.Combine(_temp.Path, "missing.eml");

        var (exitCode, lines, errors) = await RunAsync(missing, good);

        Assert.Equal(CliExitCodes.Failure, exitCode);
        Assert.Contains($"cannot read '{missing}'", errors, StringComparison.Ordinal);
        Assert.Equal(good, Assert.Single(lines).GetProperty("file").GetString());
    }

    [Fact]
    public async Task RunAsync_ShouldPrintUnparseableWithAnErrorAndContinue_WhenAMessageIsEmpty()
    {
        var empty = _temp.Write("a-empty.eml", []);
        var good = _temp.Write("b-good.eml", FixtureFiles.Robustness("plain-message.eml"));

        var (exitCode, lines, _) = await RunAsync(_temp.Path);

        Assert.Equal(CliExitCodes.Success, exitCode);
        Assert.Equal([empty, good], lines.Select(l => l.GetProperty("file").GetString()));
        Assert.Equal("unparseable", lines[0].GetProperty("kind").GetString());
        Assert.False(string.IsNullOrWhiteSpace(lines[0].GetProperty("error").GetString()), "an unparseable message must say why");
        Assert.NotEqual("unparseable", lines[1].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("--verbose x.eml")]
    public async Task RunAsync_ShouldExitWithUsageCode_WhenArgumentsAreWrong(string commandLine)
    {
        var (exitCode, lines, errors) = await RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(CliExitCodes.Usage, exitCode);
        Assert.Empty(lines);
        Assert.Contains("usage: classify", errors, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, List<JsonElement> Lines, string Errors)> RunAsync(params string[] args) =>
        RunAsync(new ClassifyCommand(_engine, new MessageSources(() => Stream.Null), new CommandLinePaths(_temp.Path)), args);

    private static async Task<(int ExitCode, List<JsonElement> Lines, string Errors)> RunAsync(ClassifyCommand command, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await command.RunAsync(args, output, errors, CancellationToken.None);
        var lines = output.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        return (exitCode, lines, errors.ToString());
    }

    private static void AssertLineMatchesReport(JsonElement line, BounceReport report, string name)
    {
        Assert.True(report.Kind.ToCode() == line.GetProperty("kind").GetString(), $"kind of {name}");
        var recipients = line.GetProperty("recipients").EnumerateArray().ToList();
        Assert.True(report.Recipients.Count == recipients.Count, $"recipient count of {name}");
        foreach (var (expected, actual) in report.Recipients.Zip(recipients))
        {
            Assert.Equal(expected.Address, actual.GetProperty("address").GetString());
            Assert.Equal(expected.Status?.ToString(), actual.GetProperty("status").GetString());
            Assert.Equal(expected.Reason.ToCode(), actual.GetProperty("reason").GetString());
            Assert.Equal(expected.Hard, actual.GetProperty("hard").GetBoolean());
            Assert.Equal(expected.Rule, actual.GetProperty("rule").GetString());
            Assert.False(string.IsNullOrEmpty(expected.Explanation), $"explanation of {name}");
            Assert.Equal(expected.Explanation, actual.GetProperty("explanation").GetString());
        }

        Assert.Equal(report.Match.Token, line.GetProperty("match").GetProperty("token").GetString());
        Assert.Equal(report.Match.OriginalMessageId, line.GetProperty("match").GetProperty("messageId").GetString());
    }
}
