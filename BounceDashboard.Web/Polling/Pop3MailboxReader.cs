using BounceDashboard.Web.Options;
using MailKit.Net.Pop3;

namespace BounceDashboard.Web.Polling;

/// <summary>
/// Reads a POP3 mailbox as a bounce mailbox, one connection per poll. Source key <c>Name:UIDL</c>. A message whose
/// UIDL is already stored is not downloaded again: a kept non-bounce stays kept, and a bounce committed by a poll that
/// failed before its QUIT (POP3 deletes only at QUIT) is deleted now. A new message is stored, committed, and then
/// marked deleted if it is a bounce; mail that is not a bounce is never deleted.
/// </summary>
public sealed class Pop3MailboxReader(MailboxPoller poller, ILogger<Pop3MailboxReader> logger)
{
    public async Task<MailboxPollResult> PollAsync(MailboxOptions mailbox, PollTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        ArgumentNullException.ThrowIfNull(tally);
        using var client = new Pop3Client();
        await MailTransport.ConnectAsync(client, mailbox, cancellationToken);

        var uidls = await client.GetMessageUidsAsync(cancellationToken);
        var keys = uidls.Select(uidl => KeyFor(mailbox.Name, uidl)).ToList();
        var stored = await poller.FindStoredAsync(mailbox.Source, keys, cancellationToken);
        tally.Listed(keys.Count);
        for (var index = 0; index < keys.Count; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var number = index;
            var outcome = await poller.OutcomeOfAsync(
                mailbox,
                keys[index],
                stored,
                async ct =>
                {
                    using var stream = await client.GetStreamAsync(number, headersOnly: false, ct);
                    return await MailTransport.ReadAllAsync(stream, ct);
                },
                tally,
                cancellationToken);
            if (outcome is not { } known)
            {
                tally.LeftAlone();
                continue;
            }

            if (MailboxPoller.IsKept(known))
            {
                tally.NotBounce();
                continue;
            }

            // Only after the commit; the deletion itself happens at QUIT.
            await client.DeleteMessageAsync(index, cancellationToken);
            tally.Processed();
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
        await poller.RecordSuccessAsync(mailbox.Name, uidValidity: null, tally, cancellationToken);
        var result = tally.ToResult();
        logger.LogInformation(
            "Polled POP3 mailbox {Mailbox}: {Read} read, {Stored} stored, {Duplicates} duplicates, {Processed} deleted, {NotBounces} not bounces kept",
            mailbox.Name, result.Read, result.Stored, result.Duplicates, result.Processed, result.NotBounces);
        return result;
    }

    /// <summary><c>Name:UIDL</c>.</summary>
    public static string KeyFor(string mailboxName, string uidl) => $"{mailboxName}:{uidl}";
}
