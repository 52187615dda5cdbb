using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Hosting;
using BounceDashboard.Web.Options;
using BounceDashboard.Web.Queries;
using Hangfire.InMemory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
                await q.CampaignsAsync(ids.LargestAudience, new PageRequest(0, 20), ct);
            })),
            new("Audit log", "first page", (sp, ct) => Scoped<IAuditLogQueries>(sp, async q =>
            {
                await q.PageAsync(AuditLogFilter.None, page, ct);
                await q.ActorsAsync(ct);
            })),
            new("Audit log", "by action (reactivations)", (sp, ct) => Scoped<IAuditLogQueries>(sp, q =>
                q.PageAsync(new AuditLogFilter(Action: AuditAction.ReactivateAddress), page, ct))),
            new("Audit log", "by actor", (sp, ct) => Scoped<IAuditLogQueries>(sp, q =>
                q.PageAsync(new AuditLogFilter(Actor: ids.Actor), page, ct))),
            new("Audit log", "by target prefix 'ma'", (sp, ct) => Scoped<IAuditLogQueries>(sp, q =>
                q.PageAsync(new AuditLogFilter(TargetPrefix: "ma"), page, ct))),
            new("Campaign editor", "open a draft", (sp, ct) => Scoped<ICampaignEditorQueries>(sp, async q =>
            {
                await q.GetAsync(ids.Draft, ct);
                await q.ListAudiencesAsync(ct);
            })),

            .. ContactScenarios(page),
            // What the review queue's page runs when it opens: the counts, the first page oldest first and the oldest item.
            new("Review queue", "open: counts, first page, oldest item", (sp, ct) => Scoped<IReviewQueueQueries>(sp, async q =>
            {
                await q.CountsAsync(ct);
                var items = await q.ItemsAsync(null, page, ct);
                if (items.Items.Count > 0)
                {
                    await q.DetailAsync(items.Items[0].Key, ReviewQueueQueries.ShownRawBytes, ct);
                }
            })),
            new("Review queue", "unmatched, page 20", (sp, ct) => Scoped<IReviewQueueQueries>(sp, q =>
                q.ItemsAsync(ReviewCause.Unmatched, new PageRequest(19, 25), ct))),
            new("Review queue", "candidate deliveries by address", (sp, ct) => Scoped<IReviewQueueQueries>(sp, q =>
                q.CandidatesAsync(ids.BouncedEmail, ids.Now, ct))),
            new("Campaign editor", "reach of the two largest audiences", (sp, ct) => Scoped<ICampaignEditorQueries>(sp, q =>
                q.GetReachAsync(ids.LargestAudiences, ct))),
            new("Admin health", "send queue, campaigns, database size, jobs", (sp, ct) => Health(sp).GetAsync(ct)),
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

    /// <summary>The contacts list and the contact page (issue 12): counts, a status tab, prefix and exact searches, a contact with history.</summary>
    private static IEnumerable<PageScenario> ContactScenarios(PageRequest page)
    {
        yield return new("Contacts", "status counts and the first page", (sp, ct) => Scoped<IContactQueries>(sp, async q =>
        {
            var counts = await q.CountsAsync(ct);
            await q.SearchAsync(new ContactFilter(), page, counts.Total, ct);
        }));
        yield return new("Contacts", "Confirmed bounce tab, page 20 (counts known)", (sp, ct) => Scoped<IContactQueries>(sp, q =>
            q.SearchAsync(new ContactFilter(Status: ContactStatus.ConfirmedBounce), new PageRequest(20, 25), total: 1, ct)));
        yield return new("Contacts", "search prefix 'ma'", (sp, ct) => Scoped<IContactQueries>(sp, q =>
            q.SearchAsync(new ContactFilter("ma"), page, cancellationToken: ct)));
        yield return new("Contacts", "search prefix 'ma', Error tab", (sp, ct) => Scoped<IContactQueries>(sp, q =>
            q.SearchAsync(new ContactFilter("ma", ContactStatus.Error), page, cancellationToken: ct)));
        yield return new("Contacts", "search a whole address", async (sp, ct) =>
        {
            var contact = await StoppedContactAsync(sp, ct);
            await Scoped<IContactQueries>(sp, q => q.SearchAsync(new ContactFilter(contact.Email), page, cancellationToken: ct));
        });
        yield return new("Contact page", "a confirmed bounce, with its history", async (sp, ct) =>
        {
            var contact = await StoppedContactAsync(sp, ct);
            await Scoped<IContactQueries>(sp, async q =>
            {
                await q.GetAsync(contact.Id, ct);
                await q.HistoryAsync(contact.Id, 50, ct);
            });
        });
    }

    private static (long Id, string Email)? s_stoppedContact;

    /// <summary>The confirmed-bounce contact with the most deliveries among the first thousand, found once (not timed).</summary>
    private static async Task<(long Id, string Email)> StoppedContactAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (s_stoppedContact is not { } picked)
        {
            var factory = services.GetRequiredService<IDbContextFactory<BounceDbContext>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var candidates = db.Contacts.AsNoTracking().Where(c => c.Status == ContactStatus.ConfirmedBounce).OrderBy(c => c.Id).Take(1000);
            var row = await candidates
                .OrderByDescending(c => db.Deliveries.Count(d => d.ContactId == c.Id))
                .Select(c => new { c.Id, c.Email })
                .FirstAsync(cancellationToken);
            picked = (row.Id, row.Email);
            s_stoppedContact = picked;
        }

        return picked;
    }

    private static readonly Dictionary<BounceReportFilter, BounceReportRowKey?> s_topRows = [];

    private static readonly InMemoryStorage s_jobStorage = new(new InMemoryStorageOptions());

    /// <summary>
    /// The health page's queries over the benchmark's database; no mailbox configured and an empty job storage (both
    /// are a handful of rows in production: the cost is in the deliveries due, read through the filtered
    /// IX_Deliveries_NextAttemptAt, and the campaigns' (CampaignId, State) counts).
    /// </summary>
    private static HealthQueries Health(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IDbContextFactory<BounceDbContext>>();
        return new HealthQueries(
            factory,
            new MailboxHealthQueries(factory, Microsoft.Extensions.Options.Options.Create(new MailboxesOptions()), TimeProvider.System),
            s_jobStorage,
            Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }),
            TimeProvider.System,
            NullLogger<HealthQueries>.Instance);
    }

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

    private sealed record Ids(
        long LargestCampaign,
        long InProgress,
        int LargestCampaignDeliveries,
        long BouncedDelivery,
        string BouncedEmail,
        IReadOnlyList<long> LargestAudiences,
        long Draft,
        DateTimeOffset Now,
        string Actor)
    {
        public long LargestAudience => LargestAudiences[0];
    }

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
        var bouncedEmail = await db.Deliveries.AsNoTracking()
            .Where(d => d.Id == bounced)
            .Join(db.Contacts, d => d.ContactId, c => c.Id, (d, c) => c.Email)
            .FirstAsync(cancellationToken);
        var audiences = await db.AudienceMembers.AsNoTracking()
            .GroupBy(m => m.AudienceId).OrderByDescending(g => g.Count()).Select(g => g.Key).Take(2).ToListAsync(cancellationToken);
        var draft = await db.Campaigns.AsNoTracking()
            .OrderBy(c => c.State == CampaignState.Draft ? 0 : 1).ThenByDescending(c => c.Id).Select(c => c.Id).FirstAsync(cancellationToken);
        var inProgress = await db.Campaigns.AsNoTracking()
            .OrderBy(c => c.State == CampaignState.InProgress ? 0 : 1).ThenByDescending(c => c.Id).Select(c => c.Id).FirstAsync(cancellationToken);
        var newest = await db.BounceEvents.AsNoTracking().MaxAsync(e => e.ReceivedAt, cancellationToken);
        var now = new DateTimeOffset(newest.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        // The newest entry's actor (the demo's admin): the actor filter on a busy actor.
        var actor = await db.AuditLogEntries.AsNoTracking().OrderByDescending(a => a.At).Select(a => a.Actor).FirstOrDefaultAsync(cancellationToken) ?? "admin";
        return new Ids(largest.CampaignId, inProgress, largest.Total, bounced, bouncedEmail, audiences, draft, now, actor);
    }

    private static async Task Scoped<TService>(IServiceProvider services, Func<TService, Task> call)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
