using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Suppression;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class SuppressionEntryConfiguration : IEntityTypeConfiguration<SuppressionEntry>
{
    public void Configure(EntityTypeBuilder<SuppressionEntry> builder)
    {
        builder.ToTable("SuppressionEntries");
        builder.Property(s => s.Email).HasMaxLength(SuppressionEntry.EmailMaxLength);
        builder.Property(s => s.Reason).HasEnumAsString();
        builder.Property(s => s.Source).HasEnumAsString();
        builder.Property(s => s.CreatedBy).HasMaxLength(SuppressionEntry.ActorMaxLength);
        builder.Property(s => s.LiftedBy).HasMaxLength(SuppressionEntry.ActorMaxLength);
        builder.Property(s => s.Note).HasMaxLength(SuppressionEntry.NoteMaxLength);
        builder.Property(s => s.LiftReason).HasMaxLength(SuppressionEntry.ReasonTextMaxLength);
        builder.HasOne<BounceEvent>().WithMany().HasForeignKey(s => s.BounceEventId).OnDelete(DeleteBehavior.Restrict);

        // At most one entry in force per address; lifted entries stay as history. It also answers "is it suppressed?".
        builder.HasIndex(s => s.Email, "IX_SuppressionEntries_Email_Active")
            .IsUnique()
            .HasFilter(Filters.IsNull(nameof(SuppressionEntry.LiftedAt)));

        // An address's whole history, and the list page (newest first).
        builder.HasIndex(s => new { s.Email, s.CreatedAt });
        builder.HasIndex(s => s.CreatedAt);
    }
}
