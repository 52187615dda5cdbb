using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Reports;

internal sealed class BounceReportCellConfiguration : IEntityTypeConfiguration<BounceReportCell>
{
    public void Configure(EntityTypeBuilder<BounceReportCell> builder)
    {
        builder.ToTable(BounceReportCellSql.Table);
        builder.Property(c => c.SendingDomain).HasMaxLength(Campaign.FromDomainMaxLength);
        builder.Property(c => c.SendingIp).HasMaxLength(Delivery.SendingIpMaxLength);
        builder.Property(c => c.Reason).HasEnumAsString();

        // One cell per key: the target of the upsert, and (Day first) the report's range scan over all campaigns.
        builder.HasIndex(c => new { c.Day, c.CampaignId, c.SendingDomain, c.SendingIp, c.PatternHash, c.Hard, c.Reason }).IsUnique();

        // The report for one campaign.
        builder.HasIndex(c => new { c.CampaignId, c.Day });
    }
}
