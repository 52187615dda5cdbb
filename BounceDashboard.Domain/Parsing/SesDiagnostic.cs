using System.Text.RegularExpressions;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Amazon SES's wrapper around a remote reply in its reports: "5.1.0 - Unknown address error 550-'5.7.1 ...
/// Access denied' (delivery attempts: 0)". The leading code and its description are SES's own translation of the
/// failure; the quoted text is what the remote server said, and SES does not say at which SMTP stage.
/// </summary>
public static partial class SesDiagnostic
{
    /// <summary>
    /// Replaces a wrapped diagnostic with the remote reply ("550 5.7.1 ... Access denied"), marks the stage unknown,
    /// and keeps SES's code as the status only when the report's own is generic and the reply has none.
    /// </summary>
    public static void Unwrap(RecipientEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (evidence.Diagnostic is not { Length: > 12 } diagnostic || diagnostic[1] != '.' || !diagnostic.Contains(" - ", StringComparison.Ordinal))
        {
            return;
        }

        var m = WrapperRegex().Match(diagnostic);
        if (!m.Success)
        {
            return;
        }

        var text = m.Groups["text"].Value.Trim();
        evidence.Diagnostic = m.Groups["reply"].Value + " " + text;
        evidence.StageUnknown = evidence.Command is null;
        if (!StartsWithStatus(text) && (evidence.Status is null || evidence.Status.EndsWith(".0.0", StringComparison.Ordinal)))
        {
            evidence.Status = m.Groups["status"].Value;
        }
    }

    private static bool StartsWithStatus(string text) =>
        text.Length > 4 && text[0] is '2' or '4' or '5' && text[1] == '.' && char.IsAsciiDigit(text[2]);

    [GeneratedRegex(@"^(?<status>[245]\.\d{1,3}\.\d{1,3}) - [A-Za-z ]+? (?<reply>[245]\d\d)[- ]'(?<text>.*)'(?: \(delivery attempts: \d+\))?\s*$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex WrapperRegex();
}
