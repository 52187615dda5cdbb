namespace BounceDashboard.Domain.Rules;

/// <summary>
/// When a delivery's attempts are due. Attempt 1 is at the first attempt time t0; attempt k (2..n, n =
/// <see cref="RulesOptions.MaxAttempts"/>) is due at t0 + W·(f^(k-1) − 1)/(f^(n-1) − 1), where W is the
/// <see cref="RulesOptions.RetryWindow"/> and f the <see cref="RulesOptions.RetryBackoffFactor"/> (W·(k−1)/(n−1)
/// when f = 1). The last attempt is therefore exactly W after the first, and every gap is f times the previous one.
/// The schedule is anchored to t0, so a retry that runs late does not push the later ones back.
/// </summary>
public sealed class RetrySchedule(RulesOptions options)
{
    private readonly RulesOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>Offset from the first attempt at which attempt <paramref name="attemptNumber"/> (1-based) is due.</summary>
    public TimeSpan OffsetOf(int attemptNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attemptNumber, _options.MaxAttempts);
        var retries = _options.MaxAttempts - 1;
        var retry = attemptNumber - 1;
        if (retry == 0)
        {
            return TimeSpan.Zero;
        }

        var f = _options.RetryBackoffFactor;
        var share = f <= 1.0
            ? (double)retry / retries
            : (Math.Pow(f, retry) - 1) / (Math.Pow(f, retries) - 1);
        return TimeSpan.FromTicks((long)Math.Round(_options.RetryWindow.Ticks * share));
    }

    /// <summary>The due time of every attempt, the first included, for a delivery first attempted at <paramref name="firstAttemptAt"/>.</summary>
    public IReadOnlyList<DateTimeOffset> DueTimes(DateTimeOffset firstAttemptAt) =>
        Enumerable.Range(1, _options.MaxAttempts).Select(k => firstAttemptAt + OffsetOf(k)).ToArray();

    /// <summary>
    /// When the next attempt is due after <paramref name="attemptsMade"/> attempts failed, or null when none is left.
    /// A slot already past (a failure reported late) moves to <paramref name="now"/> + <see cref="RulesOptions.MinimumRetryDelay"/>.
    /// </summary>
    public DateTimeOffset? NextAttemptAt(DateTimeOffset firstAttemptAt, int attemptsMade, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptsMade, 1);
        if (attemptsMade >= _options.MaxAttempts)
        {
            return null;
        }

        var due = firstAttemptAt + OffsetOf(attemptsMade + 1);
        return due > now ? due : now + _options.MinimumRetryDelay;
    }
}
