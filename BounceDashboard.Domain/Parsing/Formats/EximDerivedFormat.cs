namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Providers that run Exim with their own templates (GMX, Mail.ru, 1&amp;1): the Exim layout (indented address lines with
/// the error under them) but not Exim's retry semantics: a "retry timeout exceeded" here is the provider's final,
/// permanent verdict, so no class-4 private code. Each provider is recognised by its sending domain.
/// </summary>
public abstract class EximDerivedFormat(NoticeReader reader) : NoticeFormat(reader)
{
    protected override IReadOnlyList<string> StartMarkers =>
    [
        "address(es) failed:", "the following address failed:", "the following address", "could not be delivered to one or more",
    ];

    protected override bool DeclinesReports => true;

    /// <summary>The providers keep Exim's warning notices: a delay is not a failure.</summary>
    protected override DeliveryAction ActionOf(BounceContext context) => NoticeSigns.EximDelayedOrFailed(context);

    /// <summary>True when the sender's address ends with one of the provider's domains.</summary>
    protected static bool SentFrom(BounceContext context, params ReadOnlySpan<string> domains)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var domain in domains)
        {
            if (context.FromAddress.EndsWith(domain, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
