using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using BounceDashboard.Domain.Tracking;
using BounceDashboard.Web.Commands;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Mail;
using BounceDashboard.Web.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BounceDashboard.Web.Sending;

/// <summary>What one dispatch run did.</summary>
public sealed record DispatchSummary(int Accepted, int Refused, int NotSent, int Released, IReadOnlyList<long> CampaignsSent)
{
    public int Attempts => Accepted + Refused;
}

/// <summary>
/// Sends every due delivery: for each configured relay, <see cref="RelayOptions.MaxConnections"/> workers each keep
/// one SMTP session open and loop claim → render → send → record until nothing is due, sharing the relay's rate limit.
/// Due-ness lives in our tables (<c>Delivery.NextAttemptAt</c>), so first attempts and retries are the same work and
/// nothing depends on the job scheduler's storage. The order per delivery is: claim committed, then SMTP, then the
/// result committed; a crash between the relay's acceptance and our commit leaves the claim to go stale and be
/// released, and the message goes out again (at most once more per crash). See the README ("Sending").
/// </summary>
public sealed class DeliveryDispatcher(
    DeliveryCommands commands,
    IDbContextFactory<BounceDbContext> dbFactory,
    IOptions<SendingOptions> options,
    TimeProvider time,
    ILogger<DeliveryDispatcher> logger)
{
    /// <summary>
    /// Sends what is due, optionally of one campaign only, until nothing is due or <paramref name="cancellationToken"/>
    /// fires. Releases stale claims first and marks finished campaigns Sent at the end.
    /// </summary>
    public async Task<DispatchSummary> DispatchAsync(long? campaignId = null, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var released = await commands.ReleaseStaleAsync(cancellationToken);
        var tally = new Tally();
        if (!settings.CanSend)
        {
            logger.LogWarning("No relay configured ({Section}:Relays, BounceDomain, PublicBaseUrl): due deliveries wait", SendingOptions.SectionName);
        }
        else
        {
            var templates = new ConcurrentDictionary<long, Task<CampaignMessageTemplate>>();
            var workers = new List<Task>();
            var limiters = new List<RateLimiter>();
            foreach (var relay in settings.Relays)
            {
                var limiter = LimiterFor(relay);
                if (limiter is not null)
                {
                    limiters.Add(limiter);
                }

                for (var i = 0; i < relay.MaxConnections; i++)
                {
                    workers.Add(RunWorkerAsync(relay, limiter, templates, campaignId, tally, cancellationToken));
                }
            }

            try
            {
                await Task.WhenAll(workers);
            }
            finally
            {
                foreach (var limiter in limiters)
                {
                    await limiter.DisposeAsync();
                }
            }
        }

        var sent = await commands.CompleteCampaignsAsync(cancellationToken);
        var summary = new DispatchSummary(tally.Accepted, tally.Refused, tally.NotSent, released, sent);
        if (summary.Attempts + summary.NotSent + released > 0)
        {
            logger.LogInformation(
                "Dispatch: {Accepted} accepted, {Refused} refused, {NotSent} not sent (retried later), {Released} stale claims released, {Campaigns} campaigns finished",
                summary.Accepted, summary.Refused, summary.NotSent, released, sent.Count);
        }

        return summary;
    }

    private async Task RunWorkerAsync(
        RelayOptions relay,
        RateLimiter? limiter,
        ConcurrentDictionary<long, Task<CampaignMessageTemplate>> templates,
        long? campaignId,
        Tally tally,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        SmtpRelayConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Connect before claiming: a relay that is down leaves the due deliveries untouched for another worker or run.
                connection = await ReconnectAsync(connection, relay, cancellationToken);
                if (connection is null)
                {
                    return;
                }

                var batch = await commands.ClaimAsync(relay, settings.ClaimBatchSize, campaignId, cancellationToken);
                if (batch.Examined == 0)
                {
                    return;
                }

                // Every claimed delivery gets a result, even when the run is cancelled (Hangfire's shutdown, Ctrl+C): the rest
                // are released at once rather than left Sending until their claim goes stale.
                foreach (var claim in batch.Claimed)
                {
                    SendOutcome outcome;
                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();

                        // A session past its message limit, or closed by a failure, is renewed between messages.
                        connection = await ReconnectAsync(connection, relay, cancellationToken);
                        outcome = connection is null
                            ? SendOutcome.NotSent($"Relay '{relay.Name}' unavailable.")
                            : await SendOneAsync(claim, connection, limiter, templates, cancellationToken);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        outcome = SendOutcome.NotSent("Sending was stopped at this message.");
                    }

                    await commands.RecordAsync(claim, outcome, relay, CancellationToken.None);
                    tally.Count(outcome.Kind);
                }

                foreach (var campaign in batch.Claimed.Select(c => c.CampaignId).Distinct())
                {
                    await commands.GuardAsync(campaign, cancellationToken);
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Renders the claimed delivery's message and sends it over the open session, within the relay's rate limit.</summary>
    private async Task<SendOutcome> SendOneAsync(
        ClaimedDelivery claim,
        SmtpRelayConnection connection,
        RateLimiter? limiter,
        ConcurrentDictionary<long, Task<CampaignMessageTemplate>> templates,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var template = await templates.GetOrAdd(claim.CampaignId, LoadTemplateAsync);
        using var message = template.Render(
            new MessageRecipient(claim.Email, claim.DisplayName, claim.Token, claim.MessageId.Trim('<', '>')),
            settings.PublicBaseUrl!,
            settings.BounceDomain!);
        ProviderMetadataHeaders.Add(message, claim.Token);
        if (limiter is not null)
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
        }

        var envelopeFrom = $"{TrackingHeaders.VerpLocalPart}{TrackingHeaders.VerpDelimiter}{claim.Token}@{settings.BounceDomain}";
        return await connection.SendAsync(message, envelopeFrom, claim.Email, cancellationToken);
    }

    /// <summary>The open session, or a new one; null (logged) when the relay cannot be reached.</summary>
    private async Task<SmtpRelayConnection?> ReconnectAsync(SmtpRelayConnection? connection, RelayOptions relay, CancellationToken cancellationToken)
    {
        if (connection is { IsUsable: true })
        {
            return connection;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        try
        {
            return await SmtpRelayConnection.OpenAsync(relay, options.Value.RequestDsn, cancellationToken);
        }
        catch (RelayUnavailableException ex)
        {
            logger.LogError(ex, "Relay {Relay} unavailable: {Error}; due deliveries wait for the next run", relay.Name, ex.Message);
            return null;
        }
    }

    private async Task<CampaignMessageTemplate> LoadTemplateAsync(long campaignId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaignId);
        return CampaignMessageTemplate.Compile(CampaignCommands.ContentOf(campaign), time);
    }

    private static TokenBucketRateLimiter? LimiterFor(RelayOptions relay)
    {
        if (relay.MessagesPerSecond <= 0)
        {
            return null;
        }

        // A whole number per second refills once a second; any other rate (1.5/s) refills one token every 1/rate seconds,
        // so the configured rate is never exceeded by rounding.
        var rate = relay.MessagesPerSecond;
        var whole = rate >= 1 && rate == Math.Floor(rate);
        var tokens = whole ? (int)rate : 1;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = whole ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1 / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Counts shared by the workers of one run.</summary>
    private sealed class Tally
    {
        private int _accepted;
        private int _refused;
        private int _notSent;

        public int Accepted => _accepted;

        public int Refused => _refused;

        public int NotSent => _notSent;

        public void Count(SendOutcomeKind kind)
        {
            switch (kind)
            {
                case SendOutcomeKind.Accepted:
                    Interlocked.Increment(ref _accepted);
                    break;
                case SendOutcomeKind.Refused:
                    Interlocked.Increment(ref _refused);
                    break;
                default:
                    Interlocked.Increment(ref _notSent);
                    break;
            }
        }
    }
}
