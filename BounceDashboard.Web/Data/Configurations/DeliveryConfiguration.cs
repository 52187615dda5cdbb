using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("Deliveries");
        builder.Property(d => d.State).HasEnumAsString();
        builder.Property(d => d.BounceReason).HasEnumAsString();
        builder.Property(d => d.SkipReason).HasEnumAsString();
        builder.Property(d => d.LastSmtpReply).HasMaxLength(Delivery.SmtpReplyMaxLength);
        builder.Property(d => d.SendingIp).HasMaxLength(Delivery.SendingIpMaxLength);
        builder.Property(d => d.Relay).HasMaxLength(Delivery.RelayMaxLength);
        builder.Property(d => d.MessageId).HasMaxLength(Delivery.MessageIdMaxLength);
        builder.Property(d => d.Token).HasMaxLength(Delivery.TokenMaxLength);
        builder.Property(d => d.LastBounceEventKey).HasMaxLength(Delivery.BounceEventKeyMaxLength);

        // History is kept: neither a campaign nor a contact with deliveries can be deleted.
        builder.HasOne<Campaign>().WithMany().HasForeignKey(d => d.CampaignId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Contact>().WithMany().HasForeignKey(d => d.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Attempts).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Attempts).UsePropertyAccessMode(PropertyAccessMode.Field);

        // One delivery per campaign and contact.
        builder.HasIndex(d => new { d.CampaignId, d.ContactId }).IsUnique();

        // Campaign counts: GROUP BY State for one campaign, read from the index alone.
        builder.HasIndex(d => new { d.CampaignId, d.State });

        // The retry job: deliveries due by NextAttemptAt. Only queued and waiting deliveries have one, so the
        // filtered index stays small while the table grows.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter(Filters.IsNotNull(nameof(Delivery.NextAttemptAt)));

        // The send job of one campaign: its due deliveries in due order, read from the index without a sort (the
        // (CampaignId, State) index would sort every queued delivery of the campaign for each claim of 20).
        builder.HasIndex(d => new { d.CampaignId, d.NextAttemptAt }).HasFilter(Filters.IsNotNull(nameof(Delivery.NextAttemptAt)));

        // A contact's history (and the bounce streaks), and matching a bounce by its original Message-ID.
        builder.HasIndex(d => new { d.ContactId, d.FirstAttemptAt });
        builder.HasIndex(d => d.MessageId);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("DeliveryAttempts");
        builder.Property(a => a.Outcome).HasEnumAsString();
        builder.Property(a => a.SmtpReply).HasMaxLength(Delivery.SmtpReplyMaxLength);
        builder.Property(a => a.SendingIp).HasMaxLength(Delivery.SendingIpMaxLength);
        builder.Property(a => a.Relay).HasMaxLength(Delivery.RelayMaxLength);

        builder.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique();
    }
}
