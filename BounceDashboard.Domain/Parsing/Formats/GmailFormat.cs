using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Gmail's plain-text notices (before Gmail sent RFC 3464 reports): "Delivery to the following recipient failed
/// permanently:" / "has been delayed:", then "Technical details of permanent|temporary failure:" with the remote
/// reply and Gmail's "(state N)" marking the SMTP stage that failed.
/// </summary>
public sealed partial class GmailFormat(NoticeReader reader) : IBounceFormat
{
    public string Name => "gmail";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var start = text.IndexOf("Delivery to the following recipient", StringComparison.OrdinalIgnoreCase);
        if (start < 0 || context.Message.Headers["X-Failed-Recipients"] is null && !context.FromAddress.Contains("google", StringComparison.Ordinal))
        {
            return false;
        }

        var section = reader.Section(text, start);
        var delayed = section.Contains("has been delayed", StringComparison.OrdinalIgnoreCase);
        var details = section.IndexOf("Technical details of", StringComparison.OrdinalIgnoreCase);
        var diagnostic = details < 0 ? string.Empty : Flatten(section[details..]);
        var transient = section.Contains("details of temporary failure", StringComparison.OrdinalIgnoreCase);
        var addresses = new List<string>();
        foreach (var line in NoticeReader.Lines(details < 0 ? section : section[..details]))
        {
            if (reader.AddressLine(line) is { Length: > 0 } address)
            {
                addresses.Add(address);
            }
        }

        foreach (var address in addresses)
        {
            var evidence = new RecipientEvidence
            {
                Address = address,
                Action = delayed ? DeliveryAction.Delayed : DeliveryAction.Failed,
                Diagnostic = diagnostic,
            };
            evidence.Explicit = new ExplicitClass(Name, Code(evidence, diagnostic, delayed), Temporary: transient ? true : null);
            recipients.Add(evidence);
        }

        return addresses.Count > 0;
    }

    /// <summary>
    /// Gmail's own class for the failure: its fixed wording when it could not connect at all ("could-not-connect") or
    /// found no such domain ("dns-domain-not-found"), else its "(state N)", the stage of its SMTP client that failed
    /// ("state-14"), which also sets the command. Null when it says none of these.
    /// </summary>
    private static string? Code(RecipientEvidence evidence, string diagnostic, bool delayed)
    {
        if (diagnostic.Contains("did not accept our requests to connect", StringComparison.OrdinalIgnoreCase)
            || (delayed && diagnostic.Length == 0))
        {
            return "could-not-connect";
        }

        if (diagnostic.Contains("DNS Error:", StringComparison.OrdinalIgnoreCase)
            && diagnostic.Contains("Domain name not found", StringComparison.OrdinalIgnoreCase))
        {
            return "dns-domain-not-found";
        }

        var m = StateRegex().Match(diagnostic);
        if (!m.Success)
        {
            return null;
        }

        // "(state N)": the stage of Gmail's SMTP client that failed.
        var command = m.Groups[1].Value switch
        {
            "6" => "MAIL",
            "8" or "9" or "12" => "AUTH",
            "13" => "EHLO",
            "14" => "RCPT",
            "15" or "17" or "18" => "DATA",
            _ => null,
        };
        evidence.Command = command ?? evidence.Command;
        return command is null ? null : "state-" + m.Groups[1].Value;
    }

    private static string Flatten(string text) =>
        string.Join(' ', NoticeReader.Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"\(state (\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex StateRegex();
}
