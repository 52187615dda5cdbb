namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// McAfee SaaS Email Protection / MXLogic (X-MX-Bounce, X-MXL-NoteHash, sender at mxlogic.net): Exim's layout
/// ("&lt;address&gt;: 550 reply" under "The following address failed:"). The relay reports refusals given after DATA
/// the same way, and never names the stage.
/// </summary>
public sealed class MxLogicFormat(NoticeReader reader) : NoticeFormat(reader)
{
    public override string Name => "mxlogic";

    protected override IReadOnlyList<string> StartMarkers => ["address failed:", "address(es) failed:"];

    protected override bool Recognises(BounceContext context) =>
        context.Header("X-MX-Bounce") is not null || context.Header("X-MXL-NoteHash") is not null
        || context.FromAddress.EndsWith(".mxlogic.net", StringComparison.Ordinal);

    protected override void Refine(BounceContext context, RecipientEvidence evidence) => evidence.StageUnknown = true;
}
