using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Tracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class TrackingEventConfiguration : IEntityTypeConfiguration<TrackingEvent>
{
    public void Configure(EntityTypeBuilder<TrackingEvent> builder)
    {
        builder.ToTable("TrackingEvents");
        builder.Property(e => e.Kind).HasEnumAsString();
        builder.Property(e => e.Url).HasMaxLength(TrackingEvent.UrlMaxLength);
        builder.Property(e => e.IdempotencyKey).HasMaxLength(TrackingEvent.IdempotencyKeyMaxLength);
        builder.HasOne<Delivery>().WithMany().HasForeignKey(e => e.DeliveryId).OnDelete(DeleteBehavior.Cascade);

        // A replayed hit is refused by the database, like a replayed bounce.
        builder.HasIndex(e => e.IdempotencyKey).IsUnique();

        // A delivery's opens and clicks; activity over time.
        builder.HasIndex(e => new { e.DeliveryId, e.Kind });
        builder.HasIndex(e => e.OccurredAt);
    }
}
