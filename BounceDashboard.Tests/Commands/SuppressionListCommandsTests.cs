using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Imports;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

/// <summary>The suppression list page's bulk commands: reactivating a filtered selection and importing a CSV file.</summary>
public sealed class SuppressionListCommandsTests : CommandScenario
{
    private static System.Security.Claims.ClaimsPrincipal Marketer => User("marketer@example.org", Roles.Marketer);

    private async Task SeedEntriesAsync()
    {
        // jane: a hard bounce through the rules (contact in Error, entry HardBounce); the others without contacts.
        var jane = await SeedContactAsync();
        var delivery = await SendAsync(jane);
        await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.UserUnknown));
        await Database.SeedAsync(
            SuppressionEntry.Create("joe@example.com", SuppressionReason.Unsubscribe, SuppressionSource.Rules, Time.GetUtcNow(), SuppressionEntry.SystemActor),
            SuppressionEntry.Create("kim@example.com", SuppressionReason.Complaint, SuppressionSource.Rules, Time.GetUtcNow(), SuppressionEntry.SystemActor),
            SuppressionEntry.Create("zoe@other.org", SuppressionReason.HardBounce, SuppressionSource.Rules, Time.GetUtcNow(), SuppressionEntry.SystemActor));
    }

    private async Task<(int Active, int Audits)> CountsAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.SuppressionEntries.CountAsync(s => s.LiftedAt == null), await db.AuditLogEntries.CountAsync());
    }

    private static ContactCsvFile File(string text) => ContactCsvImport.Read(text).File!;

    [Fact]
    public async Task ReactivateManyAsync_ShouldLiftEveryFilteredEntryResetItsContactAndAuditEach_WhenAnAdminGivesAReason()
    {
        await SeedEntriesAsync();

        var result = await Suppression.ReactivateManyAsync(
            Admin, new SuppressionFilter("@example.com", Reason: SuppressionReason.HardBounce), "Mail server fixed", complaintsConfirmed: false);

        Assert.Equal((CommandStatus.Done, 1), (result.Status, result.Count));
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
        var lifted = await db.SuppressionEntries.Where(s => s.LiftedAt != null).Select(s => s.Email).ToListAsync();
        Assert.Equal(["jane@example.com"], lifted);
        var audit = await db.AuditLogEntries.SingleAsync();
        Assert.Equal(
            (AuditAction.ReactivateAddress, "jane@example.com", "admin@example.org", "Mail server fixed"),
            (audit.Action, audit.Target, audit.Actor, audit.Reason));
    }

    [Fact]
    public async Task ReactivateManyAsync_ShouldAuditEveryAddress_WhenTheSelectionHoldsSeveral()
    {
        await SeedEntriesAsync();

        var result = await Suppression.ReactivateManyAsync(Admin, new SuppressionFilter("@example.com"), "Re-permission campaign", complaintsConfirmed: true);

        Assert.Equal((CommandStatus.Done, 3), (result.Status, result.Count));
        await using var db = Database.CreateContext();
        var targets = await db.AuditLogEntries.Where(a => a.Action == AuditAction.ReactivateAddress).Select(a => a.Target).OrderBy(t => t).ToListAsync();
        Assert.Equal(["jane@example.com", "joe@example.com", "kim@example.com"], targets);
        Assert.Equal((1, 3), await CountsAsync());
    }

    [Fact]
    public async Task ReactivateManyAsync_ShouldRefuseAndChangeNothing_WhenTheUserIsAMarketer()
    {
        await SeedEntriesAsync();

        var result = await Suppression.ReactivateManyAsync(Marketer, SuppressionFilter.None, "Please", complaintsConfirmed: true);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        Assert.Equal((4, 0), await CountsAsync());
    }

    [Fact]
    public async Task ReactivateManyAsync_ShouldChangeNothing_WhenAComplaintIsNotConfirmedOrNoReasonIsGiven()
    {
        await SeedEntriesAsync();

        var unconfirmed = await Suppression.ReactivateManyAsync(Admin, new SuppressionFilter("@example.com"), "Re-permission", complaintsConfirmed: false);
        var noReason = await Suppression.ReactivateManyAsync(Admin, SuppressionFilter.None, "  ", complaintsConfirmed: true);

        Assert.Equal(CommandStatus.Invalid, unconfirmed.Status);
        Assert.Contains("complaints", unconfirmed.Message, StringComparison.Ordinal);
        Assert.Equal(CommandStatus.Invalid, noReason.Status);
        Assert.Equal((4, 0), await CountsAsync());
    }

    [Fact]
    public async Task ReactivateManyAsync_ShouldRefuseWithAClearMessage_WhenTheSelectionIsOverTheLimit()
    {
        await using (var db = Database.CreateContext())
        {
            db.SuppressionEntries.AddRange(Enumerable.Range(0, SuppressionCommands.MaxBulkReactivation + 1).Select(i =>
                SuppressionEntry.Create($"user{i}@bulk.example", SuppressionReason.HardBounce, SuppressionSource.Rules, Time.GetUtcNow(), SuppressionEntry.SystemActor)));
            await db.SaveChangesAsync();
        }

        var result = await Suppression.ReactivateManyAsync(Admin, SuppressionFilter.None, "Everything", complaintsConfirmed: true);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("10,001", result.Message, StringComparison.Ordinal);
        Assert.Contains("at most 10,000", result.Message, StringComparison.Ordinal);
        Assert.Equal((SuppressionCommands.MaxBulkReactivation + 1, 0), await CountsAsync());
    }

    [Fact]
    public async Task PreviewImportAsync_ShouldReportEachRowWithoutWriting_WhenTheFileHasBadRows()
    {
        await SeedEntriesAsync();
        var file = File("email,reason\nnew@example.com,Old ESP bounce\nnot-an-address,x\nnew@example.com,again\nZOE@other.org,\nquiet@example.com,\n");

        var preview = await Suppression.PreviewImportAsync(Admin, file, SuppressionCsvImport.ProposeMapping(file), fileReason: "Imported from the old ESP");

        Assert.NotNull(preview);
        Assert.Equal(
            [
                SuppressionImportOutcome.Suppress, SuppressionImportOutcome.InvalidAddress, SuppressionImportOutcome.DuplicateInFile,
                SuppressionImportOutcome.AlreadySuppressed, SuppressionImportOutcome.Suppress,
            ],
            preview.Rows.Select(r => r.Outcome));
        Assert.Equal(("Old ESP bounce", "Imported from the old ESP"), (preview.Rows[0].Reason, preview.Rows[4].Reason));
        Assert.Equal((2, 1, 2), (preview.ToSuppress, preview.AlreadySuppressed, preview.Errors));
        Assert.Equal((4, 0), await CountsAsync());
    }

    [Fact]
    public async Task ImportAsync_ShouldSuppressTheValidRowsAndAuditEachAddress_WhenAnAdminImports()
    {
        await SeedEntriesAsync();
        var file = File("email;reason\nnew@example.com;Old ESP bounce\nbad row;x\nquiet@example.com;\n");

        var result = await Suppression.ImportAsync(Admin, file, SuppressionCsvImport.ProposeMapping(file), "Old ESP list", "old-esp.csv");

        Assert.Equal((CommandStatus.Done, 2), (result.Status, result.Count));
        await using var db = Database.CreateContext();
        var added = await db.SuppressionEntries.Where(s => s.Reason == SuppressionReason.Imported).OrderBy(s => s.Email).ToListAsync();
        Assert.Equal(
            [("new@example.com", SuppressionSource.Import, "admin@example.org", "Old ESP bounce"), ("quiet@example.com", SuppressionSource.Import, "admin@example.org", "Old ESP list")],
            added.Select(s => (s.Email, s.Source, s.CreatedBy, s.Note)));
        var audits = await db.AuditLogEntries.OrderBy(a => a.Target).ToListAsync();
        Assert.All(audits, a => Assert.Equal(AuditAction.ImportSuppressions, a.Action));
        Assert.Equal(["new@example.com", "quiet@example.com"], audits.Select(a => a.Target));
        Assert.Equal("from old-esp.csv, line 2", audits[0].Details);
    }

    [Fact]
    public async Task ImportAsync_ShouldRefuseAndChangeNothing_WhenTheUserIsAMarketer()
    {
        await SeedEntriesAsync();
        var file = File("email\nnew@example.com\n");

        var result = await Suppression.ImportAsync(Marketer, file, SuppressionCsvImport.ProposeMapping(file), "Because", "list.csv");
        var preview = await Suppression.PreviewImportAsync(Marketer, file, SuppressionCsvImport.ProposeMapping(file), "Because");

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        Assert.Null(preview);
        Assert.Equal((4, 0), await CountsAsync());
    }

    [Theory]
    [InlineData("name\nJane\nJoe\n", "Because")]
    [InlineData("email\nnew@example.com\n", "")]
    [InlineData("email\nnot an address\n@example.com\n", "Because")]
    public async Task ImportAsync_ShouldChangeNothing_WhenTheFileCannotBeImported(string text, string fileReason)
    {
        await SeedEntriesAsync();
        var file = File(text);

        var result = await Suppression.ImportAsync(Admin, file, SuppressionCsvImport.ProposeMapping(file), fileReason, "bad.csv");

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("Nothing was imported", result.Message, StringComparison.Ordinal);
        Assert.Equal((4, 0), await CountsAsync());
    }
}
