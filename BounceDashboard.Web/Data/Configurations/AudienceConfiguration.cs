using BounceDashboard.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class AudienceConfiguration : IEntityTypeConfiguration<Audience>
{
    public void Configure(EntityTypeBuilder<Audience> builder)
    {
        builder.ToTable("Audiences");
        builder.Property(a => a.Name).HasMaxLength(Audience.NameMaxLength);
        builder.Property(a => a.Description).HasMaxLength(Audience.DescriptionMaxLength);
    }
}

internal sealed class AudienceMemberConfiguration : IEntityTypeConfiguration<AudienceMember>
{
    public void Configure(EntityTypeBuilder<AudienceMember> builder)
    {
        builder.ToTable("AudienceMembers");
        builder.HasKey(m => new { m.AudienceId, m.ContactId });

        // An audience's members newest first (its page's grid), read in index order without sorting the audience.
        builder.HasIndex(m => new { m.AudienceId, m.AddedAt, m.ContactId }).IsDescending(false, true, false);
        builder.HasOne<Audience>().WithMany().HasForeignKey(m => m.AudienceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(m => m.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}
