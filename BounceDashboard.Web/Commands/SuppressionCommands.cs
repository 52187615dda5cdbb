using System.Globalization;
using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Imports;
using BounceDashboard.Web.Queries;
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

/// <summary>The outcome of a command over many addresses (bulk reactivation, import): how many it changed.</summary>
public sealed record BulkCommandResult(CommandStatus Status, string Message, int Count = 0)
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

    /// <summary>
    /// Reactivates every address in force that <paramref name="filter"/> selects (Admin only, server-side), each as
    /// <see cref="ReactivateAsync"/> would and audited per address, all in one transaction. Refused above
    /// <see cref="SuppressionCommands.MaxBulkReactivation"/> addresses; complaints in the selection need
    /// <paramref name="complaintsConfirmed"/>.
    /// </summary>
    Task<BulkCommandResult> ReactivateManyAsync(
        ClaimsPrincipal user,
        SuppressionFilter filter,
        string reason,
        bool complaintsConfirmed,
        CancellationToken cancellationToken = default);

    /// <summary>Checks every row of the file against the list and says what the import would do; writes nothing (Admin only).</summary>
    Task<SuppressionImportPreview?> PreviewImportAsync(
        ClaimsPrincipal user,
        ContactCsvFile file,
        SuppressionColumnMapping mapping,
        string? fileReason,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Suppresses the file's valid addresses not already suppressed (Admin only, server-side), reason Imported, one audit
    /// entry per address, in one transaction: an unusable file or mapping writes nothing.
    /// </summary>
    Task<BulkCommandResult> ImportAsync(
        ClaimsPrincipal user,
        ContactCsvFile file,
        SuppressionColumnMapping mapping,
        string? fileReason,
        string? fileName,
        CancellationToken cancellationToken = default);
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
    /// <summary>The most addresses one bulk reactivation lifts; a larger selection is refused (narrow the filter).</summary>
    public const int MaxBulkReactivation = 10_000;

    /// <summary>Addresses per SaveChanges (and per IN list) in bulk commands.</summary>
    public const int BatchSize = 500;

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

    public async Task<BulkCommandResult> ReactivateManyAsync(
        ClaimsPrincipal user,
        SuppressionFilter filter,
        string reason,
        bool complaintsConfirmed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(filter);
        if (ActorFrom(user) is not { IsAdmin: true } actor)
        {
            logger.LogWarning("Bulk reactivate refused: user {UserId} is not an Admin", UserIdOf(user));
            return new BulkCommandResult(CommandStatus.Forbidden, "Only an Admin can reactivate addresses.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new BulkCommandResult(CommandStatus.Invalid, "A reason is required to reactivate addresses.");
        }

        var active = filter with { IncludeLifted = false };
        return await runner.RunAsync(
            nameof(ReactivateManyAsync),
            async (db, _, ct) =>
            {
                var selected = SuppressionQueries.Filtered(db.SuppressionEntries, active);
                var count = await selected.CountAsync(ct);
                if (count == 0)
                {
                    return (new BulkCommandResult(CommandStatus.NotFound, "No suppressed address matches this filter: nothing was reactivated."), false);
                }

                if (count > MaxBulkReactivation)
                {
                    return (new BulkCommandResult(
                        CommandStatus.Invalid,
                        string.Create(CultureInfo.InvariantCulture, $"The filter selects {count:N0} addresses; a bulk reactivation lifts at most {MaxBulkReactivation:N0}. Narrow the filter (search, reason, source or dates) and try again. Nothing was reactivated.")), false);
                }

                if (!complaintsConfirmed && await selected.AnyAsync(s => s.Reason == SuppressionReason.Complaint, ct))
                {
                    return (new BulkCommandResult(
                        CommandStatus.Invalid,
                        "The selection holds complaints: lifting them needs an explicit confirmation. Nothing was reactivated."), false);
                }

                var ids = await selected.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
                var done = 0;
                foreach (var batch in ids.Chunk(BatchSize))
                {
                    var entries = await db.SuppressionEntries.Where(s => batch.Contains(s.Id)).ToListAsync(ct);
                    var emails = entries.Select(s => s.Email).ToList();
                    var contacts = await db.Contacts.Where(c => emails.Contains(c.Email)).ToDictionaryAsync(c => c.Email, StringComparer.Ordinal, ct);
                    foreach (var entry in entries)
                    {
                        try
                        {
                            var result = reactivation.Reactivate(contacts.GetValueOrDefault(entry.Email), entry, actor, reason, complaintsConfirmed);
                            db.AuditLogEntries.Add(result.Audit);
                        }
                        catch (DomainException ex)
                        {
                            return (new BulkCommandResult(CommandStatus.Invalid, ex.Message + " Nothing was reactivated."), false);
                        }
                    }

                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    done += entries.Count;
                }

                logger.LogInformation("Bulk reactivate by user {UserId}: {Count} suppression entries lifted", UserIdOf(user), done);
                return (new BulkCommandResult(
                    CommandStatus.Done,
                    string.Create(CultureInfo.InvariantCulture, $"{done:N0} addresses are active again."),
                    done), true);
            },
            cancellationToken);
    }

    public async Task<SuppressionImportPreview?> PreviewImportAsync(
        ClaimsPrincipal user,
        ContactCsvFile file,
        SuppressionColumnMapping mapping,
        string? fileReason,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        if (ActorFrom(user) is not { IsAdmin: true })
        {
            logger.LogWarning("Suppression import preview refused: user {UserId} is not an Admin", UserIdOf(user));
            return null;
        }

        if (SuppressionCsvImport.CheckMapping(file, mapping, fileReason) is not null)
        {
            return new SuppressionImportPreview([]);
        }

        return await runner.RunAsync(
            nameof(PreviewImportAsync),
            async (db, _, ct) => (await PlanImportAsync(db, file, mapping, fileReason, ct), false),
            cancellationToken);
    }

    public async Task<BulkCommandResult> ImportAsync(
        ClaimsPrincipal user,
        ContactCsvFile file,
        SuppressionColumnMapping mapping,
        string? fileReason,
        string? fileName,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        if (ActorFrom(user) is not { IsAdmin: true } actor)
        {
            logger.LogWarning("Suppression import refused: user {UserId} is not an Admin", UserIdOf(user));
            return new BulkCommandResult(CommandStatus.Forbidden, "Only an Admin can import suppressions.");
        }

        if (SuppressionCsvImport.CheckMapping(file, mapping, fileReason) is { } mappingError)
        {
            return new BulkCommandResult(CommandStatus.Invalid, mappingError + " Nothing was imported.");
        }

        var source = string.IsNullOrWhiteSpace(fileName) ? "a CSV file" : fileName.Trim();
        return await runner.RunAsync(
            nameof(ImportAsync),
            async (db, _, ct) =>
            {
                // The database is read again inside the transaction: what is written matches it, whatever the preview said.
                var plan = await PlanImportAsync(db, file, mapping, fileReason, ct);
                var rows = plan.Rows.Where(r => r.IsSuppressed).ToList();
                if (rows.Count == 0)
                {
                    return (new BulkCommandResult(CommandStatus.Invalid, "No row of the file can be imported (see the preview). Nothing was imported."), false);
                }

                foreach (var batch in rows.Chunk(BatchSize))
                {
                    foreach (var row in batch)
                    {
                        var (entry, audit) = manualSuppression.Import(
                            row.Email!, actor, row.Reason!, existing: null, string.Create(CultureInfo.InvariantCulture, $"from {source}, line {row.Line}"));
                        db.SuppressionEntries.Add(entry);
                        db.AuditLogEntries.Add(audit);
                    }

                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                }

                logger.LogInformation(
                    "Suppression import by user {UserId}: {Rows} rows, {Imported} suppressed, {Already} already suppressed, {Skipped} skipped",
                    UserIdOf(user),
                    file.Rows.Count,
                    rows.Count,
                    plan.AlreadySuppressed,
                    plan.Errors);
                return (new BulkCommandResult(
                    CommandStatus.Done,
                    string.Create(CultureInfo.InvariantCulture, $"{rows.Count:N0} addresses suppressed ({plan.AlreadySuppressed:N0} already were, {plan.Errors:N0} rows skipped)."),
                    rows.Count), true);
            },
            cancellationToken);
    }

    /// <summary>Each row checked on its own, then against the entries in force.</summary>
    private static async Task<SuppressionImportPreview> PlanImportAsync(
        BounceDbContext db, ContactCsvFile file, SuppressionColumnMapping mapping, string? fileReason, CancellationToken ct)
    {
        var rows = SuppressionCsvImport.Check(file, mapping, fileReason);
        var addresses = rows.Where(r => r.IsSuppressed).Select(r => r.Email!).ToList();
        var suppressed = new Dictionary<string, SuppressionReason>(StringComparer.Ordinal);
        foreach (var batch in addresses.Chunk(BatchSize))
        {
            var found = await db.SuppressionEntries.AsNoTracking()
                .Where(s => s.LiftedAt == null && batch.Contains(s.Email))
                .Select(s => new { s.Email, s.Reason })
                .ToListAsync(ct);
            foreach (var entry in found)
            {
                suppressed[entry.Email] = entry.Reason;
            }
        }

        return new SuppressionImportPreview(rows
            .Select(r => r.IsSuppressed && suppressed.TryGetValue(r.Email!, out var reason)
                ? r with { Outcome = SuppressionImportOutcome.AlreadySuppressed, Note = $"Already suppressed ({reason}): nothing to do." }
                : r)
            .ToList());
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
