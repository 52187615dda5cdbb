namespace BounceDashboard.Domain.Parsing;

/// <summary>RFC 3464 §2.3.3 Action field, mapped from its text once, in the parser.</summary>
public enum DeliveryAction
{
    Unknown = 0,
    Failed = 1,
    Delayed = 2,
    Delivered = 3,
    Relayed = 4,
    Expanded = 5,
}
