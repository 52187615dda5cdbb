using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BounceDashboard.Benchmarks.Pages;

/// <summary>
/// The pages' queries as a user runs them, on the app's own services (its DbContext factory, SQLite pragmas and query
/// services), against a seed-demo database. Ids and dates are picked from the database, so any seed works: the largest
/// campaign, a delivery that bounced, the largest audience, the newest bounce as "now".
/// </summary>
public static class PageScenarios
{
    /// <summary>The app's data and query services over the SQLite file at <paramref name="databasePath"/> (no migration run).</summary>
    public static IServiceProvider CreateServices(string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration["Database:Provider"] = "Sqlite";
        builder.Configuration["ConnectionStrings:Sqlite"] = $"Data Source={databasePath}";
        builder.Logging.ClearProviders();
        builder.AddBounceDashboardData();
        builder.AddBounceDashboardQueries();
        return builder.Build().Services;
    }

    public static async Task<IReadOnlyList<PageScenario>> ForAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var ids = await PickAsync(services, cancellationToken);
        var month = new BounceReportFilter(ids.Now.AddDays(-30), ids.Now, null, BounceReportGrouping.SendingDomain);
        var year = month with { From = ids.Now.AddMonths(-12) };
        var page = new PageRequest(0, 25);
        var recipients = new RecipientFilter(ids.LargestCampaign);

        return
        [
            new("Campaigns", "Sent tab, first page", (sp, ct) => Scoped<ICampaignQueries>(sp, async q =>
            {
                await q.ListAsync(new CampaignListRequest(CampaignTab.Sent, page), ct);
                await q.CountTabsAsync(CampaignFilter.None, ct);
                await q.SendingDomainsAsync(ct);
            })),
            new("Campaigns", "search 'news', by name", (sp, ct) => Scoped<ICampaignQueries>(sp, async q =>
            {
                var filter = new CampaignFilter(Search: "news");
                await q.ListAsync(new CampaignListRequest(CampaignTab.Sent, page, filter, CampaignSortField.Name), ct);
                await q.CountTabsAsync(filter, ct);
            })),
            new("Campaign page", "largest campaign", (sp, ct) => Scoped<ICampaignResponseQueries>(sp, q => q.GetAsync(ids.LargestCampaign, ct))),
            new("Campaign page", "in-progress campaign", (sp, ct) => Scoped<ICampaignResponseQueries>(sp, q => q.GetAsync(ids.InProgress, ct))),

            new("Recipients grid", "first page by address", (sp, ct) => Scoped<IDeliveryQueries>(sp, async q =>
            {
                var total = await q.CountRecipientsAsync(recipients, ct);
                await q.RecipientsAsync(recipients, RecipientSortField.Address, false, page, total, ct);
            })),
            new("Recipients grid", "page 40 by address (cached total)", (sp, ct) => Scoped<IDeliveryQueries>(sp, q =>
                q.RecipientsAsync(recipients, RecipientSortField.Address, false, new PageRequest(40, 25), ids.LargestCampaignDeliveries, ct))),
            new("Recipients grid", "by last attempt, newest first", (sp, ct) => Scoped<IDeliveryQueries>(sp, q =>
                q.RecipientsAsync(recipients, RecipientSortField.LastAttempt, true, page, ids.LargestCampaignDeliveries, ct))),
            new("Recipients grid", "search 'ma' (prefix)", (sp, ct) => Scoped<IDeliveryQueries>(sp, async q =>
            {
                var filter = recipients with { AddressPrefix = "ma" };
                var total = await q.CountRecipientsAsync(filter, ct);
                await q.RecipientsAsync(filter, RecipientSortField.Address, false, page, total, ct);
            })),
            new("Recipients grid", "hard bounced, user unknown", (sp, ct) => Scoped<IDeliveryQueries>(sp, async q =>
            {
                var filter = recipients with { State = DeliveryState.HardBounced, Reason = BounceReason.UserUnknown };
                var total = await q.CountRecipientsAsync(filter, ct);
                await q.RecipientsAsync(filter, RecipientSortField.Address, false, page, total, ct);
            })),
            new("Delivery timeline", "a bounced delivery", (sp, ct) => Scoped<IDeliveryQueries>(sp, q => q.TimelineAsync(ids.BouncedDelivery, ct))),

            .. Report("30 days", month),
            .. Report("12 months", year),
            .. Report("30 days, one campaign", month with { CampaignId = ids.LargestCampaign }),

            new("Suppression list", "first page, newest first", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.ListAsync(SuppressionFilter.None, SuppressionSortField.CreatedAt, true, page, ct))),
            new("Suppression list", "search 'ma' (address prefix)", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.ListAsync(new SuppressionFilter("ma"), SuppressionSortField.CreatedAt, true, page, ct))),
            new("Suppression list", "search '@gmail.com' (domain)", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.ListAsync(new SuppressionFilter("@gmail.com"), SuppressionSortField.CreatedAt, true, page, ct))),
            new("Suppression list", "search 'gmail.com' (domain or prefix)", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.ListAsync(new SuppressionFilter("gmail.com"), SuppressionSortField.CreatedAt, true, page, ct))),
            new("Suppression list", "reason complaint", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.ListAsync(new SuppressionFilter(Reason: SuppressionReason.Complaint), SuppressionSortField.CreatedAt, true, page, ct))),
            new("Suppression list", "with lifted, by address", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.ListAsync(new SuppressionFilter(IncludeLifted: true), SuppressionSortField.Email, false, page, ct))),
            new("Suppression list", "bulk reactivation count, hard bounces", (sp, ct) => Scoped<ISuppressionQueries>(sp, q =>
                q.SelectionAsync(new SuppressionFilter(Reason: SuppressionReason.HardBounce), ct))),

            new("Audiences", "list", (sp, ct) => Scoped<IAudienceQueries>(sp, q => q.ListAsync(page, ct))),
            new("Audience page", "largest audience, first members", (sp, ct) => Scoped<IAudienceQueries>(sp, async q =>
            {
                await q.GetAsync(ids.LargestAudience, ct);
                await q.MembersAsync(ids.LargestAudience, new AudienceMemberFilter(), page, ct);
            })),
            new("Campaign editor", "open a draft", (sp, ct) => Scoped<ICampaignEditorQueries>(sp, async q =>
            {
                await q.GetAsync(ids.Draft, ct);
                await q.ListAudiencesAsync(ct);
            })),
        ];

        IEnumerable<PageScenario> Report(string period, BounceReportFilter filter)
        {
            foreach (var grouping in new[] { BounceReportGrouping.SendingDomain, BounceReportGrouping.SendingIp })
            {
                var grouped = filter with { GroupBy = grouping };
                var by = grouping == BounceReportGrouping.SendingDomain ? "domain" : "IP";
                yield return new("Bounce report", $"{period} by {by}", (sp, ct) => Scoped<BounceReportQueries>(sp, async q =>
                {
                    await q.SummaryAsync(grouped, page, ct);
                    await q.CampaignsAsync(ct);
                }));
                yield return new("Bounce report drill-down", $"{period} by {by}, top row", async (sp, ct) =>
                {
                    var top = await TopRowAsync(sp, grouped, ct);
                    if (top is not null)
                    {
                        await Scoped<IBounceReportQueries>(sp, q => q.DetailsAsync(grouped, top, page, ct));
                    }
                });
            }
        }
    }

    private static readonly Dictionary<BounceReportFilter, BounceReportRowKey?> s_topRows = [];

    /// <summary>The report's first row under a filter, found once (the drill-down is timed, not the report before it).</summary>
    private static async Task<BounceReportRowKey?> TopRowAsync(IServiceProvider services, BounceReportFilter filter, CancellationToken cancellationToken)
    {
        if (!s_topRows.TryGetValue(filter, out var key))
        {
            await using var scope = services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<IBounceReportQueries>().SummaryAsync(filter, new PageRequest(0, 1), cancellationToken);
            key = rows.Items.Count > 0 ? rows.Items[0].Key : null;
            s_topRows[filter] = key;
        }

        return key;
    }

    private sealed record Ids(long LargestCampaign, long InProgress, int LargestCampaignDeliveries, long BouncedDelivery, long LargestAudience, long Draft, DateTimeOffset Now);

    private static async Task<Ids> PickAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var factory = services.GetRequiredService<IDbContextFactory<BounceDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var largest = await db.CampaignStatistics.AsNoTracking()
            .OrderByDescending(s => s.Queued + s.Sending + s.AwaitingRetry + s.Delivered + s.SoftBounced + s.HardBounced + s.Skipped)
            .Select(s => new { s.CampaignId, Total = s.Queued + s.Sending + s.AwaitingRetry + s.Delivered + s.SoftBounced + s.HardBounced + s.Skipped })
            .FirstAsync(cancellationToken);
        var bounced = await db.Deliveries.AsNoTracking()
            .Where(d => d.CampaignId == largest.CampaignId && d.State == DeliveryState.HardBounced)
            .Select(d => d.Id).FirstAsync(cancellationToken);
        var audience = await db.AudienceMembers.AsNoTracking()
            .GroupBy(m => m.AudienceId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(cancellationToken);
        var draft = await db.Campaigns.AsNoTracking()
            .OrderBy(c => c.State == CampaignState.Draft ? 0 : 1).ThenByDescending(c => c.Id).Select(c => c.Id).FirstAsync(cancellationToken);
        var inProgress = await db.Campaigns.AsNoTracking()
            .OrderBy(c => c.State == CampaignState.InProgress ? 0 : 1).ThenByDescending(c => c.Id).Select(c => c.Id).FirstAsync(cancellationToken);
        var newest = await db.BounceEvents.AsNoTracking().MaxAsync(e => e.ReceivedAt, cancellationToken);
        var now = new DateTimeOffset(newest.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        return new Ids(largest.CampaignId, inProgress, largest.Total, bounced, audience, draft, now);
    }

    private static async Task Scoped<TService>(IServiceProvider services, Func<TService, Task> call)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
