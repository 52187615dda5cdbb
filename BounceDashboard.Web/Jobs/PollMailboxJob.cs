using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Jobs;

/// <summary>
/// Polls one configured mailbox (by name: job arguments are names, never settings or secrets) with one client per run.
/// A failure (server unreachable, credentials refused, folder missing) is recorded on the mailbox's watermark with
/// the next try (the wait doubles with each failure in a row, up to <see cref="MailboxOptions.MaxRetryDelay"/>), logged
/// without message content or addresses, and rethrown so the dashboard lists it. Hangfire does not retry it: the
/// schedule and that backoff do, and a scheduled run before the next try returns at once.
/// </summary>
/// <remarks>
/// One poll of a mailbox at a time, across every instance on the database: a lease on the mailbox's watermark row
/// (<see cref="MailboxLease"/>), renewed while the poll runs. A poll that finds the mailbox held returns at once (the
/// poll holding it reads what is there). Were two polls to overlap anyway, nothing would count twice: each message is
/// deduplicated by its source key and content hash, and the IMAP watermark never goes back.
/// </remarks>
public sealed class PollMailboxJob(
    IOptions<MailboxesOptions> options,
    ImapMailboxReader imap,
    Pop3MailboxReader pop3,
    MaildirMailboxReader maildir,
    MailboxPoller poller,
    MailboxLease lease,
    TimeProvider time,
    ILogger<PollMailboxJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task<MailboxPollResult> RunAsync(string mailboxName, CancellationToken cancellationToken)
    {
        if (options.Value.Find(mailboxName) is not { } mailbox)
        {
            // A recurring job kept by Hangfire's SQL Server storage for a mailbox since removed from the configuration:
            // nothing to poll, and no failure to retry. Delete the job in the dashboard to silence this.
            logger.LogWarning(
                "Mailbox {Mailbox} is no longer configured: recurring job {JobId} polls nothing",
                mailboxName, JobIds.PollMailbox(mailboxName));
            return MailboxPollResult.Empty;
        }

        var (due, nextPollAt) = await poller.IsDueAsync(mailbox, cancellationToken);
        if (!due)
        {
            logger.LogInformation("Mailbox {Mailbox} failed before: the next try is at {NextPollAt:O}", mailbox.Name, nextPollAt);
            return MailboxPollResult.Empty;
        }

        var owner = MailboxLease.NewOwner();
        if (!await lease.TryAcquireAsync(mailbox.Name, owner, mailbox.LeaseDuration, cancellationToken))
        {
            logger.LogInformation("Mailbox {Mailbox} is being polled by another instance or run: this run skips it", mailbox.Name);
            return MailboxPollResult.Empty;
        }

        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopRenewing = new CancellationTokenSource();
        var renewing = KeepLeaseAsync(mailbox, owner, poll, stopRenewing.Token);
        var tally = new PollTally();
        try
        {
            return mailbox.Kind switch
            {
                MailboxKind.Imap => await imap.PollAsync(mailbox, tally, poll.Token),
                MailboxKind.Pop3 => await pop3.PollAsync(mailbox, tally, poll.Token),
                MailboxKind.Maildir => await maildir.PollAsync(mailbox, tally, poll.Token),
                _ => throw new InvalidOperationException($"Mailbox '{mailbox.Name}' has an unknown kind."),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's type and message (a server reply, a socket error), never message content or addresses.
            var error = $"{ex.GetType().Name}: {ex.Message}";
            logger.LogWarning("Polling mailbox {Mailbox} ({Kind}) failed: {Error}", mailbox.Name, mailbox.Kind, error);
            await poller.RecordFailureAsync(mailbox, error, tally, CancellationToken.None);
            throw;
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewing;
            await lease.ReleaseAsync(mailbox.Name, owner, CancellationToken.None);
        }
    }

    /// <summary>
    /// Renews the lease every third of its duration; cancels the poll if another poll took the mailbox meanwhile. A
    /// renewal that fails (the database briefly unreachable) is tried again at the next third: the lease still runs.
    /// </summary>
    private async Task KeepLeaseAsync(MailboxOptions mailbox, string owner, CancellationTokenSource poll, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(mailbox.LeaseDuration / 3, time, stop);
                bool renewed;
                try
                {
                    renewed = await lease.RenewAsync(mailbox.Name, owner, mailbox.LeaseDuration, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Renewing the lease on mailbox {Mailbox} failed: {Error}", mailbox.Name, $"{ex.GetType().Name}: {ex.Message}");
                    continue;
                }

                if (!renewed)
                {
                    logger.LogWarning("Polling mailbox {Mailbox} lost its lease (it expired and another poll took it): stopping", mailbox.Name);
                    await poll.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The poll ended.
        }
    }
}
