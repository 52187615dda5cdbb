using BounceDashboard.Domain.Contacts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BounceDashboard.Web.Data.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("Contacts");
        builder.Property(c => c.Email).HasMaxLength(Contact.EmailMaxLength);
        builder.Property(c => c.DisplayName).HasMaxLength(Contact.DisplayNameMaxLength);
        builder.Property(c => c.Status).HasEnumAsString();
        builder.Property(c => c.ErrorCause).HasEnumAsString();

        builder.HasIndex(c => c.Email).IsUnique();
        builder.HasIndex(c => c.Status);

        // The contacts page: one status's contacts in address order, and a prefix search within a status, as one index
        // range (the Status index alone would read every Active contact and sort them).
        builder.HasIndex(c => new { c.Status, c.Email });
    }
}
