using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Inbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class BounceEventConfiguration : IEntityTypeConfiguration<BounceEvent>
{
    public void Configure(EntityTypeBuilder<BounceEvent> builder)
    {
        builder.ToTable("BounceEvents");
        builder.Property(e => e.Source).HasEnumAsString();
        builder.Property(e => e.Kind).HasEnumAsString();
        builder.Property(e => e.Reason).HasEnumAsString();
        builder.Property(e => e.Effect).HasEnumAsString();
        builder.Property(e => e.State).HasEnumAsString();
        builder.Property(e => e.RecipientDomain).HasMaxLength(BounceEvent.RecipientDomainMaxLength);
        builder.Property(e => e.Recipient).HasMaxLength(BounceEvent.RecipientMaxLength);
        builder.Property(e => e.EnhancedStatus).HasMaxLength(BounceEvent.EnhancedStatusMaxLength);
        builder.Property(e => e.ReplyCode).HasMaxLength(BounceEvent.ReplyCodeMaxLength);
        builder.Property(e => e.Diagnostic).HasMaxLength(BounceEvent.DiagnosticMaxLength);
        builder.Property(e => e.RemoteMta).HasMaxLength(BounceEvent.RemoteMtaMaxLength);
        builder.Property(e => e.Rule).HasMaxLength(BounceEvent.RuleMaxLength);
        builder.Property(e => e.Explanation).HasMaxLength(BounceEvent.ExplanationMaxLength);
        builder.Property(e => e.FeedbackType).HasMaxLength(BounceEvent.FeedbackTypeMaxLength);
        builder.Property(e => e.RawMessageRef).HasMaxLength(BounceEvent.RawMessageRefMaxLength);
        builder.Property(e => e.IdempotencyKey).HasMaxLength(BounceEvent.IdempotencyKeyMaxLength);
        builder.Property(e => e.Pattern).HasMaxLength(BounceEvent.PatternMaxLength);

        builder.HasOne<Delivery>().WithMany().HasForeignKey(e => e.DeliveryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DeliveryAttempt>().WithMany().HasForeignKey(e => e.DeliveryAttemptId).OnDelete(DeleteBehavior.Restrict);

        // Denormalised from the matched delivery, its campaign and the attempt the event reports (filled by
        // BounceEventOriginInterceptor), so the bounce reports group by campaign, sending domain and sending IP without
        // joining millions of deliveries.
        builder.Property<long?>(BounceEventColumns.CampaignId);
        builder.Property<string?>(BounceEventColumns.SendingDomain).HasMaxLength(Campaign.FromDomainMaxLength);
        builder.Property<string?>(BounceEventColumns.SendingIp).HasMaxLength(Delivery.SendingIpMaxLength);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(BounceEventColumns.CampaignId).OnDelete(DeleteBehavior.Restrict);

        // Replay of the same report, webhook or SMTP reply is refused by the database.
        builder.HasIndex(e => e.IdempotencyKey).IsUnique();

        // Reports over a time range, overall and per sending domain, sending IP and campaign.
        builder.HasIndex(e => e.ReceivedAt);
        builder.HasIndex(BounceEventColumns.SendingDomain, nameof(BounceEvent.ReceivedAt));
        builder.HasIndex(BounceEventColumns.SendingIp, nameof(BounceEvent.ReceivedAt));
        builder.HasIndex(BounceEventColumns.CampaignId, nameof(BounceEvent.Reason));

        // Per recipient domain (gmail.com, outlook.com, ...) within a campaign.
        builder.HasIndex(BounceEventColumns.CampaignId, nameof(BounceEvent.RecipientDomain));

        // The bounce report's drill-down: one row's bounces (group, normalised reply), newest first.
        builder.HasIndex(BounceEventColumns.SendingDomain, nameof(BounceEvent.PatternHash), nameof(BounceEvent.ReceivedAt));
        builder.HasIndex(BounceEventColumns.SendingIp, nameof(BounceEvent.PatternHash), nameof(BounceEvent.ReceivedAt));

        // The review queue (events waiting for a match, oldest or newest first) stays small whatever the table's size.
        builder.HasIndex(e => e.ReceivedAt, "IX_BounceEvents_AwaitingMatch_ReceivedAt")
            .HasFilter(Filters.Is(nameof(BounceEvent.State), BounceEventState.AwaitingMatch));

        // Looking up what happened to one address.
        builder.HasIndex(e => e.Recipient);

        // The stored inbound message the event was read from (kept: history is not deleted).
        builder.HasOne<InboundMessage>().WithMany().HasForeignKey(e => e.InboundMessageId).OnDelete(DeleteBehavior.Restrict);
    }
}
