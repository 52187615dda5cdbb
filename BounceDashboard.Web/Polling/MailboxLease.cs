using BounceDashboard.Domain.Inbound;
using BounceDashboard.Web.Commands;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Polling;

/// <summary>
/// One poll of a mailbox at a time, across every instance on the database: a lease on the mailbox's watermark row
/// (<see cref="MailboxWatermark.LeaseOwner"/>, <see cref="MailboxWatermark.LeaseUntil"/>), taken by one conditional
/// UPDATE (free, or expired), so of two polls racing for it exactly one sees a row changed. A poll renews its lease
/// while it runs and releases it at the end; a poll killed with its lease held blocks the mailbox until the lease
/// expires. See docs/decisions/operations.md.
/// </summary>
public sealed class MailboxLease(DbCommandRunner runner, TimeProvider time)
{
    /// <summary>A fresh owner for one poll: the machine, the process and a random part (two polls in one process differ).</summary>
    public static string NewOwner()
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return owner.Length <= MailboxWatermark.LeaseOwnerMaxLength ? owner : owner[^MailboxWatermark.LeaseOwnerMaxLength..];
    }

    /// <summary>Takes the mailbox for <paramref name="duration"/> if no other poll holds it; false when one does.</summary>
    public async Task<bool> TryAcquireAsync(string mailboxName, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        await EnsureRowAsync(mailboxName, cancellationToken);
        var now = time.GetUtcNow();
        var until = now + duration;
        var taken = await runner.RunAsync(
            "AcquireMailboxLease",
            async (db, _, ct) => (await db.MailboxWatermarks
                .Where(w => w.MailboxName == mailboxName && (w.LeaseUntil == null || w.LeaseUntil <= now || w.LeaseOwner == owner))
                .ExecuteUpdateAsync(set => set.SetProperty(w => w.LeaseOwner, owner).SetProperty(w => w.LeaseUntil, until), ct), true),
            cancellationToken);
        return taken == 1;
    }

    /// <summary>Extends a lease this owner still holds; false when it expired and another poll took it.</summary>
    public async Task<bool> RenewAsync(string mailboxName, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + duration;
        var renewed = await runner.RunAsync(
            "RenewMailboxLease",
            async (db, _, ct) => (await db.MailboxWatermarks
                .Where(w => w.MailboxName == mailboxName && w.LeaseOwner == owner)
                .ExecuteUpdateAsync(set => set.SetProperty(w => w.LeaseUntil, until), ct), true),
            cancellationToken);
        return renewed == 1;
    }

    /// <summary>Frees the mailbox if this owner still holds it.</summary>
    public async Task ReleaseAsync(string mailboxName, string owner, CancellationToken cancellationToken) =>
        await runner.RunAsync(
            "ReleaseMailboxLease",
            async (db, _, ct) => (await db.MailboxWatermarks
                .Where(w => w.MailboxName == mailboxName && w.LeaseOwner == owner)
                .ExecuteUpdateAsync(set => set.SetProperty(w => w.LeaseOwner, (string?)null).SetProperty(w => w.LeaseUntil, (DateTimeOffset?)null), ct), true),
            cancellationToken);

    /// <summary>The watermark row the lease lives on; two instances creating it at once: one insert wins, the other finds it.</summary>
    private async Task EnsureRowAsync(string mailboxName, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(
                "CreateMailboxWatermark",
                async (db, _, ct) =>
                {
                    if (await db.MailboxWatermarks.AnyAsync(w => w.MailboxName == mailboxName, ct))
                    {
                        return (false, false);
                    }

                    db.MailboxWatermarks.Add(MailboxWatermark.Create(mailboxName));
                    await db.SaveChangesAsync(ct);
                    return (true, true);
                },
                cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on MailboxName: another instance created the row first.
        }
    }
}
