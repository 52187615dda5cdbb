using BounceDashboard.Domain.Tracking;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace BounceDashboard.Web.Sending;

/// <summary>
/// MailKit's SMTP client asking for delivery status notifications (RFC 3461) where the relay offers DSN: NOTIFY
/// SUCCESS, FAILURE and DELAY per recipient, and the message's tracking token as ENVID, which comes back as the
/// report's Original-Envelope-Id and matches the report to its delivery. MailKit sends these only from a subclass.
/// </summary>
internal sealed class DsnSmtpClient(bool requestDsn) : SmtpClient
{
    protected override string? GetEnvelopeId(MimeMessage message) =>
        requestDsn ? message.Headers[TrackingHeaders.Token] : null;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
        requestDsn
            ? DeliveryStatusNotification.Success | DeliveryStatusNotification.Failure | DeliveryStatusNotification.Delay
            : null;
}
