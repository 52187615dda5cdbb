using BounceDashboard.Domain.Parsing;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Ingest;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class InboundExtensions
{
    /// <summary>
    /// The tracking key (<see cref="TrackingOptions"/>, validated at start-up), the token signer, the bounce engine and
    /// <see cref="InboundIngest"/>, which stores and classifies inbound messages. Needs the data and rules registrations.
    /// </summary>
    public static void AddBounceDashboardInbound(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrackingOptions>()
            .BindConfiguration(TrackingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new TrackingTokenSigner(sp.GetRequiredService<IOptions<TrackingOptions>>().Value.KeyBytes()));

        // One engine for the process: it is thread-safe and builds its pattern tables once.
        builder.Services.TryAddSingleton(_ => new BounceEngine());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InboundIngest>();

        // Raw bytes of matched messages are kept for a retention period, then dropped by a daily job.
        builder.Services.AddOptions<InboundOptions>()
            .BindConfiguration(InboundOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddTransient<PurgeRawContentJob>();
        builder.AddBounceDashboardMailboxPolling();
    }
}
