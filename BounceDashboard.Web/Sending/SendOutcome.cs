namespace BounceDashboard.Web.Sending;

/// <summary>How one message's SMTP transaction ended.</summary>
public enum SendOutcomeKind
{
    /// <summary>The relay accepted the message (2xx after DATA).</summary>
    Accepted = 1,
    /// <summary>The relay refused the recipient or the message with a 4xx or 5xx reply: a bounce at send time.</summary>
    Refused = 2,
    /// <summary>No answer about this message: the connection, TLS or sign-in failed, the relay refused our sender, or it timed out.</summary>
    NotSent = 3,
}

/// <summary>
/// The result of sending one message: the reply the relay gave (<see cref="ReplyCode"/>, <see cref="Reply"/>), the
/// command it answered (<c>RCPT</c>, <c>DATA</c>), or the error that kept it from being sent.
/// </summary>
public sealed record SendOutcome(SendOutcomeKind Kind, int? ReplyCode, string? Reply, string? Command)
{
    public static SendOutcome Accepted(string? reply) => new(SendOutcomeKind.Accepted, 250, reply, "DATA");

    public static SendOutcome Refused(int replyCode, string? reply, string command) => new(SendOutcomeKind.Refused, replyCode, reply, command);

    public static SendOutcome NotSent(string error) => new(SendOutcomeKind.NotSent, null, error, null);

    /// <summary>The reply as one line for the attempt's record: "550 5.1.1 ... ".</summary>
    public string Describe() => ReplyCode is { } code && Kind != SendOutcomeKind.NotSent ? $"{code} {Reply}".Trim() : Reply ?? string.Empty;
}
