namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// RFC 3834 automatic responses (vacation, out of office): Auto-Submitted: auto-replied, the headers Exchange and
/// others add (X-Auto-Response-Suppress, X-Autoreply, Precedence: auto_reply) and the usual subject prefixes.
/// Asked after the failure formats, because MTAs also mark their bounces auto-replied (Exim does).
/// The reported recipient is the responder, the From of the reply.
/// </summary>
public sealed class AutoReplyFormat : IBounceFormat
{
    private static readonly string[] SubjectPrefixes =
    [
        "auto:", "auto reply", "auto-reply", "autoreply", "automatic reply", "automatische antwort", "out of office",
        "out of the office", "away", "vacation", "abwesenheit", "absence", "réponse automatique", "respuesta automática",
        "risposta automatica", "autosvar", "automatisch antwoord", "on leave", "i am out", "i'm out",
    ];

    public string Name => "rfc3834";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!IsAutoReply(context))
        {
            return false;
        }

        recipients.Add(new RecipientEvidence
        {
            Address = DsnFields.Address(context.FromAddress),
            Action = DeliveryAction.Unknown,
            Explicit = new ExplicitClass("rfc3834", "auto-reply"),
        });
        return true;
    }

    private static bool IsAutoReply(BounceContext context)
    {
        // A mail system account (MAILER-DAEMON, postmaster, MDaemon, "Mail Delivery System") never goes on holiday, and a
        // subject that opens with a failure is a notice: MTAs mark their notices auto-replied too, in layouts no format
        // may know. (A person's reply quoting "Re: delivery notification" stays a reply.)
        var subject = context.LowerSubject.TrimStart();
        if (NoticeSigns.FromMailSystem(context) || NoticeSigns.OpensWithFailure(subject))
        {
            return false;
        }

        // RFC 3834 §5.1: auto-replied marks a response; auto-generated alone is not a reply to a person.
        var autoSubmitted = context.Header("Auto-Submitted");
        if (autoSubmitted is not null && autoSubmitted.Contains("auto-replied", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (context.Header("X-Autoreply") is not null || context.Header("X-Autorespond") is not null
            || (context.Header("Precedence")?.Contains("auto_reply", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return true;
        }

        // Lotus Notes: "Jane Doe is out of the office." with no RFC 3834 header.
        return HasAutoReplyPrefix(subject) || subject.Contains("out of the office", StringComparison.Ordinal)
            || subject.Contains("out of office", StringComparison.Ordinal);
    }

    private static bool HasAutoReplyPrefix(string lowerSubject)
    {
        foreach (var prefix in SubjectPrefixes)
        {
            if (lowerSubject.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
