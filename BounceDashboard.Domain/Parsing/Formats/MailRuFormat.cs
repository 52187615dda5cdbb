namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>Mail.ru (mailer-daemon@corp.mail.ru): the Exim notice in Russian, then again in English.</summary>
public sealed class MailRuFormat(NoticeReader reader) : EximDerivedFormat(reader)
{
    public override string Name => "mailru";

    protected override bool Recognises(BounceContext context) => SentFrom(context, "@corp.mail.ru", "@mail.ru", ".mail.ru");
}
