using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Inbound;

/// <summary>
/// How far the poller has read one configured mailbox: the IMAP UIDVALIDITY and the highest UID stored, the last
/// successful poll and the last error. Lives in our table, committed in the same transaction as the messages it
/// covers, so a restart (or Hangfire's in-memory storage losing its queue) re-reads at most one poll's messages,
/// which the inbound messages' source keys then skip.
/// </summary>
public sealed class MailboxWatermark
{
    /// <summary>Longest configured mailbox name (the configuration's name, not the IMAP folder path alone).</summary>
    public const int MailboxNameMaxLength = 200;

    public const int ErrorMaxLength = 2000;

    private MailboxWatermark()
    {
        MailboxName = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>The configured mailbox's name; unique.</summary>
    public string MailboxName { get; private set; }

    /// <summary>The mailbox's UIDVALIDITY when <see cref="LastUid"/> was read; null before the first successful poll.</summary>
    public long? UidValidity { get; private set; }

    /// <summary>The highest UID stored under <see cref="UidValidity"/> (0: none yet).</summary>
    public long LastUid { get; private set; }

    public DateTimeOffset? LastSuccessAt { get; private set; }

    /// <summary>The last poll's error; kept after a later success as history (compare <see cref="LastErrorAt"/> with <see cref="LastSuccessAt"/>).</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <summary>The last poll failed (no success since the last error).</summary>
    public bool IsFailing => LastErrorAt is { } error && (LastSuccessAt is not { } success || error > success);

    public static MailboxWatermark Create(string mailboxName) =>
        new() { MailboxName = TextLimits.Required(mailboxName, MailboxNameMaxLength, "Mailbox name") };

    /// <summary>
    /// Records a successful poll that stored everything up to <paramref name="uid"/>. Within the same UIDVALIDITY the
    /// watermark never goes back (that would re-read, or worse, skip, messages); a new UIDVALIDITY means the server
    /// renumbered the mailbox, so the watermark starts again from <paramref name="uid"/>.
    /// </summary>
    public void AdvanceWatermark(long uidValidity, long uid, DateTimeOffset at)
    {
        if (uidValidity is < 1 or > uint.MaxValue)
        {
            throw new DomainException($"UIDVALIDITY {uidValidity} of mailbox '{MailboxName}' is not a non-zero 32-bit number.");
        }

        if (uid is < 0 or > uint.MaxValue)
        {
            throw new DomainException($"UID {uid} of mailbox '{MailboxName}' is not a 32-bit number.");
        }

        if (UidValidity == uidValidity && uid < LastUid)
        {
            throw new DomainException(
                $"Cannot move the watermark of mailbox '{MailboxName}' back from UID {LastUid} to UID {uid} within UIDVALIDITY {uidValidity}.");
        }

        UidValidity = uidValidity;
        LastUid = uid;
        LastSuccessAt = at;
    }

    /// <summary>
    /// Records a successful poll of a mailbox that has no UIDs to remember (POP3, whose kept messages are known by their
    /// stored UIDL, or a Maildir): the time only.
    /// </summary>
    public void RecordSuccess(DateTimeOffset at) => LastSuccessAt = at;

    /// <summary>Records a failed poll; the watermark stays where it was.</summary>
    public void RecordFailure(string error, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            throw new DomainException($"A failed poll of mailbox '{MailboxName}' needs an error text.");
        }

        LastError = TextLimits.Truncate(error, ErrorMaxLength);
        LastErrorAt = at;
    }
}
