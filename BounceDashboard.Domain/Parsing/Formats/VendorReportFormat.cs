namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Base for vendors whose failure notices are RFC 3464 reports with conventions of their own (a fixed vocabulary,
/// the stage hidden in a Status comment, the real reply nested inside another): the report is read as usual, then
/// the vendor refines each recipient. The readers (the RFC 3464 format, the inline-fields format) are tried in order. Asked before the plain RFC 3464 format, so it must recognise the vendor from
/// cheap markers (a header, the sender, the reporting MTA).
/// </summary>
public abstract class VendorReportFormat(params IBounceFormat[] readers) : IBounceFormat
{
    public abstract string Name { get; }

    /// <summary>True when the message is this vendor's report.</summary>
    protected abstract bool Recognises(BounceContext context);

    /// <summary>The vendor's touches on one recipient read from the report.</summary>
    protected abstract void Refine(BounceContext context, RecipientEvidence evidence);

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!Recognises(context))
        {
            return false;
        }

        var before = recipients.Count;
        foreach (var reader in readers)
        {
            if (reader.TryParse(context, recipients) && recipients.Count > before)
            {
                break;
            }

            recipients.RemoveRange(before, recipients.Count - before);
        }

        if (recipients.Count == before && !ReadNotice(context, recipients))
        {
            return false;
        }

        for (var i = before; i < recipients.Count; i++)
        {
            Refine(context, recipients[i]);
        }

        return true;
    }

    /// <summary>Reads the vendor's human-readable notice when no report could be read; false when it names nobody.</summary>
    protected virtual bool ReadNotice(BounceContext context, List<RecipientEvidence> recipients) => false;

    /// <summary>The first per-message or per-recipient field of the report with that name, raw (comments kept).</summary>
    protected static string? ReportField(BounceContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var group in context.StatusGroups)
        {
            if (RawHeader.Value(group, name) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>True when a header of the notice contains the text (case-insensitive).</summary>
    protected static bool HeaderHas(BounceContext context, string header, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Header(header)?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false;
    }
}
