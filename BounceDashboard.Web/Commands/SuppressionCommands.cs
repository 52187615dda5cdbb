using System.Security.Claims;
using BounceDashboard.Domain.Audit;
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

/// <summary>
/// Admin actions on the suppression list. The role is checked here, on the server, whatever the page showed. Each
/// action runs through <see cref="DbCommandRunner"/> (execution strategy, retry on a concurrency conflict) and is
/// logged with ids only (the acting user's id, the contact's and the entry's), never the addresses.
/// </summary>
public sealed class SuppressionCommands(
    DbCommandRunner runner,
    Reactivation reactivation,
    ManualSuppression manualSuppression,
    ILogger<SuppressionCommands> logger) : ISuppressionCommands
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
            logger.LogWarning("Reactivate refused: user {UserId} is not an Admin", UserIdOf(user));
            return new CommandResult(CommandStatus.Forbidden, "Only an Admin can reactivate an address.");
        }

        if (!EmailAddress.TryNormalize(email, out var address))
        {
            return new CommandResult(CommandStatus.Invalid, $"'{email}' is not a valid e-mail address.");
        }

        return await runner.RunAsync(
            nameof(ReactivateAsync),
            async (db, _, ct) =>
            {
                var suppression = await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, ct);
                var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Email == address, ct);
                if (suppression is null && contact is null)
                {
                    return (new CommandResult(CommandStatus.NotFound, $"{address} is neither suppressed nor a known contact."), false);
                }

                ReactivationResult result;
                try
                {
                    result = reactivation.Reactivate(contact, suppression, actor, reason, complaintConfirmed);
                }
                catch (ForbiddenActionException ex)
                {
                    return (new CommandResult(CommandStatus.Forbidden, ex.Message), false);
                }
                catch (DomainException ex)
                {
                    return (new CommandResult(CommandStatus.Invalid, ex.Message), false);
                }

                db.AuditLogEntries.Add(result.Audit);
                await db.SaveChangesAsync(ct);
                logger.LogInformation(
                    "Reactivate by user {UserId}: contact {ContactId} {StatusBefore} -> {StatusAfter}, suppression entry {SuppressionId} ({Reason}) lifted, audit {AuditId}",
                    UserIdOf(user),
                    contact?.Id,
                    result.ContactStatusBefore,
                    contact?.Status,
                    suppression?.Id,
                    result.LiftedReason,
                    result.Audit.Id);
                var lifted = result.LiftedReason is { } liftedReason ? $" ({liftedReason} suppression lifted)" : string.Empty;
                return (new CommandResult(CommandStatus.Done, $"{address} is active again{lifted}."), true);
            },
            cancellationToken);
    }

    public async Task<CommandResult> SuppressAsync(ClaimsPrincipal user, string email, string note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (ActorFrom(user) is not { IsAdmin: true } actor)
        {
            logger.LogWarning("Suppress refused: user {UserId} is not an Admin", UserIdOf(user));
            return new CommandResult(CommandStatus.Forbidden, "Only an Admin can suppress an address.");
        }

        if (!EmailAddress.TryNormalize(email, out var address))
        {
            return new CommandResult(CommandStatus.Invalid, $"'{email}' is not a valid e-mail address.");
        }

        return await runner.RunAsync(
            nameof(SuppressAsync),
            async (db, _, ct) =>
            {
                var existing = await db.SuppressionEntries.SingleOrDefaultAsync(s => s.Email == address && s.LiftedAt == null, ct);
                SuppressionEntry entry;
                AuditLogEntry audit;
                try
                {
                    (entry, audit) = manualSuppression.Suppress(address, actor, note, existing);
                }
                catch (DomainException ex)
                {
                    return (new CommandResult(CommandStatus.Invalid, ex.Message), false);
                }

                db.AuditLogEntries.Add(audit);
                db.SuppressionEntries.Add(entry);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Suppress by user {UserId}: suppression entry {SuppressionId} added, audit {AuditId}", UserIdOf(user), entry.Id, audit.Id);
                return (new CommandResult(CommandStatus.Done, $"{address} is suppressed."), true);
            },
            cancellationToken);
    }

    /// <summary>The user's id for logs (never the name, which is an address).</summary>
    private static string UserIdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "(no id)";

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
