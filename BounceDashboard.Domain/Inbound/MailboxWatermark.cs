using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Inbound;

/// <summary>
/// How far the poller has read one configured mailbox (the IMAP UIDVALIDITY and the highest UID stored) and how it is
/// doing: the last success and the last error, messages read, the backlog, the backoff after failures, and the lease
/// that lets one poll of the mailbox run at a time across instances. Lives in our table, committed in the same transaction as the messages it
/// covers, so a restart (or Hangfire's in-memory storage losing its queue) re-reads at most one poll's messages,
/// which the inbound messages' source keys then skip.
/// </summary>
public sealed class MailboxWatermark
{
    /// <summary>Longest configured mailbox name (the configuration's name, not the IMAP folder path alone).</summary>
    public const int MailboxNameMaxLength = 200;

    public const int ErrorMaxLength = 2000;

    /// <summary>Longest lease owner (<c>machine:process:poll</c>).</summary>
    public const int LeaseOwnerMaxLength = 200;

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

    /// <summary>Failed polls since the last success; each doubles the wait before the next try.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>After a failure, the earliest time the next poll runs; null when the next scheduled poll runs.</summary>
    public DateTimeOffset? NextPollAt { get; private set; }

    /// <summary>Messages read (downloaded and stored, or found stored) by the last poll, successful or not.</summary>
    public int MessagesLastPoll { get; private set; }

    /// <summary>Messages read by every poll since the mailbox was first polled.</summary>
    public long MessagesTotal { get; private set; }

    /// <summary>
    /// Messages the last poll saw in the mailbox and did not finish (not yet stored, or stored but not yet moved or
    /// deleted): 0 after a successful poll, what is left waiting after a failed one. Null before the first poll.
    /// </summary>
    public int? Backlog { get; private set; }

    /// <summary>The poll holding the mailbox (see <see cref="LeaseUntil"/>); null when none does.</summary>
    public string? LeaseOwner { get; private set; }

    /// <summary>Until when <see cref="LeaseOwner"/> holds the mailbox; a lease past this time is free to take.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

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
    /// Records a successful poll: its time, the messages it read and what it left waiting; the backoff ends. The last
    /// error stays as history. The UIDs are left to <see cref="AdvanceWatermark"/> (a POP3 mailbox or a Maildir has
    /// none: its kept messages are known by their stored keys).
    /// </summary>
    public void RecordPoll(DateTimeOffset at, int messages, int backlog)
    {
        CountMessages(messages, backlog);
        LastSuccessAt = at;
        ConsecutiveFailures = 0;
        NextPollAt = null;
    }

    /// <summary>The messages a poll read and what it left waiting; a failed poll counts what it committed too.</summary>
    public void CountMessages(int messages, int backlog)
    {
        if (messages < 0 || backlog < 0)
        {
            throw new DomainException($"A poll of mailbox '{MailboxName}' cannot read {messages} messages or leave {backlog}.");
        }

        MessagesLastPoll = messages;
        MessagesTotal += messages;
        Backlog = backlog;
    }

    /// <summary>
    /// Records a failed poll; the watermark stays where it was. With a <paramref name="firstRetryDelay"/>, the next poll
    /// waits that long after the first failure, twice as long after the second, and so on up to
    /// <paramref name="maxRetryDelay"/> (<see cref="NextPollAt"/>).
    /// </summary>
    public void RecordFailure(string error, DateTimeOffset at, TimeSpan firstRetryDelay = default, TimeSpan maxRetryDelay = default)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            throw new DomainException($"A failed poll of mailbox '{MailboxName}' needs an error text.");
        }

        LastError = TextLimits.Truncate(error, ErrorMaxLength);
        LastErrorAt = at;
        if (ConsecutiveFailures < int.MaxValue)
        {
            ConsecutiveFailures++;
        }

        NextPollAt = firstRetryDelay > TimeSpan.Zero ? at + RetryDelay(ConsecutiveFailures, firstRetryDelay, maxRetryDelay) : null;
    }

    /// <summary>
    /// Whether a poll may run at <paramref name="now"/>: no backoff, or its next try is at most <paramref name="slack"/>
    /// away (a scheduled tick a little early for it, since the wait counts from the failure, not from the tick).
    /// </summary>
    public bool IsDue(DateTimeOffset now, TimeSpan slack) => NextPollAt is not { } next || now + slack >= next;

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: first, 2 x first, 4 x first, ... up to max.</summary>
    public static TimeSpan RetryDelay(int failures, TimeSpan first, TimeSpan max)
    {
        var delay = first;
        for (var i = 1; i < failures && delay < max; i++)
        {
            delay += delay;
        }

        return delay < max || max <= TimeSpan.Zero ? delay : max;
    }
}
