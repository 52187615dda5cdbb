using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

/// <summary>The recipient's one-click unsubscribe (List-Unsubscribe, RFC 8058): the opt-out path of an ARF unsubscribe report.</summary>
public class BounceRulesUnsubscribeTests
{
    [Fact]
    public void ApplyUnsubscribe_ShouldOptOutAndSuppressWithReasonUnsubscribe_WhenTheContactIsActive()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.DeliveredCampaign();
        scenario.Time.Advance(TimeSpan.FromHours(2));

        var entry = scenario.Rules.ApplyUnsubscribe(delivery, scenario.Contact, null);

        Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
        Assert.Equal(scenario.Time.GetUtcNow(), scenario.Contact.StatusChangedAt);
        Assert.NotNull(entry);
        Assert.Equal((SuppressionReason.Unsubscribe, SuppressionSource.Rules), (entry.Reason, entry.Source));
        Assert.Equal((scenario.Contact.Email, scenario.Time.GetUtcNow()), (entry.Email, entry.CreatedAt));
        Assert.Equal(BounceRules.RecipientActor, entry.CreatedBy);
        Assert.Null(entry.BounceEventId);
        Assert.Contains("List-Unsubscribe", entry.Note, StringComparison.Ordinal);
        Assert.Contains($"delivery {delivery.Id}", entry.Note, StringComparison.Ordinal);
        Assert.False(entry.RequiresConfirmationToLift, "an unsubscribe lifts without the complaint confirmation");
    }

    [Fact]
    public void ApplyUnsubscribe_ShouldChangeNothing_WhenTheRecipientAlreadyUnsubscribed()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.DeliveredCampaign();
        var entry = scenario.Rules.ApplyUnsubscribe(delivery, scenario.Contact, null);
        var optedOutAt = scenario.Contact.StatusChangedAt;
        scenario.Time.Advance(TimeSpan.FromMinutes(1));

        var again = scenario.Rules.ApplyUnsubscribe(delivery, scenario.Contact, entry);

        Assert.Null(again);
        Assert.Equal((ContactStatus.OptedOut, optedOutAt), (scenario.Contact.Status, scenario.Contact.StatusChangedAt));
    }

    [Fact]
    public void ApplyUnsubscribe_ShouldOptOutButAddNoEntry_WhenTheAddressIsAlreadySuppressedForAnotherReason()
    {
        // A soft-bounce Error contact with a manual entry in force: the status follows the request, the entry stays.
        var scenario = new RulesScenario(new RulesOptions { SoftBounceCampaignsForError = 1 });
        var delivery = scenario.SoftBouncedCampaign();
        Assert.Equal(ContactStatus.Error, scenario.Contact.Status);
        var manual = SuppressionEntry.Create(scenario.Contact.Email, SuppressionReason.Manual, SuppressionSource.Admin, scenario.Time.GetUtcNow(), "admin@example.org");

        var entry = scenario.Rules.ApplyUnsubscribe(delivery, scenario.Contact, manual);

        Assert.Null(entry);
        Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
        Assert.True(manual.IsActive);
    }

    [Fact]
    public void ApplyUnsubscribe_ShouldKeepAConfirmedBounceButSuppressTheAddress_WhenNoEntryIsInForce()
    {
        var scenario = new RulesScenario();
        scenario.HardBouncedCampaign();
        scenario.HardBouncedCampaign();
        var delivery = scenario.HardBouncedCampaign();
        Assert.Equal(ContactStatus.ConfirmedBounce, scenario.Contact.Status);

        // The Confirmed Bounce entry was lifted by hand without reactivating the contact; the request still counts.
        var entry = scenario.Rules.ApplyUnsubscribe(delivery, scenario.Contact, null);

        Assert.Equal(ContactStatus.ConfirmedBounce, scenario.Contact.Status);
        Assert.Equal(SuppressionReason.Unsubscribe, entry?.Reason);
    }

    [Fact]
    public void ApplyUnsubscribe_ShouldRefuse_WhenTheDeliveryIsNotTheContacts()
    {
        var scenario = new RulesScenario();
        var other = EntityIds.Set(Delivery.Create(500, scenario.Contact.Id + 1, scenario.Time.GetUtcNow()), 9999);

        Assert.Throws<DomainException>(() => scenario.Rules.ApplyUnsubscribe(other, scenario.Contact, null));
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
    }
}
