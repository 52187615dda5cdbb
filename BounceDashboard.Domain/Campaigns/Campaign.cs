using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Campaigns;

/// <summary>
/// One mailing: a subject sent from one address to an audience. State moves
/// Draft → Scheduled → InProgress → Sent (Draft → InProgress directly for "send now"; Scheduled → Draft to unschedule).
/// </summary>
public sealed class Campaign
{
    public const int NameMaxLength = 200;
    public const int SubjectMaxLength = 500;
    public const int FromAddressMaxLength = EmailAddress.MaxLength;
    public const int FromDomainMaxLength = EmailAddress.DomainMaxLength;

    private Campaign()
    {
        Name = string.Empty;
        Subject = string.Empty;
        FromAddress = string.Empty;
        FromDomain = string.Empty;
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    public CampaignKind Kind { get; private set; }

    public CampaignState State { get; private set; }

    /// <summary>Normalised sender address (<see cref="EmailAddress.Normalize"/>).</summary>
    public string FromAddress { get; private set; }

    /// <summary>The domain of <see cref="FromAddress"/>: the sending domain reports group by.</summary>
    public string FromDomain { get; private set; }

    public string Subject { get; private set; }

    /// <summary>The audience it goes to; null for a test or an automated campaign fed by triggers.</summary>
    public long? AudienceId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ScheduledFor { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static Campaign Create(
        string name,
        CampaignKind kind,
        string fromAddress,
        string subject,
        DateTimeOffset createdAt,
        long? audienceId = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new DomainException($"Unknown campaign kind {kind}.");
        }

        var from = EmailAddress.Normalize(fromAddress);
        return new Campaign
        {
            Name = TextLimits.Required(name, NameMaxLength, "Campaign name"),
            Kind = kind,
            State = CampaignState.Draft,
            FromAddress = from,
            FromDomain = EmailAddress.DomainOf(from),
            Subject = TextLimits.Required(subject, SubjectMaxLength, "Subject"),
            AudienceId = audienceId,
            CreatedAt = createdAt,
        };
    }

    /// <summary>Draft → Scheduled for a time that is not in the past.</summary>
    public void Schedule(DateTimeOffset sendAt, DateTimeOffset now)
    {
        EnsureState(CampaignState.Scheduled, CampaignState.Draft);
        if (sendAt < now)
        {
            throw new DomainException($"Campaign {Id} cannot be scheduled in the past ({sendAt:O} is before {now:O}).");
        }

        State = CampaignState.Scheduled;
        ScheduledFor = sendAt;
    }

    /// <summary>Scheduled → Draft.</summary>
    public void Unschedule()
    {
        EnsureState(CampaignState.Draft, CampaignState.Scheduled);
        State = CampaignState.Draft;
        ScheduledFor = null;
    }

    /// <summary>Draft or Scheduled → InProgress: deliveries are being created and sent.</summary>
    public void StartSending(DateTimeOffset at)
    {
        EnsureState(CampaignState.InProgress, CampaignState.Draft, CampaignState.Scheduled);
        State = CampaignState.InProgress;
        StartedAt = at;
    }

    /// <summary>InProgress → Sent: every delivery has had its first attempt.</summary>
    public void MarkSent(DateTimeOffset at)
    {
        EnsureState(CampaignState.Sent, CampaignState.InProgress);
        State = CampaignState.Sent;
        SentAt = at;
    }

    private void EnsureState(CampaignState target, params CampaignState[] allowedFrom)
    {
        if (Array.IndexOf(allowedFrom, State) < 0)
        {
            throw DomainException.IllegalTransition(nameof(Campaign), Id, State, target);
        }
    }
}
