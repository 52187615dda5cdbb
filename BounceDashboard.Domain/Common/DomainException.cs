namespace BounceDashboard.Domain.Common;

/// <summary>
/// Thrown when a domain rule is broken: an illegal state transition, a value out of range, a missing reason.
/// The message names what was attempted and why it was refused (dotnet/eShop OrderingDomainException).
/// </summary>
public class DomainException : Exception
{
    public DomainException()
    {
    }

    public DomainException(string message)
        : base(message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An illegal transition, with both states named: "Cannot move Delivery 12 from Delivered to Sending."</summary>
    public static DomainException IllegalTransition<TState>(string entity, long id, TState from, TState to)
        where TState : struct, Enum =>
        new($"Cannot move {entity} {id} from {from} to {to}.");
}
