using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data.Configurations;
using BounceDashboard.Web.Data.Reports;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Data;

/// <summary>
/// The application's database: the bounce-management tables plus ASP.NET Core Identity's.
/// Each provider has its own subclass and migration set; this type is what services use.
/// </summary>
/// <remarks>
/// Add a migration to both sets from the solution folder (the local tool: <c>dotnet tool restore</c>):
/// <code>
/// dotnet ef migrations add NAME --project BounceDashboard.Web --context SqliteBounceDbContext --output-dir Data/Migrations/Sqlite
/// dotnet ef migrations add NAME --project BounceDashboard.Web --context SqlServerBounceDbContext --output-dir Data/Migrations/SqlServer
/// </code>
/// Migrations are applied at start-up by <see cref="DatabaseInitializer"/>.
/// </remarks>
public abstract class BounceDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<Audience> Audiences => Set<Audience>();

    public DbSet<AudienceMember> AudienceMembers => Set<AudienceMember>();

    public DbSet<Campaign> Campaigns => Set<Campaign>();

    /// <summary>Which audiences each campaign goes to (written through <see cref="Campaign.ChangeAudiences"/>).</summary>
    public DbSet<CampaignAudience> CampaignAudiences => Set<CampaignAudience>();

    public DbSet<CampaignLink> CampaignLinks => Set<CampaignLink>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();

    public DbSet<BounceEvent> BounceEvents => Set<BounceEvent>();

    public DbSet<TrackingEvent> TrackingEvents => Set<TrackingEvent>();

    public DbSet<SuppressionEntry> SuppressionEntries => Set<SuppressionEntry>();

    public DbSet<AuditLogEntry> AuditLogEntries => Set<AuditLogEntry>();

    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();

    public DbSet<MailboxWatermark> MailboxWatermarks => Set<MailboxWatermark>();

    /// <summary>HTTP API keys (only their hashes).</summary>
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>Per-campaign counts kept by database triggers (read-only for the app).</summary>
    public DbSet<CampaignStatistics> CampaignStatistics => Set<CampaignStatistics>();

    public DbSet<CampaignDomainStatistics> CampaignDomainStatistics => Set<CampaignDomainStatistics>();

    public DbSet<CampaignActivity> CampaignActivity => Set<CampaignActivity>();

    /// <summary>Per-audience member counts by contact status and suppression, kept by database triggers (read-only for the app).</summary>
    public DbSet<AudienceStatistics> AudienceStatistics => Set<AudienceStatistics>();

    /// <summary>The bounce report's summary per day (see docs/data.md); written only through <see cref="BounceReportCellSql"/>.</summary>
    public DbSet<BounceReportCell> BounceReportCells => Set<BounceReportCell>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        // Order matters: the origin (campaign, sending domain and IP) is filled before the report's cells are counted.
        optionsBuilder.AddInterceptors(BounceEventOriginInterceptor.Instance, BounceReportCellsInterceptor.Instance);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BounceDbContext).Assembly);
    }
}
