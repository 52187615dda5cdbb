namespace BounceDashboard.Web.Polling;

/// <summary>What one poll of a mailbox did.</summary>
/// <param name="Read">Messages downloaded (or read from disk) this poll.</param>
/// <param name="Stored">Of those, messages stored for the first time.</param>
/// <param name="Duplicates">Of those, messages already stored (same key or same bytes): nothing counted twice.</param>
/// <param name="Processed">Messages moved to the processed folder (IMAP, Maildir) or deleted (POP3), including those
/// committed by an earlier poll that could not move them.</param>
/// <param name="NotBounces">Mail that is not a bounce, left in place (or moved to the not-bounce folder).</param>
public sealed record MailboxPollResult(int Read, int Stored, int Duplicates, int Processed, int NotBounces)
{
    public static MailboxPollResult Empty { get; } = new(0, 0, 0, 0, 0);
}
