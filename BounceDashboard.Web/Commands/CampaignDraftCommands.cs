using System.Security.Claims;
using BounceDashboard.Domain.Campaigns;
using BounceDashboard.Domain.Common;
using BounceDashboard.Domain.Rules;
using BounceDashboard.Web.Jobs;
using BounceDashboard.Web.Mail;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace BounceDashboard.Web.Commands;

/// <summary>
/// What the editor saves. A blank <see cref="TextBody"/> means "generate it from the HTML": the generated text
/// (<see cref="PlainTextPart.FromHtml"/>) is what gets stored and sent. <see cref="AudienceIds"/> may be empty for a
/// draft; sending needs at least one.
/// </summary>
public sealed record CampaignDraft(
    string? Name,
    string? FromName,
    string? FromAddress,
    string? Subject,
    string? HtmlBody,
    string? TextBody,
    IReadOnlyList<long> AudienceIds)
{
    public const string NameField = nameof(Name);
    public const string FromNameField = nameof(FromName);
    public const string FromAddressField = nameof(FromAddress);
    public const string SubjectField = nameof(Subject);
    public const string HtmlBodyField = nameof(HtmlBody);
    public const string TextBodyField = nameof(TextBody);

    /// <summary>The text part that is stored: the author's, or the one generated from the HTML when left blank.</summary>
    public string? EffectiveTextBody => string.IsNullOrWhiteSpace(TextBody) ? NullIfEmpty(PlainTextPart.FromHtml(HtmlBody)) : TextBody;

    /// <summary>Field → message for every rule the draft breaks (the same limits the campaign enforces); empty when valid.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Check(errors, NameField, NameError(Name));
        Check(errors, FromNameField, FromNameError(FromName));
        Check(errors, FromAddressField, FromAddressError(FromAddress));
        Check(errors, SubjectField, SubjectError(Subject));
        Check(errors, HtmlBodyField, BodyError(HtmlBody, "The HTML body"));
        Check(errors, TextBodyField, BodyError(TextBody, "The text part"));
        return errors;
    }

    public static string? NameError(string? value) => RequiredError(value, Campaign.NameMaxLength, "A campaign name");

    public static string? SubjectError(string? value) =>
        RequiredError(value, Campaign.SubjectMaxLength, "A subject") ?? LineBreakError(value, "The subject");

    public static string? FromNameError(string? value) =>
        value is { Length: > Campaign.FromNameMaxLength } ? $"The sender name is longer than {Campaign.FromNameMaxLength} characters." : LineBreakError(value, "The sender name");

    public static string? FromAddressError(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "A sender address is required."
        : !EmailAddress.TryNormalize(value, out _) ? $"'{value.Trim()}' is not a valid e-mail address."
        : null;

    public static string? BodyError(string? value, string what) =>
        value is { Length: > Campaign.BodyMaxLength } ? $"{what} is longer than {Campaign.BodyMaxLength:N0} characters." : null;

    private static string? RequiredError(string? value, int maxLength, string what) =>
        string.IsNullOrWhiteSpace(value) ? $"{what} is required."
        : value.Trim().Length > maxLength ? $"{what} is longer than {maxLength} characters."
        : null;

    // A line break in a header value would start another header; the message template refuses it too.
    private static string? LineBreakError(string? value, string what) =>
        value is not null && value.Any(char.IsControl) ? $"{what} must be one line." : null;

    private static void Check(Dictionary<string, string> errors, string field, string? error)
    {
        if (error is not null)
        {
            errors[field] = error;
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>A test send's addresses read from what the marketer typed, with a message for each that is not an address.</summary>
public sealed record TestRecipients(IReadOnlyList<string> Addresses, IReadOnlyList<string> Errors)
{
    private static readonly char[] s_separators = [',', ';', '\n', '\r'];

    public bool IsValid => Errors.Count == 0 && Addresses.Count > 0;

    /// <summary>Splits on commas, semicolons and line breaks; duplicates count once; 1 to <see cref="CampaignCommands.MaxTestRecipients"/>.</summary>
    public static TestRecipients Parse(string? text)
    {
        var addresses = new List<string>();
        var errors = new List<string>();
        foreach (var part in (text ?? string.Empty).Split(s_separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!EmailAddress.TryNormalize(part, out var address))
            {
                errors.Add($"'{part}' is not a valid e-mail address.");
            }
            else if (!addresses.Contains(address, StringComparer.Ordinal))
            {
                addresses.Add(address);
            }
        }

        if (addresses.Count == 0 && errors.Count == 0)
        {
            errors.Add("Enter at least one address.");
        }
        else if (addresses.Count > CampaignCommands.MaxTestRecipients)
        {
            errors.Add($"A test goes to at most {CampaignCommands.MaxTestRecipients} addresses, not {addresses.Count}.");
        }

        return new TestRecipients(addresses, errors);
    }
}

/// <summary>
/// The campaign editor's commands: save a draft (create or update), send a test, send now, schedule and unschedule.
/// Admins and Marketers may use them (as <see cref="CampaignCommands"/>); anyone else gets
/// <see cref="ForbiddenActionException"/>. A refused request throws <see cref="DomainException"/> with a message for
/// the page and changes nothing. Sending itself is the send job's (<see cref="SendCampaignJob"/>), enqueued here.
/// </summary>
public sealed class CampaignDraftCommands(
    DbCommandRunner runner,
    CampaignCommands campaigns,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<CampaignDraftCommands> logger)
{
    /// <summary>
    /// Creates a Draft (no <paramref name="campaignId"/>) or updates one; returns its id. The text part is generated
    /// from the HTML when left blank. Refused for a campaign that is no longer a Draft.
    /// </summary>
    public async Task<long> SaveAsync(long? campaignId, CampaignDraft draft, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var actor = SignedInStaff(user, "edit a campaign");
        if (draft.Validate() is { Count: > 0 } errors)
        {
            throw new DomainException(string.Join(" ", errors.Values));
        }

        var text = draft.EffectiveTextBody;
        return await runner.RunAsync(
            "SaveCampaignDraft",
            async (db, _, ct) =>
            {
                var audienceIds = draft.AudienceIds ?? [];
                if (audienceIds.Count > 0)
                {
                    var known = await db.Audiences.Where(a => audienceIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
                    if (audienceIds.FirstOrDefault(id => !known.Contains(id)) is var unknown and not 0)
                    {
                        throw new DomainException($"Audience {unknown} does not exist.");
                    }
                }

                Campaign campaign;
                if (campaignId is { } id)
                {
                    campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, ct)
                        ?? throw new DomainException($"Campaign {id} does not exist.");
                    EnsureDraft(campaign, "edited");
                    campaign.Rename(draft.Name!);
                    campaign.ChangeSender(draft.FromAddress!);
                    campaign.ChangeSubject(draft.Subject!);
                    campaign.ChangeAudiences(audienceIds);
                }
                else
                {
                    campaign = Campaign.Create(draft.Name!, CampaignKind.Regular, draft.FromAddress!, draft.Subject!, time.GetUtcNow(), audienceIds);
                    db.Campaigns.Add(campaign);
                }

                campaign.SetContent(draft.FromName, draft.HtmlBody, text);
                await db.SaveChangesAsync(ct);
                logger.LogInformation("{Actor} saved draft campaign {CampaignId}", actor.Name, campaign.Id);
                return (campaign.Id, true);
            },
            cancellationToken);
    }

    /// <summary>
    /// Sends the campaign's current content to the named addresses as a test campaign (<see cref="CampaignCommands.SendTestAsync"/>)
    /// and enqueues its send job. Returns how many addresses it goes to.
    /// </summary>
    public async Task<int> SendTestAsync(long campaignId, IReadOnlyCollection<string> addresses, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var result = await campaigns.SendTestAsync(campaignId, addresses, user, cancellationToken);
        jobs.Enqueue<SendCampaignJob>(job => job.RunAsync(result.CampaignId, CancellationToken.None));
        return result.DeliveriesCreated;
    }

    /// <summary>
    /// Checks that the Draft (or Scheduled) campaign can go out now (an audience or more, a body the template accepts) and
    /// enqueues its send job, which starts it and sends.
    /// </summary>
    public async Task SendNowAsync(long campaignId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var actor = SignedInStaff(user, "send a campaign");
        await CheckSendableAsync(campaignId, cancellationToken);
        var jobId = jobs.Enqueue<SendCampaignJob>(job => job.RunAsync(campaignId, CancellationToken.None));
        logger.LogInformation("{Actor} sent campaign {CampaignId} now (job {JobId})", actor.Name, campaignId, jobId);
    }

    /// <summary>Draft → Scheduled for <paramref name="sendAt"/> (in the future); the recurring dispatch job starts it when due.</summary>
    public async Task ScheduleAsync(long campaignId, DateTimeOffset sendAt, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var actor = SignedInStaff(user, "schedule a campaign");
        var now = time.GetUtcNow();
        if (sendAt <= now)
        {
            throw new DomainException("Choose a time in the future.");
        }

        await runner.RunAsync(
            "ScheduleCampaign",
            async (db, _, ct) =>
            {
                var campaign = await CheckSendableAsync(db, campaignId, ct);
                campaign.Schedule(sendAt.ToUniversalTime(), now);
                await db.SaveChangesAsync(ct);
                return (campaign.State, true);
            },
            cancellationToken);
        logger.LogInformation("{Actor} scheduled campaign {CampaignId} for {SendAt:O}", actor.Name, campaignId, sendAt);
    }

    /// <summary>Scheduled → Draft.</summary>
    public async Task UnscheduleAsync(long campaignId, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var actor = SignedInStaff(user, "unschedule a campaign");
        await runner.RunAsync(
            "UnscheduleCampaign",
            async (db, _, ct) =>
            {
                var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, ct)
                    ?? throw new DomainException($"Campaign {campaignId} does not exist.");
                campaign.Unschedule();
                await db.SaveChangesAsync(ct);
                return (campaign.State, true);
            },
            cancellationToken);
        logger.LogInformation("{Actor} unscheduled campaign {CampaignId}", actor.Name, campaignId);
    }

    private Task<Campaign> CheckSendableAsync(long campaignId, CancellationToken cancellationToken) =>
        runner.RunAsync(
            "CheckCampaignSendable",
            async (db, _, ct) => (await CheckSendableAsync(db, campaignId, ct), false),
            cancellationToken);

    private async Task<Campaign> CheckSendableAsync(Data.BounceDbContext db, long campaignId, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new DomainException($"Campaign {campaignId} does not exist.");
        // Editable, at least one audience (their rows exist: the foreign key refuses deleting a chosen one), a body.
        campaign.EnsureReadyToSend();
        CampaignMessageTemplate.Compile(CampaignCommands.ContentOf(campaign), time);
        return campaign;
    }

    private static void EnsureDraft(Campaign campaign, string what)
    {
        if (campaign.State != CampaignState.Draft)
        {
            throw new DomainException($"Campaign {campaign.Id} is {campaign.State}: only a Draft can be {what}" +
                (campaign.State == CampaignState.Scheduled ? " (unschedule it first)." : "."));
        }
    }

    private static Actor SignedInStaff(ClaimsPrincipal user, string action) =>
        SuppressionCommands.ActorFrom(user) is { Roles.Count: > 0 } actor
            ? actor
            : throw new ForbiddenActionException($"Only a signed-in Admin or Marketer can {action}.");
}
