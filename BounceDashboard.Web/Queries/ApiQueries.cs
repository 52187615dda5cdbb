using System.Buffers.Text;
using System.Globalization;
using System.Text;
using BounceDashboard.Domain.Bounces;
using BounceDashboard.Web.Data;
using BounceDashboard.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Queries;

/// <summary>
/// The bounce events the API lists. <paramref name="From"/> is inclusive and <paramref name="To"/> exclusive, on the
/// time the event reached us. <paramref name="Kind"/> is what the engine read (bounce, delay, feedback report...);
/// <paramref name="Hard"/> narrows to hard or soft failures.
/// </summary>
public sealed record BounceEventFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? CampaignId = null,
    string? SendingDomain = null,
    string? SendingIp = null,
    BounceReason? Reason = null,
    MessageKind? Kind = null,
    bool? Hard = null);

/// <summary>One bounce event as the API shows it, with the campaign, sending domain and IP of the delivery it was matched to.</summary>
public sealed record BounceEventRow(
    long Id,
    DateTimeOffset ReceivedAt,
    string Recipient,
    MessageKind Kind,
    BounceReason Reason,
    bool Hard,
    bool Permanent,
    string? EnhancedStatus,
    string? ReplyCode,
    string? Diagnostic,
    string? RemoteMta,
    string Rule,
    string? FeedbackType,
    BounceSource Source,
    BounceEventState State,
    BounceEffect? Effect,
    long? DeliveryId,
    long? CampaignId,
    string? SendingDomain,
    string? SendingIp);

/// <summary>A page of events, newest first, and the opaque token of the next page (null on the last).</summary>
public sealed record BounceEventPage(IReadOnlyList<BounceEventRow> Items, string? NextPageToken);

/// <summary>The position after the last event of a page (its time and id), written as an opaque token.</summary>
public readonly record struct BounceEventCursor(long ReceivedAtUtcTicks, long Id)
{
    private const string Version = "v1";

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}.{ReceivedAtUtcTicks}.{Id}")));

    public static bool TryDecode(string? token, out BounceEventCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts is not [Version, var ticks, var id]
            || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || t > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new BounceEventCursor(t, i);
        return true;
    }
}

/// <summary>Reads the API needs beyond the pages' query services.</summary>
public interface IApiQueries
{
    /// <summary>The contact with this normalised address, or null.</summary>
    Task<long?> FindContactIdAsync(string normalizedEmail, CancellationToken cancellationToken = default);

    /// <summary>Every suppression entry of one address (in force and lifted), newest first; empty when there is none.</summary>
    Task<IReadOnlyList<SuppressionRow>> SuppressionsOfAsync(string normalizedEmail, CancellationToken cancellationToken = default);

    /// <summary>One page of events, newest first (time, then id), after <paramref name="after"/>.</summary>
    Task<BounceEventPage> BouncesAsync(BounceEventFilter filter, BounceEventCursor? after, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Lookups by address use the unique index on Contacts.Email and (Email, CreatedAt) on the suppression entries. Bounce
/// pages are keyset pages on (ReceivedAt, Id) descending: a page costs the same deep in the list as at its top, and
/// events that arrive meanwhile neither shift nor repeat rows. Filters by sending domain or IP use their
/// (column, ReceivedAt) indexes.
/// </summary>
public sealed class ApiQueries(IDbContextFactory<BounceDbContext> dbFactory) : IApiQueries
{
    public const int MaxPageSize = 200;

    public async Task<long?> FindContactIdAsync(string normalizedEmail, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Contacts.AsNoTracking().Where(c => c.Email == normalizedEmail).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SuppressionRow>> SuppressionsOfAsync(string normalizedEmail, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SuppressionEntries.AsNoTracking()
            .Where(s => s.Email == normalizedEmail)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
            .Select(s => new SuppressionRow(s.Id, s.Email, s.Reason, s.Source, s.CreatedAt, s.CreatedBy, s.Note, s.LiftedAt, s.LiftedBy, s.LiftReason, null))
            .ToListAsync(cancellationToken);
    }

    public async Task<BounceEventPage> BouncesAsync(BounceEventFilter filter, BounceEventCursor? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var take = Math.Clamp(limit, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = db.BounceEvents.AsNoTracking();
        if (filter.From is { } from)
        {
            events = events.Where(e => e.ReceivedAt >= from);
        }

        if (filter.To is { } to)
        {
            events = events.Where(e => e.ReceivedAt < to);
        }

        if (filter.CampaignId is { } campaignId)
        {
            events = events.Where(e => EF.Property<long?>(e, BounceEventColumns.CampaignId) == campaignId);
        }

        if (filter.SendingDomain is { } domain)
        {
            events = events.Where(e => EF.Property<string?>(e, BounceEventColumns.SendingDomain) == domain);
        }

        if (filter.SendingIp is { } ip)
        {
            events = events.Where(e => EF.Property<string?>(e, BounceEventColumns.SendingIp) == ip);
        }

        if (filter.Reason is { } reason)
        {
            events = events.Where(e => e.Reason == reason);
        }

        if (filter.Kind is { } kind)
        {
            events = events.Where(e => e.Kind == kind);
        }

        if (filter.Hard is { } hard)
        {
            events = events.Where(e => e.Hard == hard);
        }

        if (after is { } cursor)
        {
            var at = new DateTimeOffset(cursor.ReceivedAtUtcTicks, TimeSpan.Zero);
            events = events.Where(e => e.ReceivedAt < at || (e.ReceivedAt == at && e.Id < cursor.Id));
        }

        var rows = await events
            .OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id)
            .Take(take + 1)
            .Select(e => new BounceEventRow(
                e.Id, e.ReceivedAt, e.Recipient, e.Kind, e.Reason, e.Hard, e.Permanent, e.EnhancedStatus, e.ReplyCode, e.Diagnostic,
                e.RemoteMta, e.Rule, e.FeedbackType, e.Source, e.State, e.Effect, e.DeliveryId,
                EF.Property<long?>(e, BounceEventColumns.CampaignId),
                EF.Property<string?>(e, BounceEventColumns.SendingDomain),
                EF.Property<string?>(e, BounceEventColumns.SendingIp)))
            .ToListAsync(cancellationToken);
        if (rows.Count <= take)
        {
            return new BounceEventPage(rows, null);
        }

        rows.RemoveAt(take);
        var last = rows[^1];
        return new BounceEventPage(rows, new BounceEventCursor(last.ReceivedAt.UtcTicks, last.Id).Encode());
    }
}
