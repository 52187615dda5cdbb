using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Tests.TestInfrastructure;
using Xunit;

namespace BounceDashboard.Tests.Domain.Rules;

public class BounceRulesTests
{
    public static TheoryData<string, bool, bool, bool, DeliveryState, BounceEffect, ContactStatus, ContactErrorCause?, SuppressionReason?> FailureCases => new()
    {
        // case, permanent, hard, at last attempt, delivery state, effect, contact status, error cause, suppression
        { "5.1.1 user unknown", true, true, false, DeliveryState.HardBounced, BounceEffect.HardBounced, ContactStatus.Error, ContactErrorCause.BadAddress, SuppressionReason.HardBounce },
        { "5.7.1 blocked", true, false, false, DeliveryState.HardBounced, BounceEffect.HardBounced, ContactStatus.Active, null, null },
        { "4.2.2 mailbox full, attempts left", false, false, false, DeliveryState.AwaitingRetry, BounceEffect.RetryScheduled, ContactStatus.Active, null, null },
        { "4.1.1 user unknown, attempts left", false, true, false, DeliveryState.AwaitingRetry, BounceEffect.RetryScheduled, ContactStatus.Active, null, null },
        { "4.2.2 mailbox full at the last attempt", false, false, true, DeliveryState.SoftBounced, BounceEffect.SoftBounced, ContactStatus.Active, null, null },
        { "4.1.1 user unknown at the last attempt", false, true, true, DeliveryState.HardBounced, BounceEffect.HardBounced, ContactStatus.Error, ContactErrorCause.BadAddress, SuppressionReason.HardBounce },
        { "5.1.1 user unknown at the last attempt", true, true, true, DeliveryState.HardBounced, BounceEffect.HardBounced, ContactStatus.Error, ContactErrorCause.BadAddress, SuppressionReason.HardBounce },
    };

    [Theory]
    [MemberData(nameof(FailureCases))]
    public void ApplyBounce_ShouldDecideDeliveryContactAndSuppression_WhenFailureIsReported(
        string description,
        bool permanent,
        bool hard,
        bool atLastAttempt,
        DeliveryState expectedState,
        BounceEffect expectedEffect,
        ContactStatus expectedStatus,
        ContactErrorCause? expectedCause,
        SuppressionReason? expectedSuppression)
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        if (atLastAttempt)
        {
            while (delivery.AttemptCount < scenario.Options.MaxAttempts)
            {
                scenario.Fail(delivery, permanent: false);
                scenario.Retry(delivery);
            }
        }

        var result = scenario.Fail(delivery, permanent, hard ? BounceReason.UserUnknown : (permanent ? BounceReason.Blocked : BounceReason.MailboxFull));

        Assert.True(expectedState == delivery.State, $"{description}: delivery state {delivery.State}");
        Assert.True(expectedEffect == result.Effect, $"{description}: effect {result.Effect}");
        Assert.True(expectedStatus == scenario.Contact.Status, $"{description}: contact status {scenario.Contact.Status}");
        Assert.True(expectedCause == scenario.Contact.ErrorCause, $"{description}: error cause {scenario.Contact.ErrorCause}");
        Assert.True(expectedSuppression == result.NewSuppression?.Reason, $"{description}: suppression {result.NewSuppression?.Reason}");
        if (result.NewSuppression is { } entry)
        {
            Assert.Equal(scenario.Contact.Email, entry.Email);
            Assert.Equal(SuppressionSource.Rules, entry.Source);
            Assert.Equal(SuppressionEntry.SystemActor, entry.CreatedBy);
            Assert.Equal(scenario.Time.GetUtcNow(), entry.CreatedAt);
        }
    }

    [Fact]
    public void ApplyBounce_ShouldScheduleRetriesOnTheSchedule_WhenTransientFailuresRepeat()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        var expected = scenario.Rules.Schedule.DueTimes(delivery.FirstAttemptAt!.Value);

        for (var attempt = 1; attempt < scenario.Options.MaxAttempts; attempt++)
        {
            scenario.Time.Advance(TimeSpan.FromMinutes(1));
            scenario.Fail(delivery, permanent: false);
            Assert.Equal(DeliveryState.AwaitingRetry, delivery.State);
            Assert.Equal(expected[attempt], delivery.NextAttemptAt);
            scenario.Retry(delivery);
        }

        scenario.Fail(delivery, permanent: false);

        Assert.Equal(DeliveryState.SoftBounced, delivery.State);
        Assert.Equal(4, delivery.AttemptCount);
        Assert.Equal(TimeSpan.FromHours(30), delivery.LastAttemptAt - delivery.FirstAttemptAt);
        Assert.All(delivery.Attempts, a => Assert.Equal(DeliveryAttemptOutcome.TransientFailure, a.Outcome));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(3, 3)]
    [InlineData(2, 2)]
    [InlineData(1, 1)]
    public void ApplyBounce_ShouldEndSoftBouncedAfterMaxAttempts_WhenMaxAttemptsIsConfigured(int maxAttempts, int expectedAttempts)
    {
        var scenario = new RulesScenario(new RulesOptions { MaxAttempts = maxAttempts });

        var delivery = scenario.SoftBouncedCampaign();

        Assert.Equal(DeliveryState.SoftBounced, delivery.State);
        Assert.Equal(expectedAttempts, delivery.AttemptCount);
        Assert.Null(delivery.NextAttemptAt);
    }

    [Theory]
    [InlineData(3, 2, ContactStatus.Active)]
    [InlineData(3, 3, ContactStatus.Error)]
    [InlineData(2, 1, ContactStatus.Active)]
    [InlineData(2, 2, ContactStatus.Error)]
    [InlineData(1, 1, ContactStatus.Error)]
    public void ApplyBounce_ShouldMoveContactToError_WhenSoftBouncesReachTheConfiguredCampaigns(
        int threshold, int campaigns, ContactStatus expected)
    {
        var scenario = new RulesScenario(new RulesOptions { SoftBounceCampaignsForError = threshold });

        for (var i = 0; i < campaigns; i++)
        {
            scenario.SoftBouncedCampaign();
        }

        Assert.Equal(expected, scenario.Contact.Status);
        Assert.Equal(campaigns, scenario.Contact.ConsecutiveSoftBounces);
        if (expected == ContactStatus.Error)
        {
            Assert.Equal(ContactErrorCause.RepeatedSoftBounces, scenario.Contact.ErrorCause);
        }

        Assert.Empty(scenario.AddedSuppressions);
    }

    [Theory]
    [InlineData(3, 2, ContactStatus.Active)]
    [InlineData(3, 3, ContactStatus.ConfirmedBounce)]
    [InlineData(2, 1, ContactStatus.Active)]
    [InlineData(2, 2, ContactStatus.ConfirmedBounce)]
    public void ApplyBounce_ShouldMakeConfirmedBounce_WhenHardBouncesReachTheConfiguredCampaigns(
        int threshold, int campaigns, ContactStatus expected)
    {
        var scenario = new RulesScenario(new RulesOptions { HardBounceCampaignsForConfirmedBounce = threshold });

        for (var i = 0; i < campaigns; i++)
        {
            scenario.HardBouncedCampaign();
        }

        Assert.Equal(expected, scenario.Contact.Status);
        Assert.Equal(campaigns, scenario.Contact.ConsecutiveHardBounces);
        if (expected == ContactStatus.ConfirmedBounce)
        {
            var entry = Assert.Single(scenario.AddedSuppressions);
            Assert.Equal(SuppressionReason.ConfirmedBounce, entry.Reason);
            Assert.False(Sendability.IsSendable(scenario.Contact, scenario.Suppression));
        }
        else
        {
            Assert.Empty(scenario.AddedSuppressions);
        }
    }

    [Fact]
    public void ApplyBounce_ShouldCountAsynchronousBounces_WhenEachDeliveryWasAcceptedFirst()
    {
        var scenario = new RulesScenario();

        for (var i = 0; i < 3; i++)
        {
            // The relay accepts, then a DSN reports the permanent failure an hour later.
            var delivery = scenario.DeliveredCampaign();
            scenario.Time.Advance(TimeSpan.FromHours(1));
            scenario.Fail(delivery, permanent: true, BounceReason.PolicyViolation);
            Assert.Equal(DeliveryState.HardBounced, delivery.State);
        }

        Assert.Equal(ContactStatus.ConfirmedBounce, scenario.Contact.Status);
    }

    [Theory]
    [InlineData("soft")]
    [InlineData("hard")]
    public void ApplyBounce_ShouldRestartTheStreak_WhenALaterCampaignWasDeliveredWithoutBounce(string kind)
    {
        var scenario = new RulesScenario();
        Func<Delivery> bounced = kind == "soft" ? scenario.SoftBouncedCampaign : scenario.HardBouncedCampaign;

        bounced();
        bounced();
        scenario.DeliveredCampaign();
        bounced();

        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(1, scenario.Contact.ConsecutiveBounces);
        Assert.Equal(1, kind == "soft" ? scenario.Contact.ConsecutiveSoftBounces : scenario.Contact.ConsecutiveHardBounces);
    }

    [Fact]
    public void ApplyBounce_ShouldKeepSoftAndHardStreaksStrict_WhenKindsAlternate()
    {
        var scenario = new RulesScenario();

        scenario.SoftBouncedCampaign();
        scenario.SoftBouncedCampaign();
        scenario.HardBouncedCampaign();
        scenario.SoftBouncedCampaign();

        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(1, scenario.Contact.ConsecutiveSoftBounces);
        Assert.Equal(0, scenario.Contact.ConsecutiveHardBounces);
        Assert.Equal(4, scenario.Contact.ConsecutiveBounces);
    }

    [Fact]
    public void ApplyBounce_ShouldNotCountARetry_WhenTheCampaignIsStillAwaitingItsNextAttempt()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();

        scenario.Fail(delivery, permanent: false);

        Assert.Equal(0, scenario.Contact.ConsecutiveBounces);
        Assert.Null(scenario.Contact.LastBounceCampaignId);
    }

    [Fact]
    public void ApplyBounce_ShouldRecordTheCampaignOfTheLastBounce_WhenABounceCounts()
    {
        var scenario = new RulesScenario();

        var delivery = scenario.HardBouncedCampaign();

        Assert.Equal(delivery.CampaignId, scenario.Contact.LastBounceCampaignId);
        Assert.Equal(scenario.Time.GetUtcNow(), scenario.Contact.LastBounceAt);
    }

    [Theory]
    [InlineData(TrackingEventKind.Open)]
    [InlineData(TrackingEventKind.Click)]
    public void ApplyTracking_ShouldResetCounters_WhenContactIsActive(TrackingEventKind kind)
    {
        var scenario = new RulesScenario();
        scenario.SoftBouncedCampaign();
        var delivered = scenario.HardBouncedCampaign();
        scenario.SoftBouncedCampaign();

        var result = scenario.Track(delivered, kind);
        scenario.SoftBouncedCampaign();
        scenario.SoftBouncedCampaign();

        Assert.True(result.CountersReset);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(2, scenario.Contact.ConsecutiveSoftBounces);
        Assert.Equal(scenario.Contact.LastActivityAt, delivered.OpenedAt);
    }

    [Theory]
    [InlineData("Error for a bad address", false)]
    [InlineData("Confirmed Bounce", false)]
    [InlineData("Error for repeated soft bounces", true)]
    public void ApplyTracking_ShouldResetCountersOnlyWhenNotPermanentlyFailed_WhenContactIsNotActive(string state, bool expectedReset)
    {
        var scenario = new RulesScenario();
        for (var i = 0; i < 3; i++)
        {
            Func<Delivery> campaign = state switch
            {
                "Error for a bad address" => scenario.BadAddressCampaign,
                "Confirmed Bounce" => scenario.HardBouncedCampaign,
                _ => scenario.SoftBouncedCampaign,
            };
            campaign();
        }

        var statusBefore = scenario.Contact.Status;
        var countBefore = scenario.Contact.ConsecutiveBounces;
        var delivery = scenario.DeliveredCampaign();

        var result = scenario.Track(delivery, TrackingEventKind.Open);

        Assert.True(expectedReset == result.CountersReset, state);
        Assert.Equal(expectedReset ? 0 : countBefore, scenario.Contact.ConsecutiveBounces);
        Assert.Equal(statusBefore, scenario.Contact.Status);
        Assert.NotNull(scenario.Contact.LastActivityAt);
    }

    [Theory]
    [InlineData(false, 5, 5, ContactStatus.Active)]
    [InlineData(true, 5, 4, ContactStatus.Active)]
    [InlineData(true, 5, 5, ContactStatus.OptedOut)]
    [InlineData(true, 2, 2, ContactStatus.OptedOut)]
    public void ApplyBounce_ShouldUnsubscribeAutomatically_WhenEnabledAndBouncesOfAnyKindReachTheLimit(
        bool enabled, int limit, int campaigns, ContactStatus expected)
    {
        var scenario = new RulesScenario(new RulesOptions { AutoUnsubscribeEnabled = enabled, AutoUnsubscribeAfterBounces = limit });

        // Alternating kinds keep both strict streaks at one, so only the "any kind" streak grows.
        for (var i = 0; i < campaigns; i++)
        {
            if (i % 2 == 0)
            {
                scenario.SoftBouncedCampaign();
            }
            else
            {
                scenario.HardBouncedCampaign();
            }
        }

        Assert.Equal(expected, scenario.Contact.Status);
        Assert.Equal(campaigns, scenario.Contact.ConsecutiveBounces);
        if (expected == ContactStatus.OptedOut)
        {
            Assert.Equal(SuppressionReason.AutoUnsubscribe, Assert.Single(scenario.AddedSuppressions).Reason);
        }
        else
        {
            Assert.Empty(scenario.AddedSuppressions);
        }
    }

    [Fact]
    public void ApplyBounce_ShouldNotUnsubscribe_WhenActivityWasRecordedBetweenBounces()
    {
        var scenario = new RulesScenario(new RulesOptions { AutoUnsubscribeEnabled = true, AutoUnsubscribeAfterBounces = 2 });

        var first = scenario.HardBouncedCampaign();
        scenario.Track(first, TrackingEventKind.Click);
        scenario.SoftBouncedCampaign();

        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(1, scenario.Contact.ConsecutiveBounces);
    }

    [Theory]
    [InlineData(FeedbackTypes.Abuse, true)]
    [InlineData(null, true)]
    [InlineData(FeedbackTypes.Fraud, true)]
    [InlineData(FeedbackTypes.Other, true)]
    [InlineData(FeedbackTypes.NotSpam, false)]
    [InlineData(FeedbackTypes.Virus, false)]
    [InlineData(FeedbackTypes.AuthFailure, false)]
    public void ApplyBounce_ShouldSuppressWithReasonComplaint_WhenFeedbackReportIsAComplaint(string? feedbackType, bool complaint)
    {
        var scenario = new RulesScenario();
        var delivery = scenario.DeliveredCampaign();

        var result = scenario.Apply(
            scenario.Event(delivery, permanent: false, BounceReason.Feedback, MessageKind.FeedbackReport, feedbackType),
            delivery);

        Assert.Equal(DeliveryState.Delivered, delivery.State);
        if (complaint)
        {
            Assert.Equal(BounceEffect.Complaint, result.Effect);
            Assert.Equal(SuppressionReason.Complaint, result.NewSuppression?.Reason);
            Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
            Assert.True(result.NewSuppression!.RequiresConfirmationToLift);
        }
        else
        {
            Assert.Equal(BounceEffect.None, result.Effect);
            Assert.Null(result.NewSuppression);
            Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        }
    }

    [Fact]
    public void ApplyBounce_ShouldLeaveTheComplaintWaitingForAMatch_WhenItIsUnmatched()
    {
        // Issue 9: anyone who can mail the bounce mailbox could otherwise suppress any address with a hand-made report.
        var scenario = new RulesScenario(email: "someone@example.net");
        var complaint = scenario.Event(null, false, BounceReason.Feedback, MessageKind.FeedbackReport, FeedbackTypes.Abuse, recipient: " Someone@Example.NET ");

        var result = scenario.Apply(complaint, delivery: null, scenario.Contact);

        Assert.Equal(BounceEffect.None, result.Effect);
        Assert.True(result.AwaitingMatch);
        Assert.Empty(scenario.AddedSuppressions);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(BounceEventState.AwaitingMatch, complaint.State);
    }

    [Fact]
    public void ApplyBounce_ShouldSuppressOnce_WhenAnUnmatchedComplaintIsMatchedLaterAndReplayed()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.DeliveredCampaign();
        var complaint = scenario.Event(null, false, BounceReason.Feedback, MessageKind.FeedbackReport, FeedbackTypes.Abuse);
        scenario.Apply(complaint, delivery: null);

        complaint.MatchTo(delivery.Id);
        var matched = scenario.Apply(complaint, delivery);
        var replayed = scenario.Apply(complaint, delivery);

        Assert.Equal((BounceEffect.Complaint, SuppressionReason.Complaint), (matched.Effect, matched.NewSuppression?.Reason));
        Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
        Assert.True(replayed.AlreadyApplied);
        Assert.Single(scenario.AddedSuppressions);
        Assert.Equal(BounceEventState.Applied, complaint.State);
    }

    [Theory]
    [InlineData(FeedbackTypes.OptOut)]
    [InlineData(FeedbackTypes.OptOutList)]
    [InlineData("Unsubscribe")]
    public void ApplyBounce_ShouldOptOutWithAnUnsubscribeEntry_WhenTheFeedbackReportIsAnUnsubscribe(string feedbackType)
    {
        var scenario = new RulesScenario();
        var delivery = scenario.DeliveredCampaign();

        var result = scenario.Apply(scenario.Event(delivery, false, BounceReason.Feedback, MessageKind.FeedbackReport, feedbackType), delivery);

        Assert.Equal(BounceEffect.OptedOut, result.Effect);
        Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
        var entry = Assert.IsType<SuppressionEntry>(result.NewSuppression);
        Assert.Equal(SuppressionReason.Unsubscribe, entry.Reason);
        Assert.False(entry.RequiresConfirmationToLift, "an unsubscribe lifts without the complaint confirmation");
        Assert.Contains("unsubscribe report", entry.Note, StringComparison.Ordinal);
        Assert.Contains(feedbackType, entry.Note, StringComparison.Ordinal);
        Assert.Equal(1, entry.BounceEventId);

        entry.Lift(scenario.Time.GetUtcNow(), "admin@example.org", "Asked to receive the newsletter again", complaintConfirmed: false);
        Assert.False(entry.IsActive);
    }

    [Fact]
    public void ApplyBounce_ShouldNotCompleteAStreak_WhenALateReportIsForACampaignSentBeforeADeliveredOne()
    {
        // Two soft-bounced campaigns, then a third whose delivery is still being retried, then a fourth delivered:
        // the third's late final failure is older than the delivered fourth, which already broke the streak.
        var scenario = new RulesScenario();
        scenario.SoftBouncedCampaign();
        scenario.SoftBouncedCampaign();
        var third = scenario.Send();
        scenario.Fail(third, permanent: false);
        scenario.DeliveredCampaign();

        scenario.Apply(scenario.Event(third, permanent: true, BounceReason.MailboxFull), third);

        Assert.Equal(DeliveryState.HardBounced, third.State);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(2, scenario.Contact.ConsecutiveBounces);
    }

    [Theory]
    [InlineData(MessageKind.AutoReply, BounceReason.Vacation)]
    [InlineData(MessageKind.Delay, BounceReason.Expired)]
    [InlineData(MessageKind.Unparseable, BounceReason.Undefined)]
    [InlineData(MessageKind.NotABounce, BounceReason.Undefined)]
    [InlineData(MessageKind.SuccessReport, BounceReason.Delivered)]
    public void ApplyBounce_ShouldChangeNothing_WhenMessageIsNotAFailure(MessageKind kind, BounceReason reason)
    {
        var scenario = new RulesScenario();
        scenario.SoftBouncedCampaign();
        scenario.SoftBouncedCampaign();
        var delivery = scenario.DeliveredCampaign();
        var countersBefore = (scenario.Contact.ConsecutiveSoftBounces, scenario.Contact.ConsecutiveBounces);

        // Even claiming "permanent" (and, for the failure reasons, "hard"), these kinds never change a status.
        var bounce = scenario.Event(delivery, permanent: true, reason, kind);
        var result = scenario.Apply(bounce, delivery);

        Assert.Equal(BounceEffect.None, result.Effect);
        Assert.False(result.ContactStatusChanged);
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(countersBefore, (scenario.Contact.ConsecutiveSoftBounces, scenario.Contact.ConsecutiveBounces));
        Assert.Empty(scenario.AddedSuppressions);
        Assert.True(bounce.IsApplied);
    }

    [Fact]
    public void ApplyBounce_ShouldChangeNothingTheSecondTime_WhenTheSameEventIsAppliedTwice()
    {
        var scenario = new RulesScenario(new RulesOptions { HardBounceCampaignsForConfirmedBounce = 2 });
        scenario.HardBouncedCampaign();
        var delivery = scenario.Send();
        var bounce = scenario.Event(delivery, permanent: true, BounceReason.UserUnknown);

        var first = scenario.Apply(bounce, delivery);
        var snapshot = (delivery.State, delivery.StateChangedAt, scenario.Contact.Status, scenario.Contact.ConsecutiveHardBounces, scenario.Contact.StatusChangedAt);
        scenario.Time.Advance(TimeSpan.FromHours(2));
        var second = scenario.Apply(bounce, delivery);

        Assert.False(first.AlreadyApplied);
        Assert.True(second.AlreadyApplied);
        Assert.Equal(first.Effect, second.Effect);
        Assert.Null(second.NewSuppression);
        Assert.Single(scenario.AddedSuppressions);
        Assert.Equal(snapshot, (delivery.State, delivery.StateChangedAt, scenario.Contact.Status, scenario.Contact.ConsecutiveHardBounces, scenario.Contact.StatusChangedAt));
    }

    [Fact]
    public void ApplyBounce_ShouldChangeNothing_WhenAnotherEventCarriesTheKeyTheDeliveryLastApplied()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        scenario.Apply(scenario.Event(delivery, permanent: false, BounceReason.MailboxFull, key: "mailbox:1:42"), delivery);
        var nextAttemptAt = delivery.NextAttemptAt;

        var replay = scenario.Apply(scenario.Event(delivery, permanent: true, BounceReason.UserUnknown, key: "mailbox:1:42"), delivery);

        Assert.True(replay.AlreadyApplied);
        Assert.Equal(DeliveryState.AwaitingRetry, delivery.State);
        Assert.Equal(nextAttemptAt, delivery.NextAttemptAt);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
    }

    [Fact]
    public void ApplyBounce_ShouldCountTheCampaignOnce_WhenTwoReportsArriveForTheSameDelivery()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.HardBouncedCampaign();

        var late = scenario.Fail(delivery, permanent: true, BounceReason.SpamDetected);

        Assert.Equal(BounceEffect.None, late.Effect);
        Assert.Equal(1, scenario.Contact.ConsecutiveHardBounces);
    }

    [Fact]
    public void ApplyBounce_ShouldHardBounce_WhenAPermanentReportArrivesWhileAwaitingRetry()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        scenario.Fail(delivery, permanent: false);

        var result = scenario.Fail(delivery, permanent: true, BounceReason.UserUnknown);

        Assert.Equal(BounceEffect.HardBounced, result.Effect);
        Assert.Equal(DeliveryState.HardBounced, delivery.State);
        Assert.Null(delivery.NextAttemptAt);
        Assert.Equal(ContactStatus.Error, scenario.Contact.Status);
    }

    [Fact]
    public void ApplyBounce_ShouldIgnoreATransientReport_WhenARetryIsAlreadyScheduled()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        scenario.Fail(delivery, permanent: false);
        var due = delivery.NextAttemptAt;

        var result = scenario.Fail(delivery, permanent: false);

        Assert.Equal(BounceEffect.None, result.Effect);
        Assert.Equal(due, delivery.NextAttemptAt);
    }

    [Fact]
    public void ApplyBounce_ShouldDateTheBounceByItsReport_WhenItIsAppliedLater()
    {
        // A report matched days after it arrived: an open between the two happened after the bounce, so it resets.
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        var bounce = scenario.Event(null, permanent: true, BounceReason.Blocked);
        var reportedAt = scenario.Time.GetUtcNow();
        scenario.Apply(bounce, delivery: null);
        scenario.Time.Advance(TimeSpan.FromDays(2));
        bounce.MatchTo(delivery.Id);
        scenario.Apply(bounce, delivery);
        Assert.Equal(reportedAt, scenario.Contact.LastBounceAt);

        var reset = scenario.Contact.RecordActivity(reportedAt.AddDays(1));

        Assert.True(reset);
        Assert.Equal(0, scenario.Contact.ConsecutiveHardBounces);
    }

    [Fact]
    public void ApplyBounce_ShouldChangeNoStatus_WhenTheBounceIsUnmatched()
    {
        var scenario = new RulesScenario();
        var bounce = scenario.Event(null, permanent: true, BounceReason.UserUnknown);

        var result = scenario.Apply(bounce, delivery: null);

        Assert.Equal(BounceEffect.None, result.Effect);
        Assert.True(result.AwaitingMatch);
        Assert.Empty(scenario.AddedSuppressions);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        Assert.Equal(BounceEventState.AwaitingMatch, bounce.State);
        Assert.Null(bounce.AppliedAt);
    }

    [Fact]
    public void ApplyBounce_ShouldApplyOnce_WhenAnUnmatchedBounceIsMatchedLater()
    {
        // Issue 9: the unmatched event used to be marked applied at once, so MatchTo refused it ("already applied").
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        var bounce = scenario.Event(null, permanent: true, BounceReason.UserUnknown);
        scenario.Apply(bounce, delivery: null);

        bounce.MatchTo(delivery.Id);
        var applied = scenario.Apply(bounce, delivery);
        var replayed = scenario.Apply(bounce, delivery);

        Assert.Equal((BounceEffect.HardBounced, false), (applied.Effect, applied.AlreadyApplied));
        Assert.Equal((BounceEffect.HardBounced, true), (replayed.Effect, replayed.AlreadyApplied));
        Assert.Equal(DeliveryState.HardBounced, delivery.State);
        Assert.Equal((ContactStatus.Error, ContactErrorCause.BadAddress), (scenario.Contact.Status, scenario.Contact.ErrorCause));
        Assert.Single(scenario.AddedSuppressions);
        Assert.Equal(1, scenario.Contact.ConsecutiveHardBounces);
        Assert.Throws<DomainException>(() => bounce.MatchTo(delivery.Id + 1));
    }

    [Fact]
    public void ApplyBounce_ShouldNotAddASecondEntry_WhenTheAddressIsAlreadySuppressed()
    {
        var scenario = new RulesScenario();
        var first = scenario.DeliveredCampaign();
        scenario.Apply(scenario.Event(first, false, BounceReason.Feedback, MessageKind.FeedbackReport, FeedbackTypes.Abuse), first);

        var delivery = scenario.Send();
        var result = scenario.Fail(delivery, permanent: true, BounceReason.UserUnknown);

        Assert.Equal(BounceEffect.HardBounced, result.Effect);
        Assert.Null(result.NewSuppression);
        Assert.Equal(SuppressionReason.Complaint, Assert.Single(scenario.AddedSuppressions).Reason);
        Assert.Equal(ContactStatus.OptedOut, scenario.Contact.Status);
    }

    [Fact]
    public void ApplyBounce_ShouldReplaceTheEntryInForce_WhenAComplaintArrivesForAnAddressSuppressedForAnotherReason()
    {
        var scenario = new RulesScenario();
        var hard = scenario.BadAddressCampaign();
        var hardEntry = scenario.Suppression!;

        var result = scenario.Apply(scenario.Event(hard, false, BounceReason.Feedback, MessageKind.FeedbackReport, FeedbackTypes.Abuse, key: "fbl:1"), hard);

        Assert.Equal(SuppressionReason.Complaint, result.NewSuppression?.Reason);
        Assert.False(hardEntry.IsActive);
        Assert.Equal((SuppressionEntry.SystemActor, BounceRules.SupersededByComplaint), (hardEntry.LiftedBy, hardEntry.LiftReason));
        Assert.True(scenario.Suppression!.RequiresConfirmationToLift);
    }

    [Fact]
    public void ApplyBounce_ShouldUpgradeErrorToBadAddress_WhenContactWasInErrorForSoftBounces()
    {
        var scenario = new RulesScenario();
        scenario.SoftBouncedCampaign();
        scenario.SoftBouncedCampaign();
        var third = scenario.Send();
        scenario.Accept(third);
        Assert.Equal(ContactStatus.Active, scenario.Contact.Status);
        while (third.State != DeliveryState.SoftBounced)
        {
            scenario.Fail(third, permanent: false);
            if (third.State == DeliveryState.AwaitingRetry)
            {
                scenario.Retry(third);
            }
        }

        Assert.Equal(ContactErrorCause.RepeatedSoftBounces, scenario.Contact.ErrorCause);

        // A late report for a fourth, earlier-scheduled delivery names a bad address.
        var fourth = scenario.Send();
        scenario.Fail(fourth, permanent: true, BounceReason.UserUnknown);

        Assert.Equal(ContactStatus.Error, scenario.Contact.Status);
        Assert.Equal(ContactErrorCause.BadAddress, scenario.Contact.ErrorCause);
        Assert.Equal(SuppressionReason.HardBounce, scenario.Suppression?.Reason);
    }

    [Fact]
    public void ApplyBounce_ShouldThrow_WhenTheDeliveryIsNotTheEventsDelivery()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();
        var other = scenario.Send();
        var bounce = scenario.Event(delivery, permanent: true, BounceReason.UserUnknown);

        Assert.Throws<BounceDashboard.Domain.Common.DomainException>(() => scenario.Apply(bounce, other));
    }

    [Fact]
    public void RecordAccepted_ShouldMarkDelivered_WhenRelayAccepts()
    {
        var scenario = new RulesScenario();
        var delivery = scenario.Send();

        scenario.Accept(delivery);

        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal("250 2.0.0 Ok: queued", delivery.LastSmtpReply);
        Assert.Equal(delivery.CampaignId, scenario.Contact.LastDeliveredCampaignId);
        Assert.Equal(DeliveryAttemptOutcome.Accepted, Assert.Single(delivery.Attempts).Outcome);
    }

    [Theory]
    [InlineData("active", false, null, DeliveryState.Queued)]
    [InlineData("suppressed", false, DeliverySkipReason.AddressSuppressed, DeliveryState.Skipped)]
    [InlineData("error", false, DeliverySkipReason.ContactNotActive, DeliveryState.Skipped)]
    [InlineData("active", true, null, DeliveryState.AwaitingRetry)]
    [InlineData("error", true, DeliverySkipReason.ContactNotActive, DeliveryState.SoftBounced)]
    public void StopIfUnsendable_ShouldStopOnlyUnsendableDeliveries_WhenAnAttemptIsDue(
        string contactState, bool awaitingRetry, DeliverySkipReason? expectedReason, DeliveryState expectedState)
    {
        var scenario = new RulesScenario();
        var delivery = awaitingRetry ? scenario.Send() : EntityIds.Set(Delivery.Create(500, scenario.Contact.Id, scenario.Time.GetUtcNow()), 5000);
        if (awaitingRetry)
        {
            scenario.Fail(delivery, permanent: false);
        }

        if (contactState == "error")
        {
            scenario.Contact.MarkError(ContactErrorCause.RepeatedSoftBounces, scenario.Time.GetUtcNow());
        }

        var suppression = contactState == "suppressed"
            ? SuppressionEntry.Create(scenario.Contact.Email, SuppressionReason.Manual, SuppressionSource.Admin, scenario.Time.GetUtcNow(), "admin@example.org")
            : null;
        var bouncesBefore = scenario.Contact.ConsecutiveBounces;

        var reason = scenario.Rules.StopIfUnsendable(delivery, scenario.Contact, suppression);

        Assert.Equal(expectedReason, reason);
        Assert.Equal(expectedState, delivery.State);
        Assert.Equal(bouncesBefore, scenario.Contact.ConsecutiveBounces);
        if (reason is not null)
        {
            Assert.Null(delivery.NextAttemptAt);
        }
    }
}
