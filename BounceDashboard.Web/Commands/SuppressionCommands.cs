using System.Security.Claims;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>How a suppression command ended.</summary>
public enum CommandStatus
{
    Done = 0,
    /// <summary>The user is not signed in or lacks the Admin role.</summary>
    Forbidden = 1,
    /// <summary>Nothing is suppressed or in a failed status for that address.</summary>
    NotFound = 2,
    /// <summary>The request broke a rule (no reason, complaint not confirmed, invalid address); the message says which.</summary>
    Invalid = 3,
}

/// <summary>The outcome of a suppression command, with a message the page can show.</summary>
public sealed record CommandResult(CommandStatus Status, string Message)
{
    public bool Succeeded => Status == CommandStatus.Done;
}

public interface ISuppressionCommands
{
    /// <summary>
    /// Lifts the address's suppression and sets its contact back to Active (Admin only, server-side). A reason is
    /// required; a complaint needs <paramref name="complaintConfirmed"/>; the audit log records who, when and why.
    /// </summary>
    Task<CommandResult> ReactivateAsync(
        ClaimsPrincipal user,
        string email,
        string reason,
        bool complaintConfirmed,
        CancellationToken cancellationToken = default);

    /// <summary>Puts an address on the suppression list by hand (Admin only, server-side), with a required note, audited.</summary>
    Task<CommandResult> SuppressAsync(ClaimsPrincipal user, string email, string note, CancellationToken cancellationToken = default);
}

/// <summary>Admin actions on the suppression list. The role is checked here, on the server, whatever the page showed.</summary>
public sealed class SuppressionCommands(
    IDbContextFactory<BounceDbContext> dbFactory,
    Reactivation reactivation,
    ManualSuppression manualSuppression) : ISuppressionCommands
{
    public async Task<CommandResult> ReactivateAsync(
        ClaimsPrincipal user,
        string email,
        string reason,
        bool complaintConfirmed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (ActorFrom(user) is not { IsAdmin: true } actor)
        {
            return new CommandResult(CommandStatus.Forbidden, "Only an Admin can reactivate an address.");
        }

        if (!EmailAddress.TryNormalize(email, out var address))
        {
            return new CommandResult(CommandStatus.Invalid, $"'{email}' is not a valid e-mail address.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var suppression = await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, cancellationToken);
        var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Email == address, cancellationToken);
        if (suppression is null && contact is null)
        {
            return new CommandResult(CommandStatus.NotFound, $"{address} is neither suppressed nor a known contact.");
        }

        ReactivationResult result;
        try
        {
            result = reactivation.Reactivate(contact, suppression, actor, reason, complaintConfirmed);
        }
        catch (ForbiddenActionException ex)
        {
            return new CommandResult(CommandStatus.Forbidden, ex.Message);
        }
        catch (DomainException ex)
        {
            return new CommandResult(CommandStatus.Invalid, ex.Message);
        }

        db.AuditLogEntries.Add(result.Audit);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var lifted = result.LiftedReason is { } liftedReason ? $" ({liftedReason} suppression lifted)" : string.Empty;
        return new CommandResult(CommandStatus.Done, $"{address} is active again{lifted}.");
    }

    public async Task<CommandResult> SuppressAsync(ClaimsPrincipal user, string email, string note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (ActorFrom(user) is not { IsAdmin: true } actor)
        {
            return new CommandResult(CommandStatus.Forbidden, "Only an Admin can suppress an address.");
        }

        if (!EmailAddress.TryNormalize(email, out var address))
        {
            return new CommandResult(CommandStatus.Invalid, $"'{email}' is not a valid e-mail address.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, cancellationToken);
        SuppressionEntry entry;
        try
        {
            (entry, var audit) = manualSuppression.Suppress(address, actor, note, existing);
            db.AuditLogEntries.Add(audit);
        }
        catch (DomainException ex)
        {
            return new CommandResult(CommandStatus.Invalid, ex.Message);
        }

        db.SuppressionEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CommandResult(CommandStatus.Done, $"{address} is suppressed.");
    }

    /// <summary>The signed-in user as the domain sees them; null when not authenticated.</summary>
    internal static Actor? ActorFrom(ClaimsPrincipal user)
    {
        var name = user.Identity is { IsAuthenticated: true } identity ? identity.Name : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var roles = user.Identities
            .SelectMany(i => i.FindAll(i.RoleClaimType))
            .Select(c => c.Value)
            .Where(r => r is Roles.Admin or Roles.Marketer)
            .ToHashSet(StringComparer.Ordinal);
        return new Actor(name, roles);
    }
}
