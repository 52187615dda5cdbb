using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>The tables the demo writes, read once from the model, in the order they are flushed.</summary>
internal sealed class DemoTables(IModel model)
{
    public BulkTable Audiences { get; } = BulkTable.For<Audience>(model);

    public BulkTable Campaigns { get; } = BulkTable.For<Campaign>(model);

    public BulkTable CampaignAudiences { get; } = BulkTable.For<CampaignAudience>(model);

    public BulkTable Deliveries { get; } = BulkTable.For<Delivery>(model);

    public BulkTable DeliveryAttempts { get; } = BulkTable.For<DeliveryAttempt>(model);

    public BulkTable BounceEvents { get; } = BulkTable.For<BounceEvent>(model);

    public BulkTable TrackingEvents { get; } = BulkTable.For<TrackingEvent>(model);

    public BulkTable AuditLogEntries { get; } = BulkTable.For<AuditLogEntry>(model);

    public BulkTable Contacts { get; } = BulkTable.For<Contact>(model);

    public BulkTable AudienceMembers { get; } = BulkTable.For<AudienceMember>(model);

    public BulkTable SuppressionEntries { get; } = BulkTable.For<SuppressionEntry>(model);

    public IReadOnlyList<BulkTable> All =>
    [
        Audiences, Campaigns, CampaignAudiences, Deliveries, DeliveryAttempts, BounceEvents, TrackingEvents, AuditLogEntries, Contacts,
        AudienceMembers, SuppressionEntries,
    ];

    public int BounceCampaignId => BounceEvents.Ordinal(BounceEventColumns.CampaignId);

    public int BounceSendingDomain => BounceEvents.Ordinal(BounceEventColumns.SendingDomain);

    public int BounceSendingIp => BounceEvents.Ordinal(BounceEventColumns.SendingIp);
}
