using BounceDashboard.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class AuditLogEntryConfiguration : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> builder)
    {
        builder.ToTable("AuditLogEntries");
        builder.Property(a => a.Actor).HasMaxLength(AuditLogEntry.ActorMaxLength);
        builder.Property(a => a.Action).HasEnumAsString();
        builder.Property(a => a.Target).HasMaxLength(AuditLogEntry.TargetMaxLength);
        builder.Property(a => a.Reason).HasMaxLength(AuditLogEntry.ReasonMaxLength);
        builder.Property(a => a.Details).HasMaxLength(AuditLogEntry.DetailsMaxLength);

        builder.HasIndex(a => a.At);
        builder.HasIndex(a => a.Target);
        // The audit log page's actor and action filters, newest first (AuditLogQueries).
        builder.HasIndex(a => new { a.Actor, a.At });
        builder.HasIndex(a => new { a.Action, a.At });
    }
}
