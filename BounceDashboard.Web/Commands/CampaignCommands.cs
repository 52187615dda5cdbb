using System.Security.Claims;
using BounceDashboard.Domain.Audit;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Contacts;
using BounceDashboard.Domain.Deliveries;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Mail;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>What starting a campaign did.</summary>
/// <param name="CampaignId">The campaign (for a test send, the new test campaign).</param>
/// <param name="State">Its state afterwards.</param>
/// <param name="DeliveriesCreated">Deliveries created by this call (0 when run again).</param>
public sealed record StartResult(long CampaignId, CampaignState State, int DeliveriesCreated);

/// <summary>
/// Starting, pausing and resuming campaigns, and test sends. Starting is safe to run twice (the send job may be
/// retried): it creates only the deliveries still missing, one per contact on any of the campaign's audiences (a contact
/// on several gets one), in batches, then marks the campaign's deliveries as all queued. Sendability is not decided here but when each delivery is claimed for sending
/// (<see cref="DeliveryCommands.ClaimAsync"/>), so a contact suppressed after the start is still not mailed.
/// Campaigns are a marketer's work: Admins and Marketers may start, pause and resume them.
/// </summary>
public sealed class CampaignCommands(DbCommandRunner runner, TimeProvider time, ILogger<CampaignCommands> logger)
{
    /// <summary>Deliveries created per transaction.</summary>
    public const int DeliveryBatchSize = 2000;

    /// <summary>Most addresses one test send may name.</summary>
    public const int MaxTestRecipients = 25;

    /// <summary>
    /// Draft or Scheduled → InProgress: stores the campaign's links (numbered as the message template finds them),
    /// creates a delivery per audience member and marks them all queued. A campaign already in progress or paused gets
    /// its missing deliveries; a sent one is left alone.
    /// </summary>
    /// <exception cref="DomainException">The campaign does not exist, has no body, or its HTML has a link that cannot be tracked.</exception>
    public async Task<StartResult> StartAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        var state = await runner.RunAsync(
            "StartCampaign",
            async (db, _, ct) =>
            {
                var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, ct)
                    ?? throw new DomainException($"Campaign {campaignId} does not exist.");
                if (campaign.State is CampaignState.Draft or CampaignState.Scheduled)
                {
                    var template = CampaignMessageTemplate.Compile(ContentOf(campaign), time);
                    campaign.StartSending(time.GetUtcNow());
                    db.CampaignLinks.AddRange(CampaignLink.ForCampaign(campaign.Id, template.Links));
                    await db.SaveChangesAsync(ct);
                    logger.LogInformation("Campaign {CampaignId} started with {Links} tracked links", campaign.Id, template.Links.Count);
                    return (campaign, true);
                }

                return (campaign, false);
            },
            cancellationToken);

        if (state.State == CampaignState.Sent || state.DeliveriesQueuedAt is not null)
        {
            return new StartResult(campaignId, state.State, 0);
        }

        var audienceIds = state.AudienceIds;
        var created = audienceIds.Count > 0 ? await CreateDeliveriesAsync(campaignId, audienceIds, cancellationToken) : 0;
        var final = await runner.RunAsync(
            "QueueCampaign",
            async (db, _, ct) =>
            {
                var campaign = await db.Campaigns.SingleAsync(c => c.Id == campaignId, ct);
                campaign.MarkDeliveriesQueued(time.GetUtcNow());
                await db.SaveChangesAsync(ct);
                return (campaign.State, true);
            },
            cancellationToken);
        logger.LogInformation("Campaign {CampaignId}: {Created} deliveries queued", campaignId, created);
        return new StartResult(campaignId, final, created);
    }

    /// <summary>
    /// Starts every Scheduled campaign whose time has come (<see cref="StartAsync"/> each; one that cannot start, say
    /// with no body, is logged and left Scheduled). Returns the ids started.
    /// </summary>
    public async Task<IReadOnlyList<long>> StartDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var due = await runner.RunAsync(
            nameof(StartDueAsync),
            async (db, _, ct) => ((IReadOnlyList<long>)await db.Campaigns
                .Where(c => c.State == CampaignState.Scheduled && c.ScheduledFor <= now)
                .OrderBy(c => c.ScheduledFor)
                .Select(c => c.Id)
                .ToListAsync(ct), false),
            cancellationToken);
        var started = new List<long>();
        foreach (var id in due)
        {
            try
            {
                await StartAsync(id, cancellationToken);
                started.Add(id);
            }
            catch (DomainException ex)
            {
                logger.LogError("Scheduled campaign {CampaignId} could not start: {Error}", id, ex.Message);
            }
        }

        return started;
    }

    /// <summary>
    /// A new Draft campaign to a new audience of <paramref name="addresses"/> (contacts are created for addresses not yet
    /// known; known ones keep their status, so a suppressed address stays unsent). Every address is checked before anything
    /// is written: a malformed one changes nothing. Returns the campaign's id.
    /// </summary>
    /// <exception cref="DomainException">A malformed address, no address, or content the campaign refuses.</exception>
    public async Task<long> CreateAsync(string name, CampaignContent content, IReadOnlyCollection<string> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(addresses);
        var normalized = addresses.Select(EmailAddress.Normalize).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.Count == 0)
        {
            throw new DomainException("A campaign needs at least one address.");
        }

        // The content is checked before anything is written; the campaign's own checks (name, lengths) run inside the
        // transaction, which a refusal rolls back.
        CampaignMessageTemplate.Compile(content, time);
        var now = time.GetUtcNow();
        return await runner.RunAsync(
            "CreateCampaign",
            async (db, _, ct) =>
            {
                var audience = Audience.Create(name, now, $"{normalized.Count} addresses given when the campaign was created");
                db.Audiences.Add(audience);
                await db.SaveChangesAsync(ct);
                foreach (var chunk in normalized.Chunk(DeliveryBatchSize))
                {
                    var ids = await ContactIdsForAsync(db, chunk, now, ct);
                    db.AudienceMembers.AddRange(ids.Select(id => AudienceMember.Create(audience.Id, id, now)));
                    await db.SaveChangesAsync(ct);
                    db.ChangeTracker.Clear();
                }

                var campaign = Campaign.Create(name, CampaignKind.Regular, content.FromAddress, content.Subject, now, [audience.Id]);
                campaign.SetContent(content.FromName, content.HtmlBody, content.TextBody);
                db.Campaigns.Add(campaign);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Campaign {CampaignId} created for audience {AudienceId} of {Count} addresses", campaign.Id, audience.Id, normalized.Count);
                return (campaign.Id, true);
            },
            cancellationToken);
    }

    /// <summary>
    /// A test send: a new campaign of kind Test with the source campaign's content, sent to the named addresses only
    /// (contacts are created for addresses not yet known), and started at once. It stays out of the source campaign's
    /// and the audience's statistics.
    /// </summary>
    /// <exception cref="DomainException">No address, too many, or a malformed one.</exception>
    public async Task<StartResult> SendTestAsync(long sourceCampaignId, IReadOnlyCollection<string> addresses, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var actor = SignedInStaff(user, "send a test");
        var normalized = addresses.Select(EmailAddress.Normalize).Distinct(StringComparer.Ordinal).ToList();
        if (normalized.Count is 0 or > MaxTestRecipients)
        {
            throw new DomainException($"A test send goes to 1 to {MaxTestRecipients} addresses, not {normalized.Count}.");
        }

        var testId = await runner.RunAsync(
            "CreateTestSend",
            async (db, _, ct) =>
            {
                var source = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == sourceCampaignId, ct)
                    ?? throw new DomainException($"Campaign {sourceCampaignId} does not exist.");

                // Checked before anything is written: a test of a campaign that cannot be sent leaves nothing behind.
                CampaignMessageTemplate.Compile(ContentOf(source), time);
                var now = time.GetUtcNow();
                var name = $"Test of {source.Name}";
                name = name.Length > Campaign.NameMaxLength ? name[..Campaign.NameMaxLength] : name;
                var test = Campaign.Create(name, CampaignKind.Test, source.FromAddress, source.Subject, now);
                test.SetContent(source.FromName, source.HtmlBody, source.TextBody);
                db.Campaigns.Add(test);

                await db.SaveChangesAsync(ct);
                var ids = await ContactIdsForAsync(db, normalized, now, ct);
                db.Deliveries.AddRange(ids.Select(id => Delivery.Create(test.Id, id, now)));
                await db.SaveChangesAsync(ct);
                logger.LogInformation("{Actor} created test send {TestCampaignId} of campaign {CampaignId} to {Count} addresses", actor.Name, test.Id, sourceCampaignId, normalized.Count);
                return (test.Id, true);
            },
            cancellationToken);
        return await StartAsync(testId, cancellationToken) with { DeliveriesCreated = normalized.Count };
    }

    /// <summary>InProgress → Paused by a person, with their reason; audited.</summary>
    public Task<CampaignState> PauseAsync(long campaignId, string reason, ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ChangeAsync(campaignId, user, AuditAction.PauseCampaign, reason, (campaign, now) => campaign.Pause(reason, now), cancellationToken);

    /// <summary>Paused → InProgress; audited. Due deliveries go out with the next dispatch.</summary>
    public Task<CampaignState> ResumeAsync(long campaignId, string reason, ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ChangeAsync(campaignId, user, AuditAction.ResumeCampaign, reason, (campaign, _) => campaign.Resume(), cancellationToken);

    private async Task<CampaignState> ChangeAsync(
        long campaignId,
        ClaimsPrincipal user,
        AuditAction action,
        string reason,
        Action<Campaign, DateTimeOffset> change,
        CancellationToken cancellationToken)
    {
        var actor = SignedInStaff(user, "pause or resume a campaign");
        var why = string.IsNullOrWhiteSpace(reason) ? throw new DomainException("A reason is required.") : reason.Trim();
        return await runner.RunAsync(
            action.ToString(),
            async (db, _, ct) =>
            {
                var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, ct)
                    ?? throw new DomainException($"Campaign {campaignId} does not exist.");
                var now = time.GetUtcNow();
                change(campaign, now);
                db.AuditLogEntries.Add(AuditLogEntry.Record(now, actor.Name, action, $"Campaign {campaign.Id}", why));
                await db.SaveChangesAsync(ct);
                logger.LogInformation("{Actor}: {Action} campaign {CampaignId}", actor.Name, action, campaign.Id);
                return (campaign.State, true);
            },
            cancellationToken);
    }

    /// <summary>
    /// The contact ids of these normalised addresses: known contacts as they are (a suppressed one stays suppressed),
    /// new contacts created and saved for the others.
    /// </summary>
    private static async Task<List<long>> ContactIdsForAsync(BounceDbContext db, IReadOnlyCollection<string> addresses, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var known = await db.Contacts
            .Where(c => addresses.Contains(c.Email))
            .Select(c => new { c.Email, c.Id })
            .ToDictionaryAsync(c => c.Email, c => c.Id, StringComparer.Ordinal, cancellationToken);
        var added = addresses.Where(a => !known.ContainsKey(a)).Select(a => Contact.Create(a, now)).ToList();
        db.Contacts.AddRange(added);
        await db.SaveChangesAsync(cancellationToken);
        return [.. known.Values, .. added.Select(c => c.Id)];
    }

    /// <summary>The signed-in Admin or Marketer asking; anyone else is refused.</summary>
    private static Domain.Rules.Actor SignedInStaff(ClaimsPrincipal user, string action) =>
        SuppressionCommands.ActorFrom(user) is { Roles.Count: > 0 } actor
            ? actor
            : throw new Domain.Rules.ForbiddenActionException($"Only a signed-in Admin or Marketer can {action}.");

    /// <summary>The message content the template compiles.</summary>
    public static CampaignContent ContentOf(Campaign campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return new CampaignContent(campaign.FromAddress, campaign.FromName, campaign.Subject, campaign.HtmlBody, campaign.TextBody);
    }

    /// <summary>
    /// Creates the missing deliveries: one per distinct contact on any of the audiences, in contact order, a batch per
    /// transaction. Each batch reads the next contact ids after the last one (a range of the AudienceMembers key
    /// (AudienceId, ContactId) per audience) that have no delivery yet (the unique (CampaignId, ContactId) index).
    /// </summary>
    private async Task<int> CreateDeliveriesAsync(long campaignId, IReadOnlyList<long> audienceIds, CancellationToken cancellationToken)
    {
        var total = 0;
        var after = 0L;
        while (true)
        {
            var missing = await runner.RunAsync(
                "CreateDeliveries",
                async (db, _, ct) =>
                {
                    var contactIds = await db.AudienceMembers
                        .Where(m => audienceIds.Contains(m.AudienceId) && m.ContactId > after)
                        .Select(m => m.ContactId)
                        .Distinct()
                        .Where(contactId => !db.Deliveries.Any(d => d.CampaignId == campaignId && d.ContactId == contactId))
                        .OrderBy(contactId => contactId)
                        .Take(DeliveryBatchSize)
                        .ToListAsync(ct);
                    var now = time.GetUtcNow();
                    db.Deliveries.AddRange(contactIds.Select(contactId => Delivery.Create(campaignId, contactId, now)));
                    await db.SaveChangesAsync(ct);
                    return (contactIds, contactIds.Count > 0);
                },
                cancellationToken);
            total += missing.Count;
            if (missing.Count < DeliveryBatchSize)
            {
                return total;
            }

            after = missing[^1];
        }
    }
}
