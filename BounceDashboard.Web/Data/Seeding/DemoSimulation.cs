using System.Globalization;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Domain.Security;
using BounceDashboard.Domain.Suppression;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Web.Data.Seeding;

/// <summary>
/// One run of the demo: plans contacts and campaigns, then sends every campaign in time order on a simulated clock,
/// letting the domain rules decide every state change, and streams the rows to a <see cref="BulkWriter"/>.
/// Deliveries and their events are written as they finish; contacts, memberships and suppressions (which change
/// until the end) are written last.
/// </summary>
internal sealed class DemoSimulation
{
    public const int TeamSize = 5;

    private const string TeamDomain = "bouncedashboard.local";
    private const string UnsubscribeActor = "list-unsubscribe";
    private const string ImportActor = "import: legacy-esp-suppressions.csv";
    private const long MailboxUidValidity = 1_735_689_600;

    private static readonly string[] s_teamLocalParts = ["qa.lead", "marketing.ops", "deliverability", "design.review", "copy.editor"];
    private static readonly Actor s_admin = new(DemoVocabulary.AdminActor, [Roles.Admin]);

    private static readonly WeightedPicker<Profile> s_profiles = new(
    [
        (Profile.Regular, 620), (Profile.Engaged, 220), (Profile.Dormant, 80), (Profile.BadAddress, 32),
        (Profile.TypoDomain, 6), (Profile.FullMailbox, 12), (Profile.StrictFilter, 7), (Profile.Unsubscriber, 20),
        (Profile.Complainer, 3),
    ]);

    private static readonly WeightedPicker<BounceReason> s_retriedThenDelivered = new(
        [(BounceReason.SystemError, 40), (BounceReason.TooManyConn, 30), (BounceReason.Speeding, 30)]);

    private static readonly WeightedPicker<BounceReason> s_softBounces = new(
    [
        (BounceReason.MailboxFull, 45), (BounceReason.SystemError, 15), (BounceReason.TooManyConn, 15),
        (BounceReason.Speeding, 10), (BounceReason.NetworkError, 15),
    ]);

    private static readonly WeightedPicker<BounceReason> s_hardBounces = new(
    [
        (BounceReason.Blocked, 30), (BounceReason.SpamDetected, 20), (BounceReason.PolicyViolation, 12),
        (BounceReason.BadReputation, 10), (BounceReason.AuthFailure, 8), (BounceReason.Filtered, 10),
        (BounceReason.MesgTooBig, 4), (BounceReason.Suspend, 6),
    ]);

    private static readonly WeightedPicker<BounceReason> s_poorReputationBounces = new(
        [(BounceReason.Blocked, 60), (BounceReason.BadReputation, 40)]);

    private static readonly WeightedPicker<BounceReason> s_strictFilterBounces = new(
    [
        (BounceReason.Filtered, 40), (BounceReason.PolicyViolation, 25), (BounceReason.SpamDetected, 20),
        (BounceReason.Suspend, 15),
    ]);

    private readonly DemoDataSize _size;
    private readonly DateTimeOffset _now;
    private readonly SimulationClock _clock;
    private readonly BounceRules _rules;
    private readonly Reactivation _reactivation;
    private readonly DemoTables _tables;
    private readonly BulkWriter _writer;
    private readonly ILogger _logger;
    private readonly DemoRandom _random;
    private readonly RecipientDomain[] _domains;
    private readonly WeightedPicker<short> _domainPicker;
    private readonly Dictionary<int, SuppressionEntry> _activeSuppressions = [];
    private readonly List<SuppressionEntry> _suppressions = [];
    private readonly PriorityQueue<(AdminActionKind Kind, int Contact), DateTimeOffset> _adminActions = new();

    private Contact[] _contacts = [];
    private long[] _createdTicks = [];
    private short[] _domainOf = [];
    private Profile[] _profile = [];
    private short[] _primaryAudience = [];
    private short[] _secondaryAudience = [];
    private Audience[] _audiences = [];

    private long _deliveryId;
    private long _attemptId;
    private long _bounceId;
    private long _trackingId;
    private long _auditId;
    private long _mailboxUid;

    public DemoSimulation(DemoDataSize size, DateTimeOffset now, RulesOptions rulesOptions, DemoTables tables, BulkWriter writer, ILogger logger)
    {
        _size = size;
        _now = now;
        _clock = new SimulationClock(now);
        _rules = new BounceRules(rulesOptions, _clock);
        _reactivation = new Reactivation(_clock);
        _tables = tables;
        _writer = writer;
        _logger = logger;
        _random = new DemoRandom(size.Seed);
        _domains =
        [
            .. DemoVocabulary.RecipientDomains,
            .. DemoVocabulary.TypoDomains.Select(d => new RecipientDomain(d, 0, MailboxFamily.Postfix, string.Empty)),
            new RecipientDomain(TeamDomain, 0, MailboxFamily.Postfix, $"mx.{TeamDomain}"),
        ];
        _domainPicker = new WeightedPicker<short>(DemoVocabulary.RecipientDomains.Select((d, i) => ((short)i, d.Weight)));
        _writer.Register([.. tables.All]);
    }

    private enum Profile : byte
    {
        Regular,
        Engaged,
        Dormant,
        BadAddress,
        TypoDomain,
        FullMailbox,
        StrictFilter,
        Unsubscriber,
        Complainer,
    }

    private enum OutcomeKind : byte
    {
        Deliver,
        RetriedThenDelivered,
        SoftBounce,
        HardBounce,
    }

    private enum AdminActionKind : byte
    {
        Reactivate,
        Suppress,
    }

    private DateTimeOffset FirstCampaignAt => _now.AddMonths(-_size.Months);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var plans = PlanCampaigns();
        var regularCount = plans.Count(p => p.Kind == CampaignKind.Regular);
        // About ten regular campaigns per list, so a contact receives about ten campaigns a year whatever the size; at
        // least two lists, so some campaigns can go to two.
        PlanContacts(audienceCount: Math.Max(2, regularCount / 10));
        foreach (var audience in _audiences)
        {
            await _writer.AddAsync(_tables.Audiences, _tables.Audiences.RowOf(audience), cancellationToken);
        }

        PlanSuppressionsAndAdminActions();
        var regularIndex = 0;
        foreach (var plan in plans)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (plan.SendAt is { } sendAt)
            {
                await RunAdminActionsAsync(sendAt, cancellationToken);
                var audiences = plan.Kind == CampaignKind.Regular ? AudiencesOfRegular(regularIndex++) : [];
                await SendCampaignAsync(plan, audiences, cancellationToken);
            }
            else
            {
                await WriteCampaignAsync(plan.Campaign, cancellationToken);
            }
        }

        await RunAdminActionsAsync(_now, cancellationToken);
        await WriteContactsAndSuppressionsAsync(cancellationToken);
    }

    // ---- Planning ----

    private sealed record CampaignPlan(int Index, CampaignKind Kind, Brand Brand, string Theme, DateTimeOffset? SendAt, bool Finished)
    {
        public Campaign Campaign { get; set; } = null!;
    }

    /// <summary>Campaigns spread over the months up to now: sent ones, the latest still in progress, then one scheduled and one draft.</summary>
    private List<CampaignPlan> PlanCampaigns()
    {
        var total = _size.Campaigns;
        var unsent = total >= 3 ? 2 : 0;
        var sending = total - unsent;
        var start = FirstCampaignAt;
        var inProgressAt = _now.AddHours(-4);
        var lastSentAt = _now.AddDays(-2);
        var plans = new List<CampaignPlan>(total);
        for (var i = 0; i < sending; i++)
        {
            var inProgress = unsent > 0 && i == sending - 1;
            var kind = inProgress || (i % 10 != 4 && i % 7 != 3) ? CampaignKind.Regular
                : i % 10 == 4 ? CampaignKind.Test : CampaignKind.Automated;
            var slot = start + ((lastSentAt - start) * i / Math.Max(1, sending - 1));
            var jitter = TimeSpan.FromMinutes(_random.Next(-12 * 60, 12 * 60));
            var sendAt = inProgress ? inProgressAt : Min(slot + jitter, lastSentAt);
            plans.Add(new CampaignPlan(i, kind, DemoVocabulary.Brands[i % DemoVocabulary.Brands.Length], _random.Pick(DemoVocabulary.Themes), sendAt, !inProgress));
        }

        if (unsent > 0)
        {
            var scheduled = new CampaignPlan(sending, CampaignKind.Regular, DemoVocabulary.Brands[0], _random.Pick(DemoVocabulary.Themes), null, false);
            scheduled.Campaign = NewCampaign(scheduled, _now.AddDays(-1), [1, 2]);
            scheduled.Campaign.Schedule(_now.AddDays(3), _now.AddDays(-1));
            var draft = new CampaignPlan(sending + 1, CampaignKind.Regular, DemoVocabulary.Brands[1], _random.Pick(DemoVocabulary.Themes), null, false);
            draft.Campaign = NewCampaign(draft, _now.AddHours(-3), [1]);
            plans.Add(scheduled);
            plans.Add(draft);
        }

        return plans;
    }

    /// <summary>
    /// The lists (indexes into the audiences) a regular campaign goes to: the lists in turn, and every third campaign
    /// also the next list, so some campaigns reach two audiences (a contact on both gets one message).
    /// </summary>
    private int[] AudiencesOfRegular(int regularIndex)
    {
        var first = regularIndex % _audiences.Length;
        return regularIndex % 3 == 2 ? [first, (first + 1) % _audiences.Length] : [first];
    }

    private static Campaign NewCampaign(CampaignPlan plan, DateTimeOffset createdAt, IEnumerable<long> audienceIds)
    {
        var month = (plan.SendAt ?? createdAt).ToString("MMM yyyy", CultureInfo.InvariantCulture);
        var name = plan.Kind switch
        {
            CampaignKind.Test => $"[Test] {plan.Brand.Name}: {plan.Theme}",
            CampaignKind.Automated => $"{plan.Brand.Name} welcome series ({(plan.SendAt ?? createdAt).ToString("d MMM yyyy", CultureInfo.InvariantCulture)})",
            _ => $"{plan.Brand.Name}: {plan.Theme} ({month})",
        };
        var subject = plan.Kind == CampaignKind.Automated ? $"Welcome to {plan.Brand.Name}" : $"{plan.Theme}: picked for you this {month}";
        var campaign = Campaign.Create(name, plan.Kind, plan.Brand.FromAddress, subject, createdAt, audienceIds);
        campaign.SetContent(
            plan.Brand.Name,
            $"<html><body><h1>{plan.Theme}</h1><p>Picked for you by {plan.Brand.Name}.</p><p><a href=\"{plan.Brand.WebSite}\">Shop now</a></p></body></html>",
            $"{plan.Theme}\n\nPicked for you by {plan.Brand.Name}: {plan.Brand.WebSite}\n");
        return EntityIds<Campaign>.Assign(campaign, plan.Index + 1);
    }

    /// <summary>Contacts in creation order (ids grow with time): most existed before the first campaign, the rest joined since.</summary>
    private void PlanContacts(int audienceCount)
    {
        var count = _size.Contacts;
        var start = FirstCampaignAt;
        var origin = start.AddYears(-2);
        _createdTicks = new long[count];
        for (var c = 0; c < count; c++)
        {
            _createdTicks[c] = c < TeamSize
                ? origin.AddDays(c).UtcTicks
                : (_random.Chance(0.75) ? _random.Between(origin, start) : _random.Between(start, _now.AddHours(-1))).UtcTicks;
        }

        Array.Sort(_createdTicks, TeamSize, count - TeamSize);

        _audiences = new Audience[audienceCount];
        for (var a = 0; a < audienceCount; a++)
        {
            var name = a < DemoVocabulary.AudienceNames.Length
                ? DemoVocabulary.AudienceNames[a]
                : $"{DemoVocabulary.AudienceNames[a % DemoVocabulary.AudienceNames.Length]} {(a / DemoVocabulary.AudienceNames.Length) + 1}";
            _audiences[a] = EntityIds<Audience>.Assign(Audience.Create(name, origin, $"Demo list {a + 1} of {audienceCount}"), a + 1);
        }

        var audiencePicker = new WeightedPicker<short>(Enumerable.Range(0, audienceCount).Select(a => ((short)a, (int)(1000 / Math.Sqrt(a + 1)))));
        _contacts = new Contact[count];
        _domainOf = new short[count];
        _profile = new Profile[count];
        _primaryAudience = new short[count];
        _secondaryAudience = new short[count];
        for (var c = 0; c < count; c++)
        {
            var created = new DateTimeOffset(_createdTicks[c], TimeSpan.Zero);
            string email;
            string displayName;
            if (c < TeamSize)
            {
                _profile[c] = Profile.Engaged;
                _domainOf[c] = (short)(_domains.Length - 1);
                _primaryAudience[c] = -1;
                _secondaryAudience[c] = -1;
                email = $"{s_teamLocalParts[c]}@{TeamDomain}";
                displayName = $"Team {s_teamLocalParts[c]}";
            }
            else
            {
                var profile = s_profiles.Pick(_random);
                _profile[c] = profile;
                _domainOf[c] = profile == Profile.TypoDomain
                    ? (short)(DemoVocabulary.RecipientDomains.Length + _random.Next(DemoVocabulary.TypoDomains.Length))
                    : _domainPicker.Pick(_random);
                _primaryAudience[c] = audiencePicker.Pick(_random);
                var secondary = audienceCount > 1 && _random.Chance(0.12) ? audiencePicker.Pick(_random) : (short)-1;
                _secondaryAudience[c] = secondary == _primaryAudience[c] ? (short)-1 : secondary;
                (email, displayName) = PersonFor(c + 1, _domains[_domainOf[c]].Name);
            }

            _contacts[c] = EntityIds<Contact>.Assign(Contact.Create(email, created, displayName), c + 1);
        }
    }

    private (string Email, string DisplayName) PersonFor(long id, string domain)
    {
        var first = _random.Pick(DemoVocabulary.FirstNames);
        var last = _random.Pick(DemoVocabulary.LastNames);
        var local = _random.Next(4) switch
        {
            0 => $"{first}.{last}{id}",
            1 => $"{first[0]}{last}{id}",
            2 => $"{first}_{last}{id}",
            _ => $"{last}.{first}{id}",
        };
        return ($"{local}@{domain}", $"{Capitalize(first)} {Capitalize(last)}");
    }

    private static string Capitalize(string name) => string.Concat(char.ToUpperInvariant(name[0]).ToString(), name[1..]);

    /// <summary>Addresses imported from a former provider's list, manual suppressions by an admin, spread over the period.</summary>
    private void PlanSuppressionsAndAdminActions()
    {
        var importedAt = FirstCampaignAt.AddDays(-7);
        var existing = CountCreatedBefore(importedAt);
        for (var c = TeamSize; c < existing; c++)
        {
            if (_random.Chance(0.003))
            {
                AddSuppression(c, SuppressionEntry.Create(
                    _contacts[c].Email, SuppressionReason.Imported, SuppressionSource.Import, importedAt, ImportActor, "Suppressed at the previous email provider"));
            }
        }

        var manual = Math.Max(1, _size.Contacts / 3000);
        for (var i = 0; i < manual; i++)
        {
            var c = _random.Next(TeamSize, _size.Contacts);
            var from = Max(new DateTimeOffset(_createdTicks[c], TimeSpan.Zero), FirstCampaignAt);
            _adminActions.Enqueue((AdminActionKind.Suppress, c), _random.Between(from, _now));
        }
    }

    private int CountCreatedBefore(DateTimeOffset at)
    {
        var index = Array.BinarySearch(_createdTicks, TeamSize, _createdTicks.Length - TeamSize, at.UtcTicks);
        return index >= 0 ? index : ~index;
    }

    // ---- Sending ----

    private async Task SendCampaignAsync(CampaignPlan plan, int[] audiences, CancellationToken cancellationToken)
    {
        var sendAt = plan.SendAt!.Value;
        var recipients = RecipientsOf(plan.Kind, audiences, sendAt);
        var spread = TimeSpan.FromHours(Math.Clamp(recipients.Count / 60_000.0, 0.25, 3.5));
        plan.Campaign = NewCampaign(plan, sendAt.AddDays(-2), audiences.Select(a => _audiences[a].Id));
        plan.Campaign.Schedule(sendAt, sendAt.AddDays(-2));
        plan.Campaign.StartSending(sendAt);
        plan.Campaign.MarkDeliveriesQueued(sendAt);

        for (var j = 0; j < recipients.Count; j++)
        {
            var firstAttemptAt = sendAt + (spread * j / recipients.Count);
            await SimulateDeliveryAsync(plan, recipients[j], firstAttemptAt, cancellationToken);
        }

        await AddUnmatchedEventsAsync(plan, recipients.Count, cancellationToken);
        if (plan.Finished)
        {
            plan.Campaign.MarkSent(sendAt + spread);
        }

        await WriteCampaignAsync(plan.Campaign, cancellationToken);
        if (recipients.Count >= 10_000)
        {
            _logger.LogInformation("Campaign {Index}/{Total} sent to {Recipients} contacts ({Deliveries} deliveries so far)", plan.Index + 1, _size.Campaigns, recipients.Count, _deliveryId);
        }
    }

    /// <summary>The campaign's row and one row per audience it goes to.</summary>
    private async Task WriteCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        await _writer.AddAsync(_tables.Campaigns, _tables.Campaigns.RowOf(campaign), cancellationToken);
        var table = _tables.CampaignAudiences;
        foreach (var audienceId in campaign.AudienceIds)
        {
            var row = table.NewRow();
            row[table.Ordinal(nameof(CampaignAudience.CampaignId))] = campaign.Id;
            row[table.Ordinal(nameof(CampaignAudience.AudienceId))] = audienceId;
            await _writer.AddAsync(table, row, cancellationToken);
        }
    }

    /// <summary>Contact indexes a campaign goes to; for a regular one each contact on any of its lists, once.</summary>
    private List<int> RecipientsOf(CampaignKind kind, int[] audiences, DateTimeOffset sendAt)
    {
        var existing = CountCreatedBefore(sendAt);
        var recipients = new List<int>();
        switch (kind)
        {
            case CampaignKind.Test:
                recipients.AddRange(Enumerable.Range(0, TeamSize));
                break;
            case CampaignKind.Automated:
                for (var c = CountCreatedBefore(sendAt.AddDays(-14)); c < existing; c++)
                {
                    recipients.Add(c);
                }

                break;
            case CampaignKind.Regular:
                for (var c = TeamSize; c < existing; c++)
                {
                    if (Array.IndexOf(audiences, (int)_primaryAudience[c]) >= 0 || Array.IndexOf(audiences, (int)_secondaryAudience[c]) >= 0)
                    {
                        recipients.Add(c);
                    }
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown campaign kind {kind}.");
        }

        return recipients;
    }

    private readonly record struct Outcome(OutcomeKind Kind, BounceReason Reason, int Failures, bool ViaDsn);

    private Outcome DrawOutcome(Profile profile, RecipientDomain domain, string sendingIp)
    {
        var acceptsThenReports = domain.Family is MailboxFamily.Postfix or MailboxFamily.Exchange;
        switch (profile)
        {
            case Profile.BadAddress:
                var x = _random.NextDouble();
                var reason = x < 0.88 ? BounceReason.UserUnknown : x < 0.96 ? BounceReason.HasMoved : BounceReason.NotAccept;
                return new Outcome(OutcomeKind.HardBounce, reason, 0, acceptsThenReports && _random.Chance(0.5));
            case Profile.TypoDomain:
                // Our own relay cannot resolve the domain: it accepts, then reports the failure a moment later.
                return new Outcome(OutcomeKind.HardBounce, BounceReason.HostUnknown, 0, true);
            case Profile.FullMailbox when _random.Chance(0.85):
                return new Outcome(OutcomeKind.SoftBounce, BounceReason.MailboxFull, 0, false);
            case Profile.StrictFilter when _random.Chance(0.8):
                return new Outcome(OutcomeKind.HardBounce, s_strictFilterBounces.Pick(_random), 0, acceptsThenReports && _random.Chance(0.4));
            case Profile.FullMailbox or Profile.StrictFilter:
                return new Outcome(OutcomeKind.Deliver, BounceReason.Undefined, 0, false);
            default:
                break;
        }

        var r = _random.NextDouble();
        if (r < 0.02)
        {
            return new Outcome(OutcomeKind.RetriedThenDelivered, s_retriedThenDelivered.Pick(_random), 1 + _random.Next(2), false);
        }

        r -= 0.02;
        if (r < 0.004)
        {
            return new Outcome(OutcomeKind.SoftBounce, s_softBounces.Pick(_random), 0, false);
        }

        r -= 0.004;
        var poorReputation = string.Equals(sendingIp, DemoVocabulary.PoorReputationIp, StringComparison.Ordinal)
            && domain.Family is MailboxFamily.Google or MailboxFamily.Microsoft or MailboxFamily.Yahoo;
        if (r < (poorReputation ? 0.02 : 0.0025))
        {
            var hard = poorReputation ? s_poorReputationBounces.Pick(_random) : s_hardBounces.Pick(_random);
            return new Outcome(OutcomeKind.HardBounce, hard, 0, acceptsThenReports && _random.Chance(0.35));
        }

        return new Outcome(OutcomeKind.Deliver, BounceReason.Undefined, 0, false);
    }

    private async Task SimulateDeliveryAsync(CampaignPlan plan, int c, DateTimeOffset firstAttemptAt, CancellationToken cancellationToken)
    {
        var contact = _contacts[c];
        var sendAt = plan.SendAt!.Value;
        var delivery = EntityIds<Delivery>.Assign(Delivery.Create(plan.Campaign.Id, contact.Id, sendAt), ++_deliveryId);
        _activeSuppressions.TryGetValue(c, out var suppression);
        if (Sendability.SkipReasonFor(contact, suppression) is { } skip)
        {
            delivery.Skip(skip, sendAt);
            await WriteDeliveryAsync(delivery, cancellationToken);
            return;
        }

        var domain = _domains[_domainOf[c]];
        var ip = plan.Brand.SendingIps[(c + plan.Index) % plan.Brand.SendingIps.Count];
        var outcome = DrawOutcome(_profile[c], domain, ip);
        var messageId = string.Create(CultureInfo.InvariantCulture, $"<{plan.Campaign.Id:x}.{delivery.Id:x}@{plan.Campaign.FromDomain}>");
        var relay = DemoVocabulary.Relays[delivery.Id % DemoVocabulary.Relays.Length];
        var attemptAt = firstAttemptAt;
        while (true)
        {
            _clock.Now = attemptAt;
            delivery.BeginAttempt(attemptAt, messageId, ip, relay);
            var attemptId = EntityIds<DeliveryAttempt>.Assign(delivery.Attempts.Last(), ++_attemptId).Id;
            var fails = outcome.Kind switch
            {
                OutcomeKind.Deliver => false,
                OutcomeKind.RetriedThenDelivered => delivery.AttemptCount <= outcome.Failures,
                _ => true,
            };
            if (!fails)
            {
                Accept(delivery, contact, domain, attemptAt);
                break;
            }

            var permanent = outcome.Kind == OutcomeKind.HardBounce;
            var text = DemoVocabulary.FailureFor(outcome.Reason, permanent, domain, contact.Email, ip);
            BounceEvent bounce;
            if (outcome.ViaDsn)
            {
                Accept(delivery, contact, domain, attemptAt);
                var mean = outcome.Reason == BounceReason.HostUnknown ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(30);
                var reportAt = _clock.Now + TimeSpan.FromSeconds(5) + _random.Exponential(mean, TimeSpan.FromHours(20));
                if (reportAt > _now)
                {
                    break;
                }

                _clock.Now = reportAt;
                var item = NextMailboxItem();
                bounce = NewBounce(BounceSource.Mailbox, MessageKind.Bounce, contact.Email, outcome.Reason, permanent, text, DemoVocabulary.DsnRule, null, item, delivery.Id, attemptId);
            }
            else
            {
                _clock.Now = attemptAt + TimeSpan.FromSeconds(1 + _random.Next(4));
                var item = string.Create(CultureInfo.InvariantCulture, $"{delivery.Id}/{delivery.AttemptCount}");
                bounce = NewBounce(BounceSource.SmtpResponse, MessageKind.Bounce, contact.Email, outcome.Reason, permanent, text, DemoVocabulary.SmtpRule, null, item, delivery.Id, attemptId);
            }

            await ApplyAsync(bounce, delivery, c, plan, cancellationToken);
            if (delivery.State != DeliveryState.AwaitingRetry || delivery.NextAttemptAt is not { } next || next > _now)
            {
                break;
            }

            attemptAt = next;
        }

        if (delivery.State == DeliveryState.Delivered)
        {
            await EngageAsync(plan, delivery, c, domain, cancellationToken);
        }

        await WriteDeliveryAsync(delivery, cancellationToken);
    }

    private void Accept(Delivery delivery, Contact contact, RecipientDomain domain, DateTimeOffset attemptAt)
    {
        _clock.Now = attemptAt + TimeSpan.FromMilliseconds(300 + _random.Next(2700));
        _rules.RecordAccepted(delivery, contact, DemoVocabulary.AcceptedReply(domain.Family, delivery.Id));
    }

    /// <summary>Opens, clicks, unsubscribes, complaints and auto-replies after a message was accepted.</summary>
    private async Task EngageAsync(CampaignPlan plan, Delivery delivery, int c, RecipientDomain domain, CancellationToken cancellationToken)
    {
        var contact = _contacts[c];
        var acceptedAt = delivery.StateChangedAt;
        var (openRate, clickRate) = _profile[c] switch
        {
            Profile.Engaged => (0.55, 0.3),
            Profile.Regular or Profile.BadAddress => (0.16, 0.15),
            Profile.Unsubscriber => (0.2, 0.1),
            Profile.Complainer => (0.12, 0.05),
            Profile.Dormant => (0.01, 0.05),
            _ => (0.1, 0.1),
        };

        if (_random.Chance(openRate))
        {
            var openAt = acceptedAt + TimeSpan.FromSeconds(30) + _random.Exponential(TimeSpan.FromHours(5), TimeSpan.FromDays(5));
            if (openAt <= _now)
            {
                await TrackAsync(TrackingEvent.Open(delivery.Id, openAt), delivery, contact, cancellationToken);
                if (_random.Chance(clickRate))
                {
                    var clickAt = openAt + TimeSpan.FromSeconds(5 + _random.Next(1800));
                    if (clickAt <= _now)
                    {
                        var url = $"{plan.Brand.WebSite}{_random.Pick(DemoVocabulary.LinkPaths)}?utm_source=email&utm_campaign=c{plan.Campaign.Id}";
                        await TrackAsync(TrackingEvent.Click(delivery.Id, url, clickAt), delivery, contact, cancellationToken);
                    }
                }

                var againAt = openAt + _random.Exponential(TimeSpan.FromDays(1), TimeSpan.FromDays(10));
                if (_random.Chance(0.3) && againAt <= _now)
                {
                    await TrackAsync(TrackingEvent.Open(delivery.Id, againAt), delivery, contact, cancellationToken);
                }

                if (_profile[c] == Profile.Unsubscriber && _random.Chance(0.25) && contact.Status == ContactStatus.Active)
                {
                    var at = openAt + TimeSpan.FromMinutes(2);
                    contact.OptOut(at);
                    if (!_activeSuppressions.ContainsKey(c))
                    {
                        AddSuppression(c, SuppressionEntry.Create(contact.Email, SuppressionReason.Unsubscribe, SuppressionSource.Api, at, UnsubscribeActor));
                    }
                }
            }
        }

        if (_profile[c] == Profile.Complainer && _random.Chance(0.4))
        {
            var at = acceptedAt + TimeSpan.FromMinutes(10) + _random.Exponential(TimeSpan.FromHours(6), TimeSpan.FromDays(3));
            if (at <= _now)
            {
                _clock.Now = at;
                var text = new FailureText(null, null, $"Feedback-Type: {FeedbackTypes.Abuse}; User-Agent: {domain.Name} feedback loop", $"fbl.{domain.Name}");
                var bounce = NewBounce(BounceSource.Mailbox, MessageKind.FeedbackReport, contact.Email, BounceReason.Feedback, false, text, DemoVocabulary.ArfRule, FeedbackTypes.Abuse, NextMailboxItem(), delivery.Id);
                await ApplyAsync(bounce, delivery, c, plan, cancellationToken);
            }
        }
        else if (_random.Chance(0.004))
        {
            _clock.Now = acceptedAt + TimeSpan.FromMinutes(1 + _random.Next(10));
            if (_clock.Now <= _now)
            {
                var text = new FailureText(null, null, "I am out of the office until next Monday with limited access to email.", domain.Mx);
                var bounce = NewBounce(BounceSource.Mailbox, MessageKind.AutoReply, contact.Email, BounceReason.Vacation, false, text, DemoVocabulary.AutoReplyRule, null, NextMailboxItem(), delivery.Id);
                await ApplyAsync(bounce, delivery, c, plan, cancellationToken);
            }
        }
    }

    /// <summary>Reports nobody could match (a forwarded address, a mangled token) and messages nobody could read: the review queue.</summary>
    private async Task AddUnmatchedEventsAsync(CampaignPlan plan, int recipients, CancellationToken cancellationToken)
    {
        var count = (int)Math.Round(recipients * 0.0015);
        for (var i = 0; i < count; i++)
        {
            _clock.Now = plan.SendAt!.Value + _random.Exponential(TimeSpan.FromHours(8), TimeSpan.FromDays(3));
            if (_clock.Now > _now)
            {
                continue;
            }

            BounceEvent bounce;
            if (_random.Chance(0.8))
            {
                var domain = _domains[_domainPicker.Pick(_random)];
                var address = $"{_random.Pick(DemoVocabulary.FirstNames)}.{_random.Pick(DemoVocabulary.LastNames)}.old@{domain.Name}";
                var text = DemoVocabulary.FailureFor(BounceReason.UserUnknown, true, domain, address, plan.Brand.SendingIps[0]);
                bounce = NewBounce(BounceSource.Mailbox, MessageKind.Bounce, address, BounceReason.UserUnknown, true, text, DemoVocabulary.DsnRule, null, NextMailboxItem(), null);
            }
            else
            {
                var text = new FailureText(null, null, "No delivery-status part and no recognisable failure text (truncated multipart body)", null);
                bounce = NewBounce(BounceSource.Mailbox, MessageKind.Unparseable, null, BounceReason.Undefined, false, text, "unparseable", null, NextMailboxItem(), null);
            }

            await WriteBounceAsync(bounce, null, cancellationToken);
        }
    }

    private string NextMailboxItem() =>
        string.Create(CultureInfo.InvariantCulture, $"bounces/{MailboxUidValidity}/{++_mailboxUid}");

    private BounceEvent NewBounce(
        BounceSource source,
        MessageKind kind,
        string? recipient,
        BounceReason reason,
        bool permanent,
        FailureText text,
        string rule,
        string? feedbackType,
        string itemKey,
        long? deliveryId,
        long? deliveryAttemptId = null)
    {
        var bounce = BounceEvent.Create(
            source,
            kind,
            recipient,
            reason,
            permanent,
            text.Status,
            text.ReplyCode,
            text.Diagnostic,
            text.RemoteMta,
            rule,
            feedbackType,
            _clock.Now,
            BounceEvent.KeyFor(source, itemKey, recipient),
            deliveryId,
            source == BounceSource.Mailbox ? itemKey : null,
            deliveryAttemptId);
        return EntityIds<BounceEvent>.Assign(bounce, ++_bounceId);
    }

    private async Task ApplyAsync(BounceEvent bounce, Delivery delivery, int c, CampaignPlan plan, CancellationToken cancellationToken)
    {
        var contact = _contacts[c];
        _activeSuppressions.TryGetValue(c, out var suppression);
        var result = _rules.ApplyBounce(bounce, delivery, contact, suppression);
        if (result.NewSuppression is { } entry)
        {
            AddSuppression(c, entry);
        }

        // Now and then support confirms that a bad address works again and an admin reactivates it.
        if (result.ContactStatusChanged && contact is { Status: ContactStatus.Error, ErrorCause: ContactErrorCause.BadAddress }
            && _profile[c] == Profile.BadAddress && _random.Chance(0.04))
        {
            _adminActions.Enqueue((AdminActionKind.Reactivate, c), _clock.Now + TimeSpan.FromHours(2 + _random.Next(24 * 30)));
        }

        await WriteBounceAsync(bounce, (plan.Campaign, delivery.SendingIp), cancellationToken);
    }

    private async Task TrackAsync(TrackingEvent tracking, Delivery delivery, Contact contact, CancellationToken cancellationToken)
    {
        EntityIds<TrackingEvent>.Assign(tracking, ++_trackingId);
        BounceRules.ApplyTracking(tracking, delivery, contact);
        await _writer.AddAsync(_tables.TrackingEvents, _tables.TrackingEvents.RowOf(tracking), cancellationToken);
    }

    private void AddSuppression(int c, SuppressionEntry entry)
    {
        _activeSuppressions[c] = entry;
        _suppressions.Add(entry);
    }

    private async Task RunAdminActionsAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (_adminActions.TryPeek(out var action, out var at) && at <= until)
        {
            _adminActions.Dequeue();
            _clock.Now = at;
            var (kind, c) = action;
            var contact = _contacts[c];
            _activeSuppressions.TryGetValue(c, out var suppression);
            AuditLogEntry? audit = null;
            if (kind == AdminActionKind.Reactivate && suppression is not null && contact.Status != ContactStatus.Active)
            {
                audit = _reactivation.Reactivate(contact, suppression, s_admin, "The customer confirmed by phone that the address works again", complaintConfirmed: false).Audit;
                _activeSuppressions.Remove(c);
                _profile[c] = Profile.Regular;
            }
            else if (kind == AdminActionKind.Suppress && suppression is null)
            {
                const string reason = "Asked support to stop all mail to this address";
                AddSuppression(c, SuppressionEntry.Create(contact.Email, SuppressionReason.Manual, SuppressionSource.Admin, at, DemoVocabulary.AdminActor, reason));
                audit = AuditLogEntry.Record(at, DemoVocabulary.AdminActor, AuditAction.SuppressAddress, contact.Email, reason);
            }

            if (audit is not null)
            {
                EntityIds<AuditLogEntry>.Assign(audit, ++_auditId);
                await _writer.AddAsync(_tables.AuditLogEntries, _tables.AuditLogEntries.RowOf(audit), cancellationToken);
            }
        }
    }

    // ---- Writing ----

    private async Task WriteDeliveryAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        await _writer.AddAsync(_tables.Deliveries, _tables.Deliveries.RowOf(delivery), cancellationToken);
        foreach (var attempt in delivery.Attempts)
        {
            // Ids were given when each attempt started, so bounce events could name the attempt they report.
            await _writer.AddAsync(_tables.DeliveryAttempts, _tables.DeliveryAttempts.RowOf(attempt), cancellationToken);
        }
    }

    private async Task WriteBounceAsync(BounceEvent bounce, (Campaign Campaign, string? SendingIp)? origin, CancellationToken cancellationToken)
    {
        var row = _tables.BounceEvents.RowOf(bounce);
        if (origin is var (campaign, sendingIp))
        {
            row[_tables.BounceCampaignId] = campaign.Id;
            row[_tables.BounceSendingDomain] = campaign.FromDomain;
            row[_tables.BounceSendingIp] = sendingIp;
        }

        await _writer.AddAsync(_tables.BounceEvents, row, cancellationToken);
    }

    private async Task WriteContactsAndSuppressionsAsync(CancellationToken cancellationToken)
    {
        for (var c = 0; c < _contacts.Length; c++)
        {
            var contact = _contacts[c];
            await _writer.AddAsync(_tables.Contacts, _tables.Contacts.RowOf(contact), cancellationToken);
            await AddMemberAsync(_primaryAudience[c], contact, cancellationToken);
            await AddMemberAsync(_secondaryAudience[c], contact, cancellationToken);
        }

        for (var i = 0; i < _suppressions.Count; i++)
        {
            EntityIds<SuppressionEntry>.Assign(_suppressions[i], i + 1);
            await _writer.AddAsync(_tables.SuppressionEntries, _tables.SuppressionEntries.RowOf(_suppressions[i]), cancellationToken);
        }
    }

    private async Task AddMemberAsync(short audience, Contact contact, CancellationToken cancellationToken)
    {
        if (audience >= 0)
        {
            var member = AudienceMember.Create(_audiences[audience].Id, contact.Id, contact.CreatedAt);
            await _writer.AddAsync(_tables.AudienceMembers, _tables.AudienceMembers.RowOf(member), cancellationToken);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
