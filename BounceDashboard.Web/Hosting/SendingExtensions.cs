using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Sending;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class SendingExtensions
{
    /// <summary>
    /// The <c>Sending</c> section (relays, bounce domain, public URL; validated at start-up), the campaign and delivery
    /// commands, the dispatcher and the send jobs (<see cref="SendCampaignJob"/>, the recurring
    /// <see cref="DispatchDeliveriesJob"/>).
    /// </summary>
    public static void AddBounceDashboardSending(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SendingOptions>()
            .BindConfiguration(SendingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SendingOptions>, RelayListValidator>();
        builder.Services.AddSingleton(sp => new SendingGuard(sp.GetRequiredService<IOptions<RulesOptions>>().Value));
        builder.Services.AddSingleton<CampaignCommands>();
        builder.Services.AddSingleton<CampaignDraftCommands>();
        builder.Services.AddSingleton<DeliveryCommands>();
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddTransient<SendCampaignJob>();
        builder.Services.AddTransient<DispatchDeliveriesJob>();
    }
}
