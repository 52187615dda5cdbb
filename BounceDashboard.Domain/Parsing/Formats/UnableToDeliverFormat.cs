namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// An unnamed provider MTA (Yahoo! Japan and others, "Message from DOMAIN. Unable to deliver message to the following
/// address(es)."): qmail-like "&lt;address&gt;:" blocks up to "--- Original message follows.". The stage is never given.
/// </summary>
public sealed class UnableToDeliverFormat(NoticeReader reader) : NoticeFormat(reader)
{
    private const string Marker = "Unable to deliver message to the following address(es).";

    public override string Name => "unable-to-deliver";

    protected override IReadOnlyList<string> StartMarkers => [Marker];

    protected override bool Recognises(BounceContext context) =>
        context.NoticeText.Contains(Marker, StringComparison.Ordinal);

    protected override void Refine(BounceContext context, RecipientEvidence evidence) => evidence.StageUnknown = true;
}
