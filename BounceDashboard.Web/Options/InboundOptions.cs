using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Options;

/// <summary>How long a matched inbound message keeps its raw bytes (section "Inbound", validated at start-up).</summary>
/// <remarks>
/// Unparseable, unmatched and recipient-less messages keep their bytes for good: they wait for an admin or a better
/// engine. Matched ones keep them this long, for support questions and <c>reclassify</c>, then only the reading, the
/// size and the hash remain (<see cref="Jobs.PurgeRawContentJob"/>).
/// </remarks>
public sealed class InboundOptions
{
    public const string SectionName = "Inbound";

    [Range(1, 3650)]
    public int RawRetentionDays { get; set; } = 90;

    public TimeSpan RawRetention => TimeSpan.FromDays(RawRetentionDays);
}
