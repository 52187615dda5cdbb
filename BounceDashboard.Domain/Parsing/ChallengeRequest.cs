using System.Buffers;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Challenge/response and sender-verification requests (Boxbe-style "please verify that you are a person", "click to
/// approve your message"): the recipient's filter holds the message until the sender proves itself. Not a delivery
/// failure, so never a bounce: the engine reports them as <see cref="Bounces.MessageKind.Challenge"/> with no recipient.
/// Recognised only in a message without a delivery-status or feedback report, by its subject or the opening of its text.
/// </summary>
public static class ChallengeRequest
{
    /// <summary>How much of the text is searched: a request says what it is at the top.</summary>
    private const int SearchedLength = 4096;

    /// <summary>Statements only a challenge/response request makes (a bounce's "please verify the address" is not one).</summary>
    private static readonly string[] Phrases =
    [
        "challenge/response", "challenge-response", "challenge response system", "verify that you are a", "verify you are a",
        "verify that you're a", "verify yourself", "prove that you are", "confirm that you are a human", "confirm you are a human",
        "confirm that you are not a", "verify your message", "verify that you sent", "approve your message", "approve your email",
        "awaiting your verification", "pending your verification", "to have your message delivered", "my guest list",
        "my approved senders", "approved sender list", "whitelist request", "boxbe", "spam arrest", "spamarrest",
        "mailblocks", "please verify your email", "please verify your e-mail", "please verify your address", "verification request",
    ];

    private static readonly SearchValues<string> Search = SearchValues.Create(Phrases, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the message is a challenge/response or sender-verification request.</summary>
    public static bool Is(BounceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.DeliveryStatus is not null || context.FeedbackReport is not null)
        {
            return false;
        }

        if (context.Subject.AsSpan().IndexOfAny(Search) >= 0)
        {
            return true;
        }

        var text = context.NoticeText.AsSpan();
        return text[..Math.Min(text.Length, SearchedLength)].IndexOfAny(Search) >= 0;
    }
}
