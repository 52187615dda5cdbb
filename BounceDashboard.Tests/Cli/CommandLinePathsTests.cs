using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Cli;
using Xunit;

namespace BounceDashboard.Tests.Cli;

public sealed class CommandLinePathsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _repo;
    private readonly string _project;

    public CommandLinePathsTests()
    {
        _repo = _temp.Path;
        _project = Path.GetDirectoryName(_temp.Write(Path.Combine("BounceDashboard.Web", "BounceDashboard.Web.csproj"), "<Project />"))!;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void From_ShouldResolveAgainstTheShellFolder_WhenDotnetRunStartedTheAppInItsProjectFolder()
    {
        var paths = CommandLinePaths.From(_project, _repo);

        Assert.Equal(Path.GetFullPath(Path.Combine(_repo, "..", "shared", "bounce-corpus")), paths.Resolve(Path.Combine("..", "shared", "bounce-corpus")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/no/such/folder")]
    public void From_ShouldResolveAgainstTheProcessFolder_WhenTheShellFolderIsUnsetOrGone(string? shell)
    {
        Assert.Equal(_project, CommandLinePaths.From(_project, shell).BaseDirectory);
    }

    [Fact]
    public void From_ShouldResolveAgainstTheProcessFolder_WhenItIsNotTheProjectFolder()
    {
        Assert.Equal(_repo, CommandLinePaths.From(_repo, _project).BaseDirectory);
    }

    [Fact]
    public void Resolve_ShouldKeepAnAbsolutePath_WhenThePathIsAbsolute()
    {
        var absolute = Path.Combine(_repo, "corpus");

        Assert.Equal(absolute, CommandLinePaths.From(_project, _repo).Resolve(absolute));
    }
}
