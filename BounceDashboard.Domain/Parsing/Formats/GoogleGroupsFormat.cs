namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Google Groups refusals ("the group you tried to contact may not exist, or you may not have permission to post"),
/// in any of its languages: a Gmail notice whose failed recipient is a googlegroups.com address, or a Workspace group
/// whose notice points to groups.google.com. The group refused
/// our sender, so the reason is "rejected".
/// </summary>
public sealed class GoogleGroupsFormat(NoticeReader reader) : IBounceFormat
{
    public string Name => "googlegroups";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var failed = context.Header("X-Failed-Recipients");
        // A group on googlegroups.com, or a Google Workspace group on the customer's own domain, whose notice points
        // to the Groups help centre (in every language).
        if (failed is null || !context.FromAddress.Contains("google", StringComparison.Ordinal)
            || !(failed.Contains("@googlegroups.com", StringComparison.OrdinalIgnoreCase)
                || NamesGroups(context.NoticeSection(reader))))
        {
            return false;
        }

        foreach (var address in failed.Split(','))
        {
            var diagnostic = context.NoticeText.Length > 2000 ? context.NoticeText[..2000] : context.NoticeText;
            recipients.Add(new RecipientEvidence
            {
                Address = DsnFields.Address(address),
                Diagnostic = diagnostic,
                Explicit = new ExplicitClass(Name, "no-permission-to-post"),
            });
        }

        return recipients.Count > 0;
    }

    /// <summary>The notice itself (not a quoted original) points to Google Groups, by name or by its help link.</summary>
    private static bool NamesGroups(string section) =>
        section.Contains("groups.google.com", StringComparison.OrdinalIgnoreCase) || section.Contains("Google Groups", StringComparison.Ordinal);
}
