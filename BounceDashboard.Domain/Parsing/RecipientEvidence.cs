using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// What a format parser found about one recipient, before the reason is decided. Formats fill it; the
/// <see cref="ReasonClassifier"/> turns it into a <see cref="BounceRecipient"/>.
/// </summary>
public sealed class RecipientEvidence
{
    public string Address { get; set; } = string.Empty;

    /// <summary>
    /// The report's Original-Recipient field as given ("rfc822; user@example.org"), when it has one: the address the
    /// sender asked for, which <see cref="RecipientResolver"/> prefers over a rewritten final address.
    /// </summary>
    public string? OriginalRecipient { get; set; }

    public DeliveryAction Action { get; set; } = DeliveryAction.Failed;

    /// <summary>Status code as given by the report (RFC 3464 Status field) or the notice.</summary>
    public string? Status { get; set; }

    public string? ReplyCode { get; set; }

    public string? Diagnostic { get; set; }

    public string? RemoteMta { get; set; }

    private string? _command;
    private Func<string?>? _commandSource;

    /// <summary>The SMTP command the remote side refused (RCPT, DATA, MAIL, EHLO, ...), when the notice says.</summary>
    public string? Command
    {
        get
        {
            if (_commandSource is { } source)
            {
                _commandSource = null;
                _command ??= source();
            }

            return _command;
        }
        set
        {
            _command = value;
            _commandSource = null;
        }
    }

    /// <summary>
    /// Where to find the command if the classifier asks for it (searching the notice costs time; most reports
    /// are decided by their status code before the command matters).
    /// </summary>
    public void CommandFrom(Func<string?> source) => _commandSource = source;

    /// <summary>Where else to look when the command known so far, or its pending source, gives none (also looked up only if asked).</summary>
    public void CommandOrElse(Func<string?> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (_command is not null)
        {
            return;
        }

        var first = _commandSource;
        _commandSource = first is null ? fallback : () => first() ?? fallback();
    }

    /// <summary>A reason the format itself is sure of (e.g. an MTA's own fixed wording); wins over the classifier.</summary>
    public BounceReason? Reason { get; set; }

    /// <summary>Rule id for <see cref="Reason"/> when the format set it.</summary>
    public string? Rule { get; set; }

    /// <summary>
    /// A reason the format's wording suggests but that more specific text may override (e.g. Gmail's "state 14"
    /// means the RCPT stage, usually an unknown user, unless the reply says "mailbox full").
    /// </summary>
    public BounceReason? FallbackReason { get; set; }

    /// <summary>The notice says the failure is temporary though it gives no 4xx code (a private code is then class 4).</summary>
    public bool Transient { get; set; }

    /// <summary>
    /// The notice cannot tell at which SMTP stage the recipient was refused, and the family's wording is used for
    /// refusals after DATA as well: "user unknown" alone then reads as a recipient-side filter, not a missing mailbox.
    /// </summary>
    public bool StageUnknown { get; set; }

    /// <summary>ARF Feedback-Type for feedback reports.</summary>
    public string? FeedbackType { get; set; }
}
