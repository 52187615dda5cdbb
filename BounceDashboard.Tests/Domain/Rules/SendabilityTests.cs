using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class SendabilityTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ContactStatus.Active, false, null)]
    [InlineData(ContactStatus.Active, true, DeliverySkipReason.AddressSuppressed)]
    [InlineData(ContactStatus.Error, false, DeliverySkipReason.ContactNotActive)]
    [InlineData(ContactStatus.OptedOut, false, DeliverySkipReason.ContactNotActive)]
    [InlineData(ContactStatus.ConfirmedBounce, true, DeliverySkipReason.ContactNotActive)]
    public void SkipReasonFor_ShouldAllowOnlyActiveUnsuppressedContacts_WhenAsked(ContactStatus status, bool suppressed, DeliverySkipReason? expected)
    {
        var contact = ContactIn(status);
        var entry = suppressed ? SuppressionEntry.Create(contact.Email, SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin@example.org") : null;

        Assert.Equal(expected, Sendability.SkipReasonFor(contact, entry));
        Assert.Equal(expected is null, Sendability.IsSendable(contact, entry));
    }

    [Fact]
    public void IsSendable_ShouldBeTrue_WhenTheAddressSuppressionWasLifted()
    {
        var contact = ContactIn(ContactStatus.Active);
        var entry = SuppressionEntry.Create(contact.Email, SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin@example.org");
        entry.Lift(s_now.AddDays(1), "admin@example.org", "Customer asked to be mailed again", complaintConfirmed: false);

        Assert.True(Sendability.IsSendable(contact, entry));
    }

    [Fact]
    public void SkipReasonFor_ShouldThrow_WhenTheEntryIsForAnotherAddress()
    {
        var contact = ContactIn(ContactStatus.Active);
        var entry = SuppressionEntry.Create("other@example.org", SuppressionReason.Manual, SuppressionSource.Admin, s_now, "admin@example.org");

        Assert.Throws<ArgumentException>(() => Sendability.SkipReasonFor(contact, entry));
    }

    private static Contact ContactIn(ContactStatus status)
    {
        var contact = EntityIds.Set(Contact.Create("pat@example.com", s_now), 3);
        switch (status)
        {
            case ContactStatus.Error:
                contact.MarkError(ContactErrorCause.BadAddress, s_now);
                break;
            case ContactStatus.OptedOut:
                contact.OptOut(s_now);
                break;
            case ContactStatus.ConfirmedBounce:
                contact.MarkConfirmedBounce(s_now);
                break;
            case ContactStatus.Active:
                break;
        }

        return contact;
    }
}
