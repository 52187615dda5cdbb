using System.Globalization;
using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Components.Shared;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Imports;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>The outcome of an audience command; <see cref="AudienceId"/> is set when one was created or changed.</summary>
public sealed record AudienceCommandResult(CommandStatus Status, string Message, long? AudienceId = null)
{
    public bool Succeeded => Status == CommandStatus.Done;
}

/// <summary>What the import does with one row of the file.</summary>
public enum ImportRowOutcome
{
    /// <summary>Added to the audience (a new contact, or an existing one that was not a member).</summary>
    Import = 0,
    /// <summary>Added to the audience, but it will not be sent: suppressed, or in Error, Opted out or Confirmed bounce.</summary>
    ImportNotSendable = 1,
    /// <summary>Already a member: nothing to do.</summary>
    AlreadyMember = 2,
    /// <summary>Skipped: not a valid address.</summary>
    InvalidAddress = 3,
    /// <summary>Skipped: the address is on an earlier row.</summary>
    DuplicateInFile = 4,
    /// <summary>Skipped: the name is too long.</summary>
    NameTooLong = 5,
}

/// <summary>One row of the preview and of the per-row report.</summary>
public sealed record ImportPreviewRow(
    int Line,
    string RawEmail,
    string? Email,
    string? Name,
    ImportRowOutcome Outcome,
    bool NewContact,
    ContactStatus? ContactStatus,
    SuppressionReason? Suppression,
    string Note)
{
    public bool IsImported => Outcome is ImportRowOutcome.Import or ImportRowOutcome.ImportNotSendable;

    public bool IsSkipped => Outcome is ImportRowOutcome.InvalidAddress or ImportRowOutcome.DuplicateInFile or ImportRowOutcome.NameTooLong;
}

/// <summary>What an import would do, row by row, before anything is written.</summary>
public sealed record ImportPreview(long AudienceId, IReadOnlyList<ImportPreviewRow> Rows)
{
    public int ToImport => Rows.Count(r => r.IsImported);

    public int NewContacts => Rows.Count(r => r.IsImported && r.NewContact);

    public int NotSendable => Rows.Count(r => r.Outcome == ImportRowOutcome.ImportNotSendable);

    public int AlreadyMembers => Rows.Count(r => r.Outcome == ImportRowOutcome.AlreadyMember);

    public int Skipped => Rows.Count(r => r.IsSkipped);
}

/// <summary>What an import wrote.</summary>
public sealed record ImportResult(CommandStatus Status, string Message, int Imported = 0, int NewContacts = 0, int NotSendable = 0)
{
    public bool Succeeded => Status == CommandStatus.Done;
}

public interface IAudienceCommands
{
    /// <summary>Creates an audience; the name is required and unique (trimmed, ignoring case).</summary>
    Task<AudienceCommandResult> CreateAsync(ClaimsPrincipal user, string name, string? description, CancellationToken cancellationToken = default);

    /// <summary>Renames an audience; the new name is required and unique (trimmed, ignoring case).</summary>
    Task<AudienceCommandResult> RenameAsync(ClaimsPrincipal user, long audienceId, string name, CancellationToken cancellationToken = default);

    /// <summary>Checks every row of the file against the database and says what the import would do; writes nothing.</summary>
    Task<ImportPreview?> PreviewImportAsync(long audienceId, ContactCsvFile file, ContactColumnMapping mapping, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports the file's valid rows into the audience in one transaction: new addresses become Active contacts,
    /// existing contacts join as they are (their status and name never change). Audited.
    /// </summary>
    Task<ImportResult> ImportAsync(ClaimsPrincipal user, long audienceId, ContactCsvFile file, ContactColumnMapping mapping, CancellationToken cancellationToken = default);
}

/// <summary>
/// Audience commands for Marketers and Admins (checked here, server-side). The import re-reads the database inside its
/// transaction rather than trusting the preview, so what it writes matches the database at that moment; it writes in
/// batches of <see cref="BatchSize"/> rows, all in one transaction, so a failure leaves nothing behind.
/// </summary>
public sealed class AudienceCommands(DbCommandRunner runner, TimeProvider time, ILogger<AudienceCommands> logger) : IAudienceCommands
{
    /// <summary>Rows per SaveChanges (and per IN list when looking addresses up).</summary>
    public const int BatchSize = 500;

    public async Task<AudienceCommandResult> CreateAsync(ClaimsPrincipal user, string name, string? description, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, "create an audience") is { } refused)
        {
            return new AudienceCommandResult(CommandStatus.Forbidden, refused);
        }

        Audience audience;
        try
        {
            audience = Audience.Create(name, time.GetUtcNow(), description);
        }
        catch (DomainException ex)
        {
            return new AudienceCommandResult(CommandStatus.Invalid, ex.Message);
        }

        return await runner.RunAsync(
            nameof(CreateAsync),
            async (db, _, ct) =>
            {
                if (await NameTakenAsync(db, audience.Name, null, ct))
                {
                    return (NameTaken(audience.Name), false);
                }

                var created = Audience.Create(audience.Name, audience.CreatedAt, audience.Description);
                db.Audiences.Add(created);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Audience {AudienceId} created by user {UserId}", created.Id, UserIdOf(user));
                return (new AudienceCommandResult(CommandStatus.Done, $"Audience \"{created.Name}\" created.", created.Id), true);
            },
            cancellationToken);
    }

    public async Task<AudienceCommandResult> RenameAsync(ClaimsPrincipal user, long audienceId, string name, CancellationToken cancellationToken = default)
    {
        if (Refuse(user, "rename an audience") is { } refused)
        {
            return new AudienceCommandResult(CommandStatus.Forbidden, refused);
        }

        return await runner.RunAsync(
            nameof(RenameAsync),
            async (db, _, ct) =>
            {
                var audience = await db.Audiences.SingleOrDefaultAsync(a => a.Id == audienceId, ct);
                if (audience is null)
                {
                    return (new AudienceCommandResult(CommandStatus.NotFound, "That audience no longer exists."), false);
                }

                try
                {
                    audience.Rename(name);
                }
                catch (DomainException ex)
                {
                    return (new AudienceCommandResult(CommandStatus.Invalid, ex.Message), false);
                }

                if (await NameTakenAsync(db, audience.Name, audienceId, ct))
                {
                    return (NameTaken(audience.Name), false);
                }

                await db.SaveChangesAsync(ct);
                logger.LogInformation("Audience {AudienceId} renamed by user {UserId}", audienceId, UserIdOf(user));
                return (new AudienceCommandResult(CommandStatus.Done, $"Renamed to \"{audience.Name}\".", audienceId), true);
            },
            cancellationToken);
    }

    public async Task<ImportPreview?> PreviewImportAsync(
        long audienceId,
        ContactCsvFile file,
        ContactColumnMapping mapping,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        return await runner.RunAsync(
            nameof(PreviewImportAsync),
            async (db, _, ct) => (await PlanAsync(db, audienceId, file, mapping, ct), false),
            cancellationToken);
    }

    public async Task<ImportResult> ImportAsync(
        ClaimsPrincipal user,
        long audienceId,
        ContactCsvFile file,
        ContactColumnMapping mapping,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mapping);
        if (Refuse(user, "import contacts") is { } refused)
        {
            return new ImportResult(CommandStatus.Forbidden, refused);
        }

        if (ContactCsvImport.CheckMapping(file, mapping) is { } mappingError)
        {
            return new ImportResult(CommandStatus.Invalid, mappingError + " Nothing was imported.");
        }

        var actor = SuppressionCommands.ActorFrom(user)!;
        return await runner.RunAsync(
            nameof(ImportAsync),
            async (db, _, ct) =>
            {
                var plan = await PlanAsync(db, audienceId, file, mapping, ct);
                if (plan is null)
                {
                    return (new ImportResult(CommandStatus.NotFound, "That audience no longer exists. Nothing was imported."), false);
                }

                var now = time.GetUtcNow();
                var rows = plan.Rows.Where(r => r.IsImported).ToList();
                var contactIds = await ContactIdsAsync(db, rows.Where(r => !r.NewContact).Select(r => r.Email!).ToList(), ct);
                foreach (var batch in rows.Where(r => r.NewContact).Chunk(BatchSize))
                {
                    var contacts = batch.Select(r => Contact.Create(r.Email!, now, r.Name)).ToList();
                    db.Contacts.AddRange(contacts);
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                    foreach (var contact in contacts)
                    {
                        contactIds[contact.Email] = contact.Id;
                    }
                }

                foreach (var batch in rows.Chunk(BatchSize))
                {
                    db.AudienceMembers.AddRange(batch.Select(r => AudienceMember.Create(audienceId, contactIds[r.Email!], now)));
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                }

                var result = new ImportResult(
                    CommandStatus.Done,
                    ImportMessage(rows.Count, plan.NewContacts, plan.NotSendable),
                    rows.Count,
                    plan.NewContacts,
                    plan.NotSendable);
                db.AuditLogEntries.Add(AuditLogEntry.Record(
                    now,
                    actor.Name,
                    AuditAction.ImportAudienceContacts,
                    "Audience " + audienceId.ToString(CultureInfo.InvariantCulture),
                    details: string.Create(
                        CultureInfo.InvariantCulture,
                        $"{file.Rows.Count} rows: {rows.Count} added ({plan.NewContacts} new contacts, {plan.NotSendable} not sendable), {plan.AlreadyMembers} already members, {plan.Skipped} skipped")));
                await db.SaveChangesAsync(ct);
                logger.LogInformation(
                    "Import into audience {AudienceId} by user {UserId}: {Rows} rows, {Imported} added, {NewContacts} new contacts, {Skipped} skipped",
                    audienceId,
                    UserIdOf(user),
                    file.Rows.Count,
                    rows.Count,
                    plan.NewContacts,
                    plan.Skipped);
                return (result, true);
            },
            cancellationToken);
    }

    private static string ImportMessage(int imported, int newContacts, int notSendable)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"Imported {imported:N0} contacts ({newContacts:N0} new).");
        return notSendable == 0
            ? text
            : text + string.Create(CultureInfo.InvariantCulture, $" {notSendable:N0} of them will not be sent (suppressed or not Active).");
    }

    /// <summary>The preview: each row checked on its own, then against the contacts, members and suppressions in the database.</summary>
    private static async Task<ImportPreview?> PlanAsync(
        BounceDbContext db,
        long audienceId,
        ContactCsvFile file,
        ContactColumnMapping mapping,
        CancellationToken ct)
    {
        if (!await db.Audiences.AnyAsync(a => a.Id == audienceId, ct))
        {
            return null;
        }

        if (ContactCsvImport.CheckMapping(file, mapping) is not null)
        {
            return new ImportPreview(audienceId, []);
        }

        var candidates = ContactCsvImport.Check(file, mapping);
        var addresses = candidates.Where(c => c.Problem == ContactRowProblem.None).Select(c => c.Email!).ToList();
        var contacts = new Dictionary<string, (long Id, ContactStatus Status)>(StringComparer.Ordinal);
        var suppressions = new Dictionary<string, SuppressionReason>(StringComparer.Ordinal);
        var members = new HashSet<long>();
        foreach (var batch in addresses.Chunk(BatchSize))
        {
            var found = await db.Contacts.AsNoTracking()
                .Where(c => batch.Contains(c.Email))
                .Select(c => new { c.Id, c.Email, c.Status })
                .ToListAsync(ct);
            foreach (var contact in found)
            {
                contacts[contact.Email] = (contact.Id, contact.Status);
            }

            var ids = found.Select(c => c.Id).ToList();
            members.UnionWith(await db.AudienceMembers.AsNoTracking()
                .Where(m => m.AudienceId == audienceId && ids.Contains(m.ContactId))
                .Select(m => m.ContactId)
                .ToListAsync(ct));

            var suppressed = await db.SuppressionEntries.AsNoTracking()
                .Where(s => s.LiftedAt == null && batch.Contains(s.Email))
                .Select(s => new { s.Email, s.Reason })
                .ToListAsync(ct);
            foreach (var entry in suppressed)
            {
                suppressions[entry.Email] = entry.Reason;
            }
        }

        var rows = candidates.Select(c => Row(c, contacts, suppressions, members)).ToList();
        return new ImportPreview(audienceId, rows);
    }

    private static ImportPreviewRow Row(
        ContactCsvCandidate candidate,
        Dictionary<string, (long Id, ContactStatus Status)> contacts,
        Dictionary<string, SuppressionReason> suppressions,
        HashSet<long> members)
    {
        switch (candidate.Problem)
        {
            case ContactRowProblem.InvalidAddress:
                return Skip(candidate, ImportRowOutcome.InvalidAddress, string.IsNullOrWhiteSpace(candidate.RawEmail)
                    ? "No address in this row."
                    : "Not a valid e-mail address.");
            case ContactRowProblem.DuplicateInFile:
                return Skip(candidate, ImportRowOutcome.DuplicateInFile, "The same address is on an earlier row of the file.");
            case ContactRowProblem.NameTooLong:
                return Skip(candidate, ImportRowOutcome.NameTooLong, $"The name is longer than {Contact.DisplayNameMaxLength} characters.");
            case ContactRowProblem.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(candidate), candidate.Problem, "Unknown row problem.");
        }

        var email = candidate.Email!;
        var exists = contacts.TryGetValue(email, out var contact);
        SuppressionReason? suppression = suppressions.TryGetValue(email, out var reason) ? reason : null;
        ContactStatus? status = exists ? contact.Status : null;
        if (exists && members.Contains(contact.Id))
        {
            return new ImportPreviewRow(candidate.Line, candidate.RawEmail, email, candidate.Name, ImportRowOutcome.AlreadyMember, false, status, suppression,
                "Already a member of this audience.");
        }

        var reasons = new List<string>();
        if (suppression is { } suppressedFor)
        {
            reasons.Add($"the address is suppressed ({suppressedFor})");
        }

        if (status is { } contactStatus and not Domain.Contacts.ContactStatus.Active)
        {
            reasons.Add($"the contact is {ContactStatusChip.LabelOf(contactStatus)} (an import never changes it)");
        }

        if (reasons.Count > 0)
        {
            return new ImportPreviewRow(candidate.Line, candidate.RawEmail, email, candidate.Name, ImportRowOutcome.ImportNotSendable, !exists, status, suppression,
                $"Imported as a member, but will not be sent: {string.Join("; ", reasons)}.");
        }

        return new ImportPreviewRow(candidate.Line, candidate.RawEmail, email, candidate.Name, ImportRowOutcome.Import, !exists, status, suppression,
            exists ? "Existing contact, added to the audience." : "New contact.");
    }

    private static ImportPreviewRow Skip(ContactCsvCandidate candidate, ImportRowOutcome outcome, string note) =>
        new(candidate.Line, candidate.RawEmail, candidate.Email, candidate.Name, outcome, false, null, null, "Skipped: " + note);

    private static async Task<Dictionary<string, long>> ContactIdsAsync(BounceDbContext db, List<string> addresses, CancellationToken ct)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var batch in addresses.Chunk(BatchSize))
        {
            var found = await db.Contacts.AsNoTracking()
                .Where(c => batch.Contains(c.Email))
                .Select(c => new { c.Id, c.Email })
                .ToListAsync(ct);
            foreach (var contact in found)
            {
                ids[contact.Email] = contact.Id;
            }
        }

        return ids;
    }

    private static Task<bool> NameTakenAsync(BounceDbContext db, string name, long? except, CancellationToken ct)
    {
        var lowered = name.ToLowerInvariant();

        // Runs in the database (SQL lower()), where the analyzers' culture and comparison advice does not apply.
#pragma warning disable CA1304, CA1311, CA1862
        return db.Audiences.AnyAsync(a => a.Name.ToLower() == lowered && (except == null || a.Id != except), ct);
#pragma warning restore CA1304, CA1311, CA1862
    }

    private static AudienceCommandResult NameTaken(string name) =>
        new(CommandStatus.Invalid, $"An audience named \"{name}\" already exists. Choose another name.");

    /// <summary>Why the user may not act, or null: any signed-in Marketer or Admin may manage audiences.</summary>
    private string? Refuse(ClaimsPrincipal user, string action)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (SuppressionCommands.ActorFrom(user) is { Roles.Count: > 0 })
        {
            return null;
        }

        logger.LogWarning("Audience command refused: user {UserId} is neither a Marketer nor an Admin", UserIdOf(user));
        return $"Only a Marketer or an Admin can {action}.";
    }

    private static string UserIdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "(no id)";
}
