using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// Every number the bounce rules use, bound from the <c>Rules</c> section of appsettings and validated at start-up
/// (<c>AddOptions&lt;RulesOptions&gt;().BindConfiguration(RulesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()</c>).
/// The defaults are the product's policy.
/// </summary>
public sealed class RulesOptions : IValidatableObject
{
    public const string SectionName = "Rules";

    /// <summary>Attempts per delivery, the first included. After the last failed attempt a transient failure is final.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Time from the first attempt to the last one: the retries are spread over this window.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(30);

    /// <summary>
    /// Each gap between attempts is this many times the previous one (1 spreads them evenly). With 4 attempts over
    /// 30 hours and factor 2 the retries fall about 4 h 17 min, 12 h 51 min and 30 h after the first attempt.
    /// </summary>
    [Range(1.0, 10.0)]
    public double RetryBackoffFactor { get; set; } = 2.0;

    /// <summary>When a failure is reported after its retry slot has passed (a late DSN), the retry waits at least this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinimumRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Consecutive campaigns ending soft bounced that move an Active contact to Error.</summary>
    [Range(1, 100)]
    public int SoftBounceCampaignsForError { get; set; } = 3;

    /// <summary>Consecutive campaigns ending hard bounced (other than a bad address) that make the contact a Confirmed Bounce.</summary>
    [Range(1, 100)]
    public int HardBounceCampaignsForConfirmedBounce { get; set; } = 3;

    /// <summary>Turns on the automatic unsubscribe after <see cref="AutoUnsubscribeAfterBounces"/>. Off by default.</summary>
    public bool AutoUnsubscribeEnabled { get; set; }

    /// <summary>Consecutive campaigns ending bounced, of any kind, without recorded activity, that unsubscribe an Active contact.</summary>
    [Range(1, 1000)]
    public int AutoUnsubscribeAfterBounces { get; set; } = 5;

    /// <summary>
    /// The hard-bounce guard pauses a campaign when more than this share of its last
    /// <see cref="AutoPauseWindow"/> completed attempts failed permanently. 5% is about where mailbox providers start
    /// reviewing a sender. 0 turns the guard off.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AutoPauseHardBounceRate { get; set; } = 0.05;

    /// <summary>How many of the campaign's latest completed attempts the guard looks at; it waits until there are that many.</summary>
    [Range(10, 100_000)]
    public int AutoPauseWindow { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxAttempts > 1 && MinimumRetryDelay >= RetryWindow)
        {
            yield return new ValidationResult(
                $"{nameof(MinimumRetryDelay)} ({MinimumRetryDelay}) must be shorter than {nameof(RetryWindow)} ({RetryWindow}).",
                [nameof(MinimumRetryDelay), nameof(RetryWindow)]);
        }
    }
}
