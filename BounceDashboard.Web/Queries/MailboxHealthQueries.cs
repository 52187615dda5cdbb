using BounceDashboard.Web.Data;
using BounceDashboard.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Queries;

/// <summary>How a configured mailbox's polling stands.</summary>
public enum MailboxHealthState
{
    /// <summary>No poll has finished yet (new mailbox, or the first poll is running).</summary>
    NotPolledYet = 0,

    /// <summary>The last poll succeeded.</summary>
    Healthy = 1,

    /// <summary>The last poll failed: see the error, the failures in a row and the next try.</summary>
    Failing = 2,
}

/// <summary>
/// One configured mailbox as the admin health page shows it.
/// </summary>
/// <param name="MessagesLastPoll">Messages the last poll read (successful or not).</param>
/// <param name="MessagesTotal">Messages every poll has read.</param>
/// <param name="Backlog">Messages the last poll left waiting (0 after a success); null before the first poll.</param>
/// <param name="NextTryAt">After failures, the earliest next poll (the wait doubles per failure, up to a cap); null otherwise.</param>
/// <param name="PolledBy">The poll holding the mailbox right now (machine:process:poll), if one does.</param>
public sealed record MailboxHealth(
    string Name,
    MailboxKind Kind,
    MailboxHealthState State,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    int ConsecutiveFailures,
    DateTimeOffset? NextTryAt,
    int MessagesLastPoll,
    long MessagesTotal,
    int? Backlog,
    string? PolledBy,
    DateTimeOffset? PolledUntil);

public interface IMailboxHealthQueries
{
    /// <summary>Every configured mailbox, in configuration order, with what the poller recorded for it.</summary>
    Task<IReadOnlyList<MailboxHealth>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>The poller's health per configured mailbox, read from the mailbox watermarks in one query.</summary>
public sealed class MailboxHealthQueries(
    IDbContextFactory<BounceDbContext> dbFactory,
    IOptions<MailboxesOptions> options,
    TimeProvider time) : IMailboxHealthQueries
{
    public async Task<IReadOnlyList<MailboxHealth>> ListAsync(CancellationToken cancellationToken = default)
    {
        var mailboxes = options.Value.Mailboxes;
        if (mailboxes.Count == 0)
        {
            return [];
        }

        var names = mailboxes.Select(m => m.Name).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One row per configured mailbox: a handful, read whole so the domain says what failing means.
        var rows = await db.MailboxWatermarks.AsNoTracking()
            .Where(w => names.Contains(w.MailboxName))
            .ToDictionaryAsync(w => w.MailboxName, StringComparer.Ordinal, cancellationToken);

        var now = time.GetUtcNow();
        return mailboxes.Select(mailbox =>
        {
            if (!rows.TryGetValue(mailbox.Name, out var row))
            {
                return new MailboxHealth(mailbox.Name, mailbox.Kind, MailboxHealthState.NotPolledYet, null, null, null, 0, null, 0, 0, null, null, null);
            }

            var failing = row.IsFailing;
            var state = failing ? MailboxHealthState.Failing
                : row.LastSuccessAt is null ? MailboxHealthState.NotPolledYet
                : MailboxHealthState.Healthy;
            var held = row.LeaseOwner is not null && row.LeaseUntil > now;
            return new MailboxHealth(
                mailbox.Name,
                mailbox.Kind,
                state,
                row.LastSuccessAt,
                row.LastErrorAt,
                row.LastError,
                row.ConsecutiveFailures,
                failing ? row.NextPollAt : null,
                row.MessagesLastPoll,
                row.MessagesTotal,
                row.Backlog,
                held ? row.LeaseOwner : null,
                held ? row.LeaseUntil : null);
        }).ToList();
    }
}
