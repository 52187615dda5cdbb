namespace BounceDashboard.Domain.Tracking;

/// <summary>Names our outgoing mail carries so that a bounce can be matched back to its delivery.</summary>
public static class TrackingHeaders
{
    /// <summary>Header on every message we send, holding the delivery's signed token.</summary>
    public const string Token = "X-BounceDashboard-Token";

    /// <summary>Local part of the VERP return path: <c>bounces+TOKEN@sending-domain</c>.</summary>
    public const string VerpLocalPart = "bounces";

    /// <summary>Separator between the VERP local part and the token (Postfix <c>recipient_delimiter</c>).</summary>
    public const char VerpDelimiter = '+';
}
