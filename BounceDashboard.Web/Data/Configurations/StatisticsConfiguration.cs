using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Web.Data.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

// The statistics tables are written by database triggers only (Data/Statistics/StatisticsTriggers); EF reads them.

internal sealed class CampaignStatisticsConfiguration : IEntityTypeConfiguration<CampaignStatistics>
{
    public void Configure(EntityTypeBuilder<CampaignStatistics> builder)
    {
        builder.ToTable("CampaignStatistics");
        builder.HasKey(s => s.CampaignId);
        builder.Property(s => s.CampaignId).ValueGeneratedNever();
        builder.HasOne<Campaign>().WithOne().HasForeignKey<CampaignStatistics>(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CampaignDomainStatisticsConfiguration : IEntityTypeConfiguration<CampaignDomainStatistics>
{
    public void Configure(EntityTypeBuilder<CampaignDomainStatistics> builder)
    {
        builder.ToTable("CampaignDomainStatistics");

        // The key is also the campaign page's lookup: one campaign's domains.
        builder.HasKey(s => new { s.CampaignId, s.Domain });
        builder.Property(s => s.Domain).HasMaxLength(CampaignDomainStatistics.DomainMaxLength);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CampaignActivityConfiguration : IEntityTypeConfiguration<CampaignActivity>
{
    public void Configure(EntityTypeBuilder<CampaignActivity> builder)
    {
        builder.ToTable("CampaignActivity");

        // The key is also the chart's range scan: one campaign's hours in order.
        builder.HasKey(s => new { s.CampaignId, s.Hour });
        builder.HasOne<Campaign>().WithMany().HasForeignKey(s => s.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AudienceStatisticsConfiguration : IEntityTypeConfiguration<AudienceStatistics>
{
    public void Configure(EntityTypeBuilder<AudienceStatistics> builder)
    {
        builder.ToTable("AudienceStatistics");

        // The key is also the pages' lookup: one audience's (at most eight) rows.
        builder.HasKey(s => new { s.AudienceId, s.Status, s.Suppressed });
        builder.Property(s => s.Status).HasEnumAsString();

        // Deleting an audience deletes its counts; the members' delete triggers skip an audience that is gone.
        builder.HasOne<Audience>().WithMany().HasForeignKey(s => s.AudienceId).OnDelete(DeleteBehavior.Cascade);
    }
}
