using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Queries;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Hosting;

public static class RulesExtensions
{
    /// <summary>The bounce rules (<see cref="RulesOptions"/> bound from "Rules" and validated at start-up) and the commands that apply them.</summary>
    public static void AddBounceDashboardRules(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RulesOptions>()
            .BindConfiguration(RulesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new BounceRules(
            sp.GetRequiredService<IOptions<RulesOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<Reactivation>();
        builder.Services.AddSingleton<ManualSuppression>();

        // Commands that apply the rules to the database, one transaction each, run through the execution strategy.
        builder.Services.AddSingleton<DbCommandRunner>();
        builder.Services.AddSingleton<BounceCommands>();
        builder.Services.AddSingleton<TrackingCommands>();
        builder.Services.AddSingleton<ITrackingQueries, TrackingQueries>();
        builder.Services.AddSingleton<ISuppressionCommands, SuppressionCommands>();
        builder.Services.AddSingleton<IReviewCommands, ReviewCommands>();
    }
}
