namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// One family of report or notice (RFC 3464, ARF, an MTA's own wording). The engine asks the formats in order;
/// the first that recognises the message fills the recipients and wins.
/// </summary>
public interface IBounceFormat
{
    /// <summary>Short name recorded with the result ("rfc3464", "exim", ...).</summary>
    string Name { get; }

    /// <summary>Adds what the message reports to <paramref name="recipients"/>; false when the format does not apply.</summary>
    bool TryParse(BounceContext context, List<RecipientEvidence> recipients);
}
