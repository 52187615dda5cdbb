using BounceDashboard.Domain.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class CampaignLinkConfiguration : IEntityTypeConfiguration<CampaignLink>
{
    public void Configure(EntityTypeBuilder<CampaignLink> builder)
    {
        builder.ToTable("CampaignLinks");
        builder.Property(l => l.Url).HasMaxLength(CampaignLink.UrlMaxLength);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(l => l.CampaignId).OnDelete(DeleteBehavior.Cascade);

        // The click endpoint's lookup: link number N of the delivery's campaign, one row at most.
        builder.HasIndex(l => new { l.CampaignId, l.Number }).IsUnique();
    }
}
