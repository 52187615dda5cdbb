using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Polling;

/// <summary>
/// Two instances polling one mailbox against one database: a SQLite file (each context its own connection, as two
/// processes would have), the real migrations, and two jobs built apart, as two app instances would build them.
/// </summary>
public sealed class PollMailboxJobConcurrencyTests : PollerScenario, IAsyncLifetime, IDisposable
{
    private const string Name = "shared-bounces";
    private const int Messages = 40;

    private readonly TempDirectory _folder = new();
    private IDbContextFactory<BounceDbContext> _file = null!;

    private MailboxOptions Mailbox => new() { Name = Name, Kind = MailboxKind.Maildir, Path = Path.Combine(_folder.Path, "Maildir") };

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var options = new DbContextOptionsBuilder<SqliteBounceDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder.Path, "shared.db")};Foreign Keys=True;Default Timeout=30")
            .Options;
        _file = new FileFactory(options);
        await using var db = await _file.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        for (var i = 0; i < Messages; i++)
        {
            _folder.Write(Path.Combine("Maildir", "new", $"17335800{i:D2}.M{i}P1.host"), InboundFixtures.UserUnknownDsnWithToken($"unknown-token-{i:D2}"));
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RunAsync_ShouldReadEveryMessageOnceAcrossBothInstances_WhenTwoInstancesPollTheMailboxAtOnce()
    {
        var first = CreateJob(_file, Mailbox);
        var second = CreateJob(_file, Mailbox);

        var results = await Task.WhenAll(
            Task.Run(() => first.RunAsync(Name, CancellationToken.None)),
            Task.Run(() => second.RunAsync(Name, CancellationToken.None)));

        // One poll reads everything; the other skips the mailbox (or, started after the first ended, finds nothing).
        Assert.Equal(Messages, results.Sum(r => r.Read));
        Assert.Equal(0, results.Sum(r => r.Duplicates));
        Assert.Contains(MailboxPollResult.Empty, results);
        await using var db = await _file.CreateDbContextAsync();
        Assert.Equal(Messages, await db.InboundMessages.CountAsync());
        Assert.Equal(Messages, await db.BounceEvents.CountAsync());
        Assert.Equal(Messages, Directory.GetFiles(Path.Combine(_folder.Path, "Maildir", ".Processed", "new")).Length);
    }

    private sealed class FileFactory(DbContextOptions<SqliteBounceDbContext> options) : IDbContextFactory<BounceDbContext>
    {
        public BounceDbContext CreateDbContext() => new SqliteBounceDbContext(options);
    }
}
