using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Contacts;

/// <summary>
/// A mailing list. Membership lives in <see cref="AudienceMember"/> rows rather than a collection on the list,
/// because a list can hold a million contacts. Being on a list never makes a contact sendable on its own:
/// sending reaches only Active contacts whose address is not suppressed, whatever list they are on.
/// </summary>
public sealed class Audience
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 1000;

    private Audience()
    {
        Name = string.Empty;
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    public string? Description { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Audience Create(string name, DateTimeOffset createdAt, string? description = null) =>
        new()
        {
            Name = TextLimits.Required(name, NameMaxLength, "Audience name"),
            Description = TextLimits.Optional(description, DescriptionMaxLength, "Audience description"),
            CreatedAt = createdAt,
        };

    public void Rename(string name) => Name = TextLimits.Required(name, NameMaxLength, "Audience name");
}

/// <summary>A contact's membership of an audience; the pair (audience, contact) is the key.</summary>
public sealed class AudienceMember
{
    private AudienceMember()
    {
    }

    public long AudienceId { get; private set; }

    public long ContactId { get; private set; }

    public DateTimeOffset AddedAt { get; private set; }

    public static AudienceMember Create(long audienceId, long contactId, DateTimeOffset addedAt)
    {
        if (audienceId <= 0 || contactId <= 0)
        {
            throw new DomainException($"An audience member needs a saved audience and contact (got {audienceId}, {contactId}).");
        }

        return new AudienceMember { AudienceId = audienceId, ContactId = contactId, AddedAt = addedAt };
    }
}
