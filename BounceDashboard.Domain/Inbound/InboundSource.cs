namespace BounceDashboard.Domain.Inbound;

/// <summary>How an inbound message reached us. Stored as a string.</summary>
public enum InboundSource
{
    /// <summary>Polled from an IMAP mailbox; the source key is <c>mailbox:UIDVALIDITY:UID</c>.</summary>
    Imap = 1,
    /// <summary>Polled from a POP3 mailbox; the source key is <c>mailbox:UIDL</c>.</summary>
    Pop3 = 2,
    /// <summary>Read from a file, folder, Maildir or mbox by the <c>ingest</c> verb; the source key is the full path (or <c>PATH#N</c>).</summary>
    File = 3,
    /// <summary>A raw message posted to the HTTP API; the source key is the caller's id or the content hash.</summary>
    Api = 4,
    /// <summary>An ESP webhook; the source key is the provider's event id.</summary>
    Webhook = 5,
}
