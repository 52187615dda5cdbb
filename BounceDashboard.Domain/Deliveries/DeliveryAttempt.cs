using BounceDashboard.Domain.Common;

namespace BounceDashboard.Domain.Deliveries;

/// <summary>One SMTP attempt of a <see cref="Delivery"/>; created and updated only through the delivery.</summary>
public sealed class DeliveryAttempt
{
    private DeliveryAttempt()
    {
    }

    public long Id { get; private set; }

    public long DeliveryId { get; private set; }

    /// <summary>1 for the first attempt.</summary>
    public int Number { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DeliveryAttemptOutcome Outcome { get; private set; }

    /// <summary>The SMTP reply or the DSN's diagnostic for this attempt.</summary>
    public string? SmtpReply { get; private set; }

    public string? SendingIp { get; private set; }

    public string? Relay { get; private set; }

    internal static DeliveryAttempt Start(long deliveryId, int number, DateTimeOffset at, string? sendingIp, string? relay) =>
        new()
        {
            DeliveryId = deliveryId,
            Number = number,
            StartedAt = at,
            Outcome = DeliveryAttemptOutcome.Pending,
            SendingIp = sendingIp,
            Relay = relay,
        };

    internal void Complete(DeliveryAttemptOutcome outcome, DateTimeOffset at, string? smtpReply)
    {
        Outcome = outcome;
        CompletedAt = at;
        SmtpReply = TextLimits.Truncate(smtpReply, Delivery.SmtpReplyMaxLength) ?? SmtpReply;
    }
}
