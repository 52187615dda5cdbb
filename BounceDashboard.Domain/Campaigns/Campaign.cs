using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Campaigns;

/// <summary>
/// One mailing: a subject and its HTML and text bodies sent from one address to one or more audiences. State moves
/// Draft → Scheduled → InProgress → Sent (Draft → InProgress directly for "send now"; Scheduled → Draft to unschedule);
/// InProgress ⇄ Paused by hand, or automatically when too many attempts bounce hard (<see cref="Rules.SendingGuard"/>).
/// </summary>
public sealed class Campaign
{
    public const int NameMaxLength = 200;
    public const int SubjectMaxLength = 500;
    public const int FromAddressMaxLength = EmailAddress.MaxLength;
    public const int FromDomainMaxLength = EmailAddress.DomainMaxLength;
    public const int FromNameMaxLength = 200;

    /// <summary>Longest body, each of HTML and text (a newsletter is tens of KB; mailbox providers clip at ~100 KB).</summary>
    public const int BodyMaxLength = 1_000_000;

    public const int PauseReasonMaxLength = 1000;

    private readonly List<CampaignAudience> _audiences = [];

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

    /// <summary>The sender's display name, if any.</summary>
    public string? FromName { get; private set; }

    /// <summary>The HTML body as written: links are rewritten and the open pixel added per recipient when it is sent.</summary>
    public string? HtmlBody { get; private set; }

    /// <summary>The plain-text alternative.</summary>
    public string? TextBody { get; private set; }

    /// <summary>
    /// When every delivery of the audience had been created (queued); until then the campaign cannot be complete even
    /// if every delivery created so far is final.
    /// </summary>
    public DateTimeOffset? DeliveriesQueuedAt { get; private set; }

    /// <summary>When sending was paused (by hand or by <see cref="Rules.SendingGuard"/>); null while not paused.</summary>
    public DateTimeOffset? PausedAt { get; private set; }

    /// <summary>Why sending was paused, for the campaign page; kept after a resume until the next pause.</summary>
    public string? PauseReason { get; private set; }

    /// <summary>True when the last pause was the hard-bounce guard's, not a person's.</summary>
    public bool PausedAutomatically { get; private set; }

    /// <summary>True when the campaign has something to send.</summary>
    public bool HasBody => !string.IsNullOrWhiteSpace(HtmlBody) || !string.IsNullOrWhiteSpace(TextBody);

    /// <summary>
    /// The audiences it goes to: each Active, unsuppressed contact on any of them once. Empty for a draft that has none
    /// chosen yet, and for a test or an automated campaign (their recipients are given otherwise).
    /// </summary>
    public IReadOnlyCollection<CampaignAudience> Audiences => _audiences.AsReadOnly();

    /// <summary>The ids of <see cref="Audiences"/>, ascending.</summary>
    public IReadOnlyList<long> AudienceIds => [.. _audiences.Select(a => a.AudienceId).Order()];

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
        IEnumerable<long>? audienceIds = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new DomainException($"Unknown campaign kind {kind}.");
        }

        var from = EmailAddress.Normalize(fromAddress);
        var campaign = new Campaign
        {
            Name = TextLimits.Required(name, NameMaxLength, "Campaign name"),
            Kind = kind,
            State = CampaignState.Draft,
            FromAddress = from,
            FromDomain = EmailAddress.DomainOf(from),
            Subject = TextLimits.Required(subject, SubjectMaxLength, "Subject"),
            CreatedAt = createdAt,
        };
        campaign.SetAudiences(audienceIds ?? []);
        return campaign;
    }

    /// <summary>True while the campaign may still be edited (Draft or Scheduled): nothing has been sent.</summary>
    public bool IsEditable => State is CampaignState.Draft or CampaignState.Scheduled;

    /// <summary>Sets the sender's name and the bodies; only before sending starts.</summary>
    public void SetContent(string? fromName, string? htmlBody, string? textBody)
    {
        EnsureEditable("content");
        FromName = TextLimits.Optional(fromName, FromNameMaxLength, "Sender name");
        HtmlBody = TextLimits.Optional(htmlBody, BodyMaxLength, "HTML body");
        TextBody = TextLimits.Optional(textBody, BodyMaxLength, "Text body");
    }

    /// <summary>Renames the campaign; only before sending starts.</summary>
    public void Rename(string name)
    {
        EnsureEditable("name");
        Name = TextLimits.Required(name, NameMaxLength, "Campaign name");
    }

    /// <summary>Changes the subject line; only before sending starts.</summary>
    public void ChangeSubject(string subject)
    {
        EnsureEditable("subject");
        Subject = TextLimits.Required(subject, SubjectMaxLength, "Subject");
    }

    /// <summary>Changes the sender address, and with it the sending domain; only before sending starts.</summary>
    public void ChangeSender(string fromAddress)
    {
        EnsureEditable("sender");
        var from = EmailAddress.Normalize(fromAddress);
        FromAddress = from;
        FromDomain = EmailAddress.DomainOf(from);
    }

    /// <summary>
    /// Replaces the audiences it goes to (none: not chosen yet, which a draft may be); only before sending starts. Each
    /// audience may be named once. Audiences kept keep their row.
    /// </summary>
    public void ChangeAudiences(IEnumerable<long> audienceIds)
    {
        ArgumentNullException.ThrowIfNull(audienceIds);
        EnsureEditable("audiences");
        SetAudiences(audienceIds);
    }

    /// <summary>
    /// True when the campaign has recipients to send to: a regular campaign needs at least one audience; a test or
    /// automated campaign gets its deliveries otherwise.
    /// </summary>
    public bool HasRecipients => Kind != CampaignKind.Regular || _audiences.Count > 0;

    /// <summary>
    /// Checks, before a send now or a schedule, that the campaign can go out: editable, a body, and for a regular
    /// campaign at least one audience.
    /// </summary>
    public void EnsureReadyToSend()
    {
        if (!IsEditable)
        {
            throw new DomainException($"Campaign {Id} is {State}: it has already been sent or is being sent.");
        }

        if (!HasRecipients)
        {
            throw new DomainException("Choose at least one audience before sending.");
        }

        if (!HasBody)
        {
            throw new DomainException($"Campaign {Id} has no HTML or text body to send.");
        }
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
        if (!HasBody)
        {
            throw new DomainException($"Campaign {Id} has no HTML or text body to send.");
        }

        State = CampaignState.InProgress;
        StartedAt = at;
    }

    /// <summary>Records that every delivery of the campaign exists (once; sending or paused).</summary>
    public void MarkDeliveriesQueued(DateTimeOffset at)
    {
        if (State is not (CampaignState.InProgress or CampaignState.Paused))
        {
            throw new DomainException($"Campaign {Id} is {State}: deliveries are queued only while it is being sent.");
        }

        DeliveriesQueuedAt ??= at;
    }

    /// <summary>InProgress → Sent: every delivery is final (delivered, bounced or skipped; none queued, sending or awaiting a retry).</summary>
    public void MarkSent(DateTimeOffset at)
    {
        EnsureState(CampaignState.Sent, CampaignState.InProgress);
        State = CampaignState.Sent;
        SentAt = at;
    }

    /// <summary>
    /// InProgress → Paused: no new attempt starts (first attempts or retries) until <see cref="Resume"/>. Attempts
    /// already handed to a relay finish, and bounces keep being recorded.
    /// </summary>
    public void Pause(string reason, DateTimeOffset at, bool automatic = false)
    {
        EnsureState(CampaignState.Paused, CampaignState.InProgress);
        PauseReason = TextLimits.Required(reason, PauseReasonMaxLength, "Pause reason");
        PausedAt = at;
        PausedAutomatically = automatic;
        State = CampaignState.Paused;
    }

    /// <summary>Paused → InProgress. The last pause's reason stays for the record.</summary>
    public void Resume()
    {
        EnsureState(CampaignState.InProgress, CampaignState.Paused);
        PausedAt = null;
        State = CampaignState.InProgress;
    }

    private void SetAudiences(IEnumerable<long> audienceIds)
    {
        var ids = audienceIds.ToList();
        if (ids.Where(id => id <= 0).Select(id => (long?)id).FirstOrDefault() is { } invalid)
        {
            throw new DomainException($"Audience {invalid} is not a saved audience.");
        }

        if (ids.GroupBy(id => id).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new DomainException($"Audience {duplicate.Key} is chosen more than once.");
        }

        _audiences.RemoveAll(a => !ids.Contains(a.AudienceId));
        foreach (var id in ids.Where(id => _audiences.TrueForAll(a => a.AudienceId != id)))
        {
            _audiences.Add(new CampaignAudience(Id, id));
        }
    }

    private void EnsureEditable(string what)
    {
        if (!IsEditable)
        {
            throw new DomainException($"Campaign {Id} is {State}: its {what} can no longer change (only a Draft or Scheduled campaign can be edited).");
        }
    }

    private void EnsureState(CampaignState target, params CampaignState[] allowedFrom)
    {
        if (Array.IndexOf(allowedFrom, State) < 0)
        {
            throw DomainException.IllegalTransition(nameof(Campaign), Id, State, target);
        }
    }
}
