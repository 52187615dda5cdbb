using System.Text;
using BounceDashboard.Domain.Bounces;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// The sentence for people that <see cref="BounceRecipient.Explanation"/> gives: where the failure happened, the real
/// codes, the text that decided, what the reason means, the class and what said so, and the rule id. Written only when
/// asked, so classifying costs nothing for it.
/// </summary>
internal static class RecipientExplanation
{
    /// <summary>Longest diagnostic quoted when no phrase decided.</summary>
    private const int MaxQuote = 80;

    public static string Of(BounceRecipient r)
    {
        switch (r.Reason)
        {
            case BounceReason.Feedback:
                return "A feedback report" + (r.FeedbackType is { Length: > 0 } type ? " (" + type + ")" : string.Empty)
                    + " about our message, not a delivery failure (rule " + r.Rule + ").";
            case BounceReason.Vacation:
                return "An automatic reply (out of office or similar), not a delivery failure (rule " + r.Rule + ").";
            case BounceReason.Delivered:
                return "A report of successful delivery, not a failure (rule " + r.Rule + ").";
        }

        var sentence = new StringBuilder(160);
        sentence.Append(r.Action == DeliveryAction.Delayed ? "Delayed"
            : r.Stage is "CONN" ? "Refused at connection"
            : r.Stage is { Length: > 0 } stage ? "Refused at " + stage
            : "Failed");
        var realStatus = r.Status is { Detail: < 900 } s ? s.ToString() : null;
        if (!string.IsNullOrEmpty(r.ReplyCode) || realStatus is not null)
        {
            sentence.Append(" with");
            if (!string.IsNullOrEmpty(r.ReplyCode))
            {
                sentence.Append(' ').Append(r.ReplyCode);
            }

            if (realStatus is not null)
            {
                sentence.Append(' ').Append(realStatus);
            }
        }

        if ((DecidingText(r.Rule) ?? Quote(r.Diagnostic)) is { } quoted)
        {
            sentence.Append(" '").Append(quoted.Trim()).Append('\'');
        }

        var meaning = r.Reason.Describe().TrimEnd('.');
        sentence.Append(": ").Append(char.ToLowerInvariant(meaning[0])).Append(meaning, 1, meaning.Length - 1);
        sentence.Append(" (").Append(r.Permanent ? "permanent" : "temporary");
        _ = r.ClassFrom switch
        {
            ClassSource.Status when r.Status is { } code => sentence.Append(", from status ").Append(code.ToString()),
            ClassSource.Reply => sentence.Append(", from reply ").Append(r.ClassText),
            ClassSource.Notice => sentence.Append(", from the notice's own class"),
            ClassSource.Wording => sentence.Append(", from the wording '").Append(r.ClassText).Append('\''),
            ClassSource.Default => sentence.Append(" by default: no code or wording says which"),
            _ => sentence,
        };

        return sentence.Append("; rule ").Append(r.Rule).Append(").").ToString();
    }

    /// <summary>The wording a rule id names ("text:userunknown:no such user" gives "no such user"); null when none.</summary>
    private static string? DecidingText(string rule)
    {
        var at = rule.LastIndexOf("text:", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = rule.AsSpan(at + 5);
        var colon = rest.IndexOf(':');
        return colon < 0 || colon == rest.Length - 1 ? null : rest[(colon + 1)..].ToString();
    }

    /// <summary>The diagnostic without the codes it opens with ("550 5.1.1 "), cut at <see cref="MaxQuote"/>; null when nothing is left.</summary>
    private static string? Quote(string? diagnostic)
    {
        var text = diagnostic.AsSpan().Trim();
        while (text.Length > 0 && char.IsAsciiDigit(text[0]))
        {
            var end = text.IndexOfAny(' ', '-');
            var token = end < 0 ? text : text[..end];
            if (!(token.Length == 3 || EnhancedStatusCode.TryParse(token, out _)))
            {
                break;
            }

            text = end < 0 ? [] : text[(end + 1)..].TrimStart();
        }

        return text.Length == 0 ? null
            : text.Length <= MaxQuote ? text.ToString()
            : string.Concat(text[..(MaxQuote - 3)].TrimEnd(), "...");
    }
}
