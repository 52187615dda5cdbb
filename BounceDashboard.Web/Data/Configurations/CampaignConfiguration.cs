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

        // A campaign's audiences are part of it: loaded with every Campaign entity (commands that change or check
        // them cannot forget an Include), saved and deleted with it. Projections read the join table themselves.
        builder.HasMany(c => c.Audiences).WithOne().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(c => c.Audiences).UsePropertyAccessMode(PropertyAccessMode.Field).AutoInclude();
        builder.Ignore(c => c.AudienceIds);

        // The campaign list (newest first) and the scheduler (scheduled campaigns that are due).
        builder.HasIndex(c => c.CreatedAt);
        builder.HasIndex(c => new { c.State, c.ScheduledFor });
    }
}

internal sealed class CampaignAudienceConfiguration : IEntityTypeConfiguration<CampaignAudience>
{
    public void Configure(EntityTypeBuilder<CampaignAudience> builder)
    {
        builder.ToTable("CampaignAudiences");

        // The key (CampaignId, AudienceId) serves "a campaign's audiences"; the AudienceId index serves "which campaigns
        // used this audience" (the audience page) and the foreign key's check when an audience would be deleted.
        builder.HasKey(a => new { a.CampaignId, a.AudienceId });
        builder.HasIndex(a => a.AudienceId);
        builder.HasOne<Audience>().WithMany().HasForeignKey(a => a.AudienceId).OnDelete(DeleteBehavior.Restrict);
    }
}
