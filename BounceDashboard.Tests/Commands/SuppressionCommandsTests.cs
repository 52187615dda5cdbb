using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using BounceDashboard.Web.Commands;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BounceDashboard.Tests.Commands;

public class SuppressionCommandsTests : CommandScenario
{
    [Fact]
    public async Task ReactivateAsync_ShouldLiftResetAndAudit_WhenAnAdminGivesAReason()
    {
        await SeedBadAddressAsync();
        Time.Advance(TimeSpan.FromDays(1));

        var result = await Suppression.ReactivateAsync(Admin, " Jane@Example.com ", "Mailbox recreated", complaintConfirmed: false);

        Assert.Equal(CommandStatus.Done, result.Status);
        await using var db = Database.CreateContext();
        var contact = await db.Contacts.SingleAsync();
        Assert.Equal((ContactStatus.Active, 0), (contact.Status, contact.ConsecutiveBounces));
        var entry = await db.SuppressionEntries.SingleAsync();
        Assert.Equal(("admin@example.org", "Mailbox recreated"), (entry.LiftedBy, entry.LiftReason));
        var audit = await db.AuditLogEntries.SingleAsync();
        Assert.Equal(
            ("admin@example.org", AuditAction.ReactivateAddress, "jane@example.com", "Mailbox recreated", Time.GetUtcNow()),
            (audit.Actor, audit.Action, audit.Target, audit.Reason, audit.At));
    }

    [Theory]
    [InlineData("marketer")]
    [InlineData("no roles")]
    [InlineData("anonymous")]
    public async Task ReactivateAsync_ShouldRefuseAndChangeNothing_WhenTheUserIsNotAnAdmin(string who)
    {
        await SeedBadAddressAsync();
        var user = who switch
        {
            "marketer" => User("marketer@example.org", Roles.Marketer),
            "no roles" => User("someone@example.org"),
            _ => new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity()),
        };

        var result = await Suppression.ReactivateAsync(user, "jane@example.com", "Please", complaintConfirmed: true);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        await AssertUnchangedAsync(ContactStatus.Error);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("   ", false)]
    public async Task ReactivateAsync_ShouldBeInvalidAndChangeNothing_WhenNoReasonIsGiven(string reason, bool confirmed)
    {
        await SeedBadAddressAsync();

        var result = await Suppression.ReactivateAsync(Admin, "jane@example.com", reason, confirmed);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        await AssertUnchangedAsync(ContactStatus.Error);
    }

    [Fact]
    public async Task ReactivateAsync_ShouldRequireConfirmation_WhenTheSuppressionIsAComplaint()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        await Bounces.RecordAsync(Event(delivery.Id, false, BounceReason.Feedback, MessageKind.FeedbackReport, feedbackType: FeedbackTypes.Abuse));

        var unconfirmed = await Suppression.ReactivateAsync(Admin, "jane@example.com", "Customer called", complaintConfirmed: false);
        await AssertUnchangedAsync(ContactStatus.OptedOut);
        var confirmed = await Suppression.ReactivateAsync(Admin, "jane@example.com", "Customer called", complaintConfirmed: true);

        Assert.Equal(CommandStatus.Invalid, unconfirmed.Status);
        Assert.Contains("confirmation", unconfirmed.Message, StringComparison.Ordinal);
        Assert.Equal(CommandStatus.Done, confirmed.Status);
        Assert.Contains(nameof(SuppressionReason.Complaint), confirmed.Message, StringComparison.Ordinal);
        await using var db = Database.CreateContext();
        Assert.Equal(ContactStatus.Active, (await db.Contacts.SingleAsync()).Status);
    }

    [Theory]
    [InlineData("nobody@example.com", CommandStatus.NotFound)]
    [InlineData("not an address", CommandStatus.Invalid)]
    public async Task ReactivateAsync_ShouldReportWhy_WhenTheAddressCannotBeReactivated(string email, CommandStatus expected)
    {
        await SeedBadAddressAsync();

        var result = await Suppression.ReactivateAsync(Admin, email, "Because", complaintConfirmed: false);

        Assert.Equal(expected, result.Status);
        await AssertUnchangedAsync(ContactStatus.Error);
    }

    [Fact]
    public async Task SuppressAsync_ShouldStopSendingUntilReactivated_WhenAnAdminSuppressesAnActiveContact()
    {
        await SeedContactAsync();

        var suppressed = await Suppression.SuppressAsync(Admin, "jane@example.com", "Asked us by phone");
        var twice = await Suppression.SuppressAsync(Admin, "jane@example.com", "Again");
        await using (var db = Database.CreateContext())
        {
            var contact = await db.Contacts.SingleAsync();
            var entry = await db.SuppressionEntries.SingleAsync();
            Assert.Equal(ContactStatus.Active, contact.Status);
            Assert.False(BounceDashboard.Domain.Rules.Sendability.IsSendable(contact, entry));
        }

        var reactivated = await Suppression.ReactivateAsync(Admin, "jane@example.com", "Changed their mind", complaintConfirmed: false);

        Assert.Equal((CommandStatus.Done, CommandStatus.Invalid, CommandStatus.Done), (suppressed.Status, twice.Status, reactivated.Status));
        await using var check = Database.CreateContext();
        Assert.Equal(
            [AuditAction.SuppressAddress, AuditAction.ReactivateAddress],
            await check.AuditLogEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.False((await check.SuppressionEntries.SingleAsync()).IsActive);
    }

    [Fact]
    public async Task SuppressAsync_ShouldRefuse_WhenTheUserIsNotAnAdmin()
    {
        var result = await Suppression.SuppressAsync(User("marketer@example.org", Roles.Marketer), "jane@example.com", "note");

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        await using var db = Database.CreateContext();
        Assert.Equal(0, await db.SuppressionEntries.CountAsync());
        Assert.Equal(0, await db.AuditLogEntries.CountAsync());
    }

    private async Task SeedBadAddressAsync()
    {
        var contact = await SeedContactAsync();
        var delivery = await SendAsync(contact);
        await Bounces.RecordAsync(Event(delivery.Id, permanent: true, BounceReason.UserUnknown));
    }

    private async Task AssertUnchangedAsync(ContactStatus expectedStatus)
    {
        await using var db = Database.CreateContext();
        Assert.Equal(expectedStatus, (await db.Contacts.SingleAsync()).Status);
        Assert.True((await db.SuppressionEntries.SingleAsync()).IsActive);
        Assert.Equal(0, await db.AuditLogEntries.CountAsync());
    }
}
