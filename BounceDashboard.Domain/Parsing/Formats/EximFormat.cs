namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Exim's own notices ("Mail delivery failed: returning message to sender", "Warning: message ... delayed"),
/// also sent by providers built on Exim (Mail.ru, GMX/1&amp;1 variants). Recipients are indented address lines
/// with the SMTP error indented under them; X-Failed-Recipients names them too.
/// </summary>
public sealed class EximFormat(NoticeReader reader) : NoticeFormat(reader)
{
    public override string Name => "exim";

    protected override IReadOnlyList<string> StartMarkers =>
    [
        "the following address(es) failed:", "following address(es) failed", "the following address failed:",
        "address(es) failed:", "could not be delivered to one or more of", "has not yet been delivered to the following addresses",
        "message could not be delivered to the following", "the following address", "failed to be delivered",
    ];

    protected override bool Recognises(BounceContext context)
    {
        var text = context.NoticeText;
        return context.Header("X-Failed-Recipients") is not null
            || text.Contains("This message was created automatically by mail delivery software", StringComparison.OrdinalIgnoreCase)
            || context.LowerSubject.StartsWith("mail delivery failed", StringComparison.Ordinal)
            || (context.LowerSubject.StartsWith("warning: message", StringComparison.Ordinal) && context.LowerSubject.Contains("delayed", StringComparison.Ordinal));
    }

    protected override DeliveryAction ActionOf(BounceContext context) => NoticeSigns.EximDelayedOrFailed(context);

    /// <summary>
    /// Exim gives up on an address after its retry rules time out ("retry timeout exceeded", "all hosts have been
    /// failing for a long time"): the last error was temporary, so a private code is class 4.
    /// </summary>
    protected override void Refine(BounceContext context, RecipientEvidence evidence)
    {
        var diagnostic = evidence.Diagnostic ?? string.Empty;
        if (!diagnostic.Contains("retry timeout exceeded", StringComparison.OrdinalIgnoreCase)
            && !diagnostic.Contains("all hosts have been failing", StringComparison.OrdinalIgnoreCase)
            && !diagnostic.Contains("retry time not reached", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // Only Exim's own notice ("Mail Delivery System"); GMX and Mail.ru reuse the wording as final errors.
        var display = context.Message.From.Mailboxes.FirstOrDefault()?.Name ?? string.Empty;
        if (display.Equals("Mail Delivery System", StringComparison.OrdinalIgnoreCase))
        {
            evidence.Explicit = new ExplicitClass(Name, "retry timeout", Temporary: true);
        }
    }
}
