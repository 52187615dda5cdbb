using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.ToTable("Campaigns");
        builder.Property(c => c.Name).HasMaxLength(Campaign.NameMaxLength);
        builder.Property(c => c.Subject).HasMaxLength(Campaign.SubjectMaxLength);
        builder.Property(c => c.FromAddress).HasMaxLength(Campaign.FromAddressMaxLength);
        builder.Property(c => c.FromDomain).HasMaxLength(Campaign.FromDomainMaxLength);
        builder.Property(c => c.FromName).HasMaxLength(Campaign.FromNameMaxLength);
        builder.Property(c => c.PauseReason).HasMaxLength(Campaign.PauseReasonMaxLength);

        // Bodies are unbounded text columns (nvarchar(max) on SQL Server); the domain caps them at BodyMaxLength.
        builder.Property(c => c.HtmlBody);
        builder.Property(c => c.TextBody);
        builder.Property(c => c.Kind).HasEnumAsString();
        builder.Property(c => c.State).HasEnumAsString();
        builder.HasOne<Audience>().WithMany().HasForeignKey(c => c.AudienceId).OnDelete(DeleteBehavior.Restrict);

        // The campaign list (newest first) and the scheduler (scheduled campaigns that are due).
        builder.HasIndex(c => c.CreatedAt);
        builder.HasIndex(c => new { c.State, c.ScheduledFor });
    }
}
