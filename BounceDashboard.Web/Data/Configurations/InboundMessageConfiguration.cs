using BounceDashboard.Domain.Inbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> builder)
    {
        builder.ToTable("InboundMessages");
        builder.Property(m => m.Source).HasEnumAsString();
        builder.Property(m => m.Outcome).HasEnumAsString();
        builder.Property(m => m.Kind).HasEnumAsString();
        builder.Property(m => m.SourceKey).HasMaxLength(InboundMessage.SourceKeyMaxLength);
        builder.Property(m => m.ContentHash).HasMaxLength(InboundMessage.ContentHashLength).IsFixedLength().IsUnicode(false);
        builder.Property(m => m.Format).HasMaxLength(InboundMessage.FormatMaxLength);
        builder.Property(m => m.Error).HasMaxLength(InboundMessage.ErrorMaxLength);
        builder.Property(m => m.EngineVersion).HasMaxLength(InboundMessage.EngineVersionMaxLength);

        // Replay of the same UID, UIDL, file or webhook event is refused by the database; so is the same bytes twice.
        builder.HasIndex(m => new { m.Source, m.SourceKey }).IsUnique();
        builder.HasIndex(m => m.ContentHash).IsUnique();

        // The review queue (newest first) and reclassify's selections by outcome and by engine version.
        builder.HasIndex(m => new { m.Outcome, m.ReceivedAt });
        builder.HasIndex(m => m.EngineVersion);

        // The retention job: matched messages that still hold their bytes, oldest first.
        builder.HasIndex(m => m.ReceivedAt, "IX_InboundMessages_RawKept_ReceivedAt")
            .HasFilter(Filters.IsNull(nameof(InboundMessage.RawContentDroppedAt)));
    }
}

internal sealed class MailboxWatermarkConfiguration : IEntityTypeConfiguration<MailboxWatermark>
{
    public void Configure(EntityTypeBuilder<MailboxWatermark> builder)
    {
        builder.ToTable("MailboxWatermarks");
        builder.Property(w => w.MailboxName).HasMaxLength(MailboxWatermark.MailboxNameMaxLength);
        builder.Property(w => w.LastError).HasMaxLength(MailboxWatermark.ErrorMaxLength);
        builder.Property(w => w.LeaseOwner).HasMaxLength(MailboxWatermark.LeaseOwnerMaxLength);
        builder.HasIndex(w => w.MailboxName).IsUnique();
    }
}
