namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>GMX (MAILER-DAEMON@mail.gmx.com / gmx.net): Exim-style notices with "Reason:" above the error text.</summary>
public sealed class GmxFormat(NoticeReader reader) : EximDerivedFormat(reader)
{
    public override string Name => "gmx";

    protected override bool Recognises(BounceContext context) => SentFrom(context, ".gmx.com", ".gmx.net", "@gmx.net", "@gmx.com", ".gmx.de");
}
