using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>Audience commands over a real SQLite database with the app's migrations.</summary>
public sealed class AudienceCommandsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    private CapturingLoggerProvider Logs { get; } = new();

    private SqliteDatabase _database = default!;
    private AudienceCommands _commands = default!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        var runner = new DbCommandRunner(_database.Factory, Logs.CreateLogger<DbCommandRunner>());
        _commands = new AudienceCommands(runner, _time, Logs.CreateLogger<AudienceCommands>());
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))],
            authenticationType: "Test"));

    private static ClaimsPrincipal Marketer => User("marketer@example.org", Roles.Marketer);

    private static ContactCsvFile Csv(string text)
    {
        var result = ContactCsvImport.Read(text);
        Assert.True(result.Succeeded, result.Error);
        return result.File!;
    }

    private static ContactColumnMapping EmailAndName => new(0, 1);

    private async Task<long> CreateAudienceAsync(string name = "Spring list")
    {
        var result = await _commands.CreateAsync(Marketer, name, "People who asked for the spring news");
        Assert.True(result.Succeeded, result.Message);
        return result.AudienceId!.Value;
    }

    private async Task<(int Contacts, int Members, int Audit, int Suppressions)> RowCountsAsync()
    {
        await using var db = _database.CreateContext();
        return (await db.Contacts.CountAsync(), await db.AudienceMembers.CountAsync(), await db.AuditLogEntries.CountAsync(), await db.SuppressionEntries.CountAsync());
    }

    /// <summary>Existing contacts: a member, an Opted out one, one in Error, a suppressed Active one.</summary>
    private async Task SeedExistingAsync(long audienceId)
    {
        var member = Contact.Create("member@example.com", Now.AddDays(-9));
        var optedOut = Contact.Create("optedout@example.com", Now.AddDays(-9), "Olga");
        optedOut.OptOut(Now.AddDays(-2));
        var error = Contact.Create("error@example.com", Now.AddDays(-9));
        error.MarkError(ContactErrorCause.BadAddress, Now.AddDays(-1));
        var suppressed = Contact.Create("suppressed@example.com", Now.AddDays(-9));
        await _database.SeedAsync(member, optedOut, error, suppressed);
        await _database.SeedAsync(
            AudienceMember.Create(audienceId, member.Id, Now.AddDays(-8)),
            SuppressionEntry.Create("suppressed@example.com", SuppressionReason.Complaint, SuppressionSource.Rules, Now.AddDays(-3), SuppressionEntry.SystemActor));
    }

    private const string MixedFile =
        "email,name\n" +
        "new@example.com,New Person\n" +
        "member@example.com,Already In\n" +
        "optedout@example.com,Renamed Olga\n" +
        "error@example.com,\n" +
        "suppressed@example.com,\n" +
        "not-an-address,Nobody\n" +
        "NEW@example.com,Twice\n";

    [Fact]
    public async Task CreateAsync_ShouldRefuseTheName_WhenAnotherAudienceHasItIgnoringCase()
    {
        await CreateAudienceAsync("Spring list");

        var result = await _commands.CreateAsync(Marketer, "  spring LIST ", null);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("already exists", result.Message, StringComparison.Ordinal);
        await using var db = _database.CreateContext();
        Assert.Equal(1, await db.Audiences.CountAsync());
    }

    [Fact]
    public async Task CreateAsync_ShouldRequireAName_WhenTheNameIsBlank()
    {
        var result = await _commands.CreateAsync(Marketer, "   ", null);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("required", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ShouldBeForbidden_WhenTheUserHasNeitherRole()
    {
        var result = await _commands.CreateAsync(User("someone@example.org"), "Spring list", null);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Audiences.CountAsync());
    }

    [Fact]
    public async Task RenameAsync_ShouldRenameTheAudience_WhenTheNameIsFreeOrOnlyItsOwnCaseChanges()
    {
        var id = await CreateAudienceAsync("Spring list");
        await CreateAudienceAsync("Autumn list");

        var taken = await _commands.RenameAsync(Marketer, id, "AUTUMN list");
        var recased = await _commands.RenameAsync(Marketer, id, "SPRING list");

        Assert.Equal(CommandStatus.Invalid, taken.Status);
        Assert.True(recased.Succeeded, recased.Message);
        await using var db = _database.CreateContext();
        Assert.Equal("SPRING list", (await db.Audiences.SingleAsync(a => a.Id == id)).Name);
    }

    [Fact]
    public async Task RenameAsync_ShouldSayNotFound_WhenTheAudienceDoesNotExist()
    {
        var result = await _commands.RenameAsync(Marketer, 4242, "Anything");

        Assert.Equal(CommandStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task PreviewImportAsync_ShouldFlagEachRowWithoutWriting_WhenTheFileMixesNewExistingAndBadRows()
    {
        var id = await CreateAudienceAsync();
        await SeedExistingAsync(id);
        var before = await RowCountsAsync();

        var preview = await _commands.PreviewImportAsync(id, Csv(MixedFile), EmailAndName);

        Assert.NotNull(preview);
        Assert.Equal(
            [
                ImportRowOutcome.Import, ImportRowOutcome.AlreadyMember, ImportRowOutcome.ImportNotSendable, ImportRowOutcome.ImportNotSendable,
                ImportRowOutcome.ImportNotSendable, ImportRowOutcome.InvalidAddress, ImportRowOutcome.DuplicateInFile,
            ],
            preview.Rows.Select(r => r.Outcome));
        Assert.Equal((4, 1, 3, 1, 2), (preview.ToImport, preview.NewContacts, preview.NotSendable, preview.AlreadyMembers, preview.Skipped));
        Assert.Contains("Opted out", preview.Rows[2].Note, StringComparison.Ordinal);
        Assert.Contains("Error", preview.Rows[3].Note, StringComparison.Ordinal);
        Assert.Contains("suppressed (Complaint)", preview.Rows[4].Note, StringComparison.Ordinal);
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task ImportAsync_ShouldAddValidRowsAsMembersAndKeepStatuses_WhenTheFileMixesNewExistingAndBadRows()
    {
        var id = await CreateAudienceAsync();
        await SeedExistingAsync(id);

        var result = await _commands.ImportAsync(Marketer, id, Csv(MixedFile), EmailAndName);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal((4, 1, 3), (result.Imported, result.NewContacts, result.NotSendable));
        await using var db = _database.CreateContext();
        var members = await (
                from m in db.AudienceMembers
                where m.AudienceId == id
                join c in db.Contacts on m.ContactId equals c.Id
                orderby c.Email
                select new { c.Email, c.DisplayName, c.Status })
            .ToListAsync();
        Assert.Equal(
            ["error@example.com", "member@example.com", "new@example.com", "optedout@example.com", "suppressed@example.com"],
            members.Select(m => m.Email));
        // An import never changes an existing contact: status and name stay.
        var optedOut = members.Single(m => m.Email == "optedout@example.com");
        Assert.Equal((ContactStatus.OptedOut, "Olga"), (optedOut.Status, optedOut.DisplayName));
        Assert.Equal(ContactStatus.Error, members.Single(m => m.Email == "error@example.com").Status);
        var created = members.Single(m => m.Email == "new@example.com");
        Assert.Equal((ContactStatus.Active, "New Person"), (created.Status, created.DisplayName));
        var audit = await db.AuditLogEntries.SingleAsync();
        Assert.Equal((AuditAction.ImportAudienceContacts, "marketer@example.org", $"Audience {id}"), (audit.Action, audit.Actor, audit.Target));
        Assert.Contains("4 added", audit.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Logs.Logs, l => l.Message.Contains("@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportAsync_ShouldChangeNothing_WhenTheFileHasNoAddressColumn()
    {
        var id = await CreateAudienceAsync();
        await SeedExistingAsync(id);
        var before = await RowCountsAsync();
        var file = Csv("Name,Phone\nAda,555-0100\n");

        var result = await _commands.ImportAsync(Marketer, id, file, ContactCsvImport.ProposeMapping(file));

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("Nothing was imported", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task ImportAsync_ShouldChangeNothing_WhenTheUserHasNeitherRole()
    {
        var id = await CreateAudienceAsync();
        var before = await RowCountsAsync();

        var result = await _commands.ImportAsync(User("someone@example.org"), id, Csv(MixedFile), EmailAndName);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task ImportAsync_ShouldRollBackEveryBatch_WhenAWriteFailsHalfWay()
    {
        var id = await CreateAudienceAsync();
        var before = await RowCountsAsync();
        // More rows than one batch; a trigger makes the database refuse one contact of the second batch.
        var rows = Enumerable.Range(1, AudienceCommands.BatchSize + 50).Select(i => $"person{i}@example.com,Person {i}");
        var file = Csv("email,name\n" + string.Join("\n", rows));
        await using (var db = _database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_one BEFORE INSERT ON Contacts WHEN NEW.Email = 'person520@example.com' " +
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        }

        await Assert.ThrowsAsync<DbUpdateException>(() => _commands.ImportAsync(Marketer, id, file, EmailAndName));

        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task ImportAsync_ShouldWriteEveryRow_WhenTheFileIsLargerThanOneBatch()
    {
        var id = await CreateAudienceAsync();
        var count = (AudienceCommands.BatchSize * 2) + 7;
        var rows = Enumerable.Range(1, count).Select(i => $"person{i}@example.com,Person {i}");

        var result = await _commands.ImportAsync(Marketer, id, Csv("email,name\n" + string.Join("\n", rows)), EmailAndName);

        Assert.True(result.Succeeded, result.Message);
        await using var db = _database.CreateContext();
        Assert.Equal(count, await db.AudienceMembers.CountAsync(m => m.AudienceId == id));
        Assert.Equal(count, await db.Contacts.CountAsync());
    }

    [Fact]
    public async Task PreviewImportAsync_ShouldGiveNull_WhenTheAudienceDoesNotExist()
    {
        var preview = await _commands.PreviewImportAsync(4242, Csv(MixedFile), EmailAndName);

        Assert.Null(preview);
    }
}
