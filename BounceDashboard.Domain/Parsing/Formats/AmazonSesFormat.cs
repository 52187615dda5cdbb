using System.Text;
using System.Text.Json;

namespace BounceDashboard.Domain.Parsing.Formats;

/// <summary>
/// Amazon SES event notifications delivered by e-mail through SNS ("AWS Notification Message"): a JSON document,
/// either the SES event itself or an SNS envelope whose "Message" holds it as a string. Bounce events list
/// bouncedRecipients with status and diagnosticCode; Complaint events are feedback; Delivery events are successes.
/// </summary>
public sealed class AmazonSesFormat : IBounceFormat
{
    /// <summary>Deepest JSON nesting read.</summary>
    private const int MaxDepth = 16;

    public string Name => "amazonses";

    public bool TryParse(BounceContext context, List<RecipientEvidence> recipients)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(recipients);
        var text = context.NoticeText;
        var start = text.IndexOf('{', StringComparison.Ordinal);
        if (start < 0 || (text.IndexOf("notificationType", StringComparison.Ordinal) < 0 && text.IndexOf("eventType", StringComparison.Ordinal) < 0))
        {
            return false;
        }

        try
        {
            using var document = ReadFirstValue(Unwrap(text[start..]));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Message", out var inner) && inner.ValueKind == JsonValueKind.String)
            {
                // SNS envelope: the SES event is a JSON string inside.
                using var ses = ReadFirstValue(inner.GetString() ?? string.Empty);
                return Read(ses.RootElement, recipients);
            }

            return Read(root, recipients);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Undoes the line wrapping mail systems apply to long lines (a line break plus one space, sometimes after a
    /// "!" marking the cut), which otherwise splits JSON strings.
    /// </summary>
    private static string Unwrap(string json)
    {
        if (json.IndexOf('\n', StringComparison.Ordinal) < 0)
        {
            return json;
        }

        var sb = new StringBuilder(json.Length);
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (c == '!' && i + 2 < json.Length && json[i + 1] == '\n' && json[i + 2] == ' ')
            {
                i += 2;
                continue;
            }

            if (c == '\r')
            {
                continue;
            }

            if (c == '\n')
            {
                if (i + 1 < json.Length && json[i + 1] == ' ')
                {
                    i++;
                }

                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static JsonDocument ReadFirstValue(string json)
    {
        // The notice goes on after the JSON ("--", an unsubscribe link): read one value and stop.
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = MaxDepth });
        return JsonDocument.ParseValue(ref reader);
    }

    private static bool Read(JsonElement ses, List<RecipientEvidence> recipients)
    {
        // Notifications (SNS feedback) name the type "notificationType"; event publishing names it "eventType".
        if (ses.ValueKind != JsonValueKind.Object
            || !(ses.TryGetProperty("notificationType", out var typeElement) || ses.TryGetProperty("eventType", out typeElement)))
        {
            return false;
        }

        var type = typeElement.GetString();
        var before = recipients.Count;
        if (type == "Bounce" && ses.TryGetProperty("bounce", out var bounce))
        {
            var transient = String(bounce, "bounceType") == "Transient";
            var subType = String(bounce, "bounceSubType");
            var mta = String(bounce, "reportingMTA");
            foreach (var r in Array(bounce, "bouncedRecipients"))
            {
                recipients.Add(new RecipientEvidence
                {
                    Address = DsnFields.Address(String(r, "emailAddress")),
                    Action = DsnFields.ParseAction(String(r, "action")),
                    Status = String(r, "status"),
                    Diagnostic = DsnFields.AfterType(String(r, "diagnosticCode")),
                    RemoteMta = DsnFields.AfterType(mta),
                    Explicit = new ExplicitClass("amazonses", subType, Temporary: transient ? true : null),
                });
            }
        }
        else if (type == "Complaint" && ses.TryGetProperty("complaint", out var complaint))
        {
            var feedback = String(complaint, "complaintFeedbackType") ?? "abuse";
            foreach (var r in Array(complaint, "complainedRecipients"))
            {
                recipients.Add(new RecipientEvidence
                {
                    Address = DsnFields.Address(String(r, "emailAddress")),
                    Action = DeliveryAction.Unknown,
                    Explicit = new ExplicitClass("amazonses", "complaint"),
                    FeedbackType = feedback,
                });
            }
        }
        else if (type == "Delivery" && ses.TryGetProperty("delivery", out var delivery))
        {
            var response = String(delivery, "smtpResponse");
            foreach (var r in Array(delivery, "recipients"))
            {
                recipients.Add(new RecipientEvidence
                {
                    Address = DsnFields.Address(r.ValueKind == JsonValueKind.String ? r.GetString() : null),
                    Action = DeliveryAction.Delivered,
                    Diagnostic = response,
                    RemoteMta = String(delivery, "reportingMTA"),
                });
            }
        }

        return recipients.Count > before;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : default;
}
