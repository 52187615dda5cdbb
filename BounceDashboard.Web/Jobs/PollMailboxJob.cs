using BounceDashboard.Web.Options;
using BounceDashboard.Web.Polling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Jobs;

/// <summary>
/// Polls one configured mailbox (by name: job arguments are names, never settings or secrets) with one client per run.
/// A failure (server unreachable, credentials refused, folder missing) is recorded on the mailbox's watermark, logged
/// without message content or addresses, and rethrown so Hangfire retries with its backoff.
/// </summary>
/// <remarks>
/// One poll of a mailbox at a time: Hangfire's distributed lock, named after the mailbox, shared by every instance on
/// the same storage (SQL Server across machines). Were two polls to overlap anyway, nothing would count twice: each
/// message is deduplicated by its source key and content hash, and the IMAP watermark never goes back.
/// </remarks>
public sealed class PollMailboxJob(
    IOptions<MailboxesOptions> options,
    ImapMailboxReader imap,
    Pop3MailboxReader pop3,
    MaildirMailboxReader maildir,
    MailboxPoller poller,
    ILogger<PollMailboxJob> logger)
{
    /// <summary>How long a poll waits for another poll of the same mailbox before it fails (and is retried).</summary>
    public const int LockTimeoutSeconds = 60;

    [DisableConcurrentExecution("poll-mailbox:{0}", LockTimeoutSeconds)]
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

        try
        {
            return mailbox.Kind switch
            {
                MailboxKind.Imap => await imap.PollAsync(mailbox, cancellationToken),
                MailboxKind.Pop3 => await pop3.PollAsync(mailbox, cancellationToken),
                MailboxKind.Maildir => await maildir.PollAsync(mailbox, cancellationToken),
                _ => throw new InvalidOperationException($"Mailbox '{mailbox.Name}' has an unknown kind."),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The exception's type and message (a server reply, a socket error), never message content or addresses.
            var error = $"{ex.GetType().Name}: {ex.Message}";
            logger.LogWarning("Polling mailbox {Mailbox} ({Kind}) failed: {Error}", mailbox.Name, mailbox.Kind, error);
            await poller.RecordFailureAsync(mailbox.Name, error, CancellationToken.None);
            throw;
        }
    }
}
