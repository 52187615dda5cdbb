using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Suppression;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// Who may be mailed: an Active contact whose address has no suppression entry in force, whatever list it is on.
/// The SQL side filters on <see cref="SendableStatus"/> and the absence of an active suppression entry for the
/// address; this class is the same rule for a loaded contact.
/// </summary>
public static class Sendability
{
    /// <summary>The only status that may be mailed.</summary>
    public const ContactStatus SendableStatus = ContactStatus.Active;

    /// <summary>True when the contact may be mailed; <paramref name="suppression"/> is the address's entry, if any.</summary>
    public static bool IsSendable(Contact contact, SuppressionEntry? suppression) => SkipReasonFor(contact, suppression) is null;

    /// <summary>Why a delivery to the contact must be skipped, or null when it may go out.</summary>
    public static DeliverySkipReason? SkipReasonFor(Contact contact, SuppressionEntry? suppression)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (contact.Status != SendableStatus)
        {
            return DeliverySkipReason.ContactNotActive;
        }

        if (suppression is not null && !string.Equals(suppression.Email, contact.Email, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The suppression entry is for {suppression.Email}, not {contact.Email}.", nameof(suppression));
        }

        return suppression is { IsActive: true } ? DeliverySkipReason.AddressSuppressed : null;
    }
}
