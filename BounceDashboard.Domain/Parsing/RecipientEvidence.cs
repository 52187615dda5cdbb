namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// What a format parser found about one recipient, before the reason is decided: the address, the action, the
/// enhanced status, the reply code, the SMTP stage, the diagnostic text, and the format's own explicit error class
/// where it has one. Formats only fill it; the <see cref="ReasonClassifier"/> alone turns it into a
/// <see cref="BounceRecipient"/> (reason, permanent, hard, rule and explanation).
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

    /// <summary>
    /// The format's own verdict on the failure, in its own code or fixed wording (Gmail's "state 14", Amazon SES's
    /// bounceSubType "NoEmail", EZweb's fixed English sentence), and whether it calls the failure temporary. The format
    /// only reports it; what it means is decided by <see cref="ReasonClassifier"/> (its table of format codes).
    /// </summary>
    public ExplicitClass? Explicit { get; set; }

    /// <summary>The command if it is already known, without searching the notice for it (for explanations).</summary>
    internal string? KnownCommand => _command;

    /// <summary>
    /// The notice cannot tell at which SMTP stage the recipient was refused, and the family's wording is used for
    /// refusals after DATA as well: "user unknown" alone then reads as a recipient-side filter, not a missing mailbox.
    /// </summary>
    public bool StageUnknown { get; set; }

    /// <summary>ARF Feedback-Type for feedback reports.</summary>
    public string? FeedbackType { get; set; }
}

/// <summary>
/// A format's own error class for a failure: its private code or fixed wording, and whether it says the failure is
/// temporary. Rule ids name it as <c>format:code</c> ("gmail:state-14") unless the classifier's table says otherwise.
/// </summary>
/// <param name="Format">Whose code it is: the format's short name ("gmail", "amazonses", "arf").</param>
/// <param name="Code">The code or fixed wording as the format gives it ("state-14", "NoEmail", "account is disabled");
/// null when the format states only the class.</param>
/// <param name="Temporary">True when the notice itself calls the failure temporary (Amazon SES bounceType "Transient",
/// Gmail's "temporary failure", "recipients returned temporary errors"); false when it calls it permanent; null when
/// it says neither.</param>
public sealed record ExplicitClass(string Format, string? Code, bool? Temporary = null);
