using System.Globalization;

namespace BounceDashboard.Domain.Rules;

/// <summary>
/// The hard-bounce guard: a campaign whose latest attempts fail permanently too often is paused before a bad list
/// burns the sending domain's reputation. It looks at the campaign's last <see cref="RulesOptions.AutoPauseWindow"/>
/// completed attempts (attempts answered by the relay or a later report; attempts that never reached a relay do not
/// count) and trips when more than <see cref="RulesOptions.AutoPauseHardBounceRate"/> of them failed permanently.
/// </summary>
public sealed class SendingGuard(RulesOptions options)
{
    private readonly RulesOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>How many latest attempts to count (the caller's query takes this many).</summary>
    public int Window => _options.AutoPauseWindow;

    /// <summary>
    /// The reason to pause, or null to go on. <paramref name="completedAttempts"/> is the number of the campaign's latest
    /// completed attempts counted (at most <see cref="Window"/>), <paramref name="permanentFailures"/> how many of them
    /// failed permanently.
    /// </summary>
    public string? PauseReason(int completedAttempts, int permanentFailures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completedAttempts);
        ArgumentOutOfRangeException.ThrowIfNegative(permanentFailures);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permanentFailures, completedAttempts);
        var threshold = _options.AutoPauseHardBounceRate;
        if (threshold <= 0 || completedAttempts < _options.AutoPauseWindow)
        {
            return null;
        }

        var rate = (double)permanentFailures / completedAttempts;
        return rate > threshold
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"Paused automatically: {permanentFailures} of the last {completedAttempts} attempts bounced hard ({rate:P1}), above the {threshold:P1} limit. Check the list before resuming.")
            : null;
    }
}
