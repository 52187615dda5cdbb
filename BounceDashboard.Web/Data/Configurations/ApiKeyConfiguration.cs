using BounceDashboard.Domain.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
        builder.Property(k => k.Role).HasMaxLength(ApiKey.RoleMaxLength);
        builder.Property(k => k.KeyHash).HasMaxLength(ApiKey.HashLength).IsFixedLength().IsUnicode(false);
        builder.Property(k => k.DisplayPrefix).HasMaxLength(ApiKey.DisplayPrefixLength).IsUnicode(false);
        builder.Property(k => k.CreatedBy).HasMaxLength(ApiKey.ActorMaxLength);
        builder.Property(k => k.RevokedBy).HasMaxLength(ApiKey.ActorMaxLength);

        // Every request finds its key by the hash of what it presents; a name names one key for the audit log.
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasIndex(k => k.Name).IsUnique();
    }
}
