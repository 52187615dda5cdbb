using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BounceDashboard.Domain.Common;

/// <summary>
/// The one place addresses are normalised. Every stored address (contacts, suppression entries, campaign
/// senders, bounce recipients) goes through <see cref="Normalize"/> once, so equality is plain string equality
/// and the database can index and compare addresses without collations.
/// </summary>
/// <remarks>
/// Decision: the whole address is lower-cased, local part included. RFC 5321 §2.4 lets a server treat the local
/// part as case-sensitive, but no mainstream mailbox provider does, and for a suppression list the cost of the
/// other choice is worse: "John@example.com" suppressed must never let "john@example.com" through. The
/// invariant culture is used so the result does not depend on the server's locale.
/// </remarks>
public static class EmailAddress
{
    /// <summary>RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets, so 254 for the address.</summary>
    public const int MaxLength = 254;

    /// <summary>RFC 5321 §4.5.3.1.1: the local part is at most 64 octets.</summary>
    public const int LocalPartMaxLength = 64;

    /// <summary>RFC 5321 §4.5.3.1.2: a domain is at most 255 octets; 253 in practice for a dotted name.</summary>
    public const int DomainMaxLength = 253;

    /// <summary>Trims and lower-cases an address; throws <see cref="DomainException"/> when it is not an address.</summary>
    public static string Normalize(string? address) =>
        TryNormalize(address, out var normalized)
            ? normalized
            : throw new DomainException($"'{address}' is not a valid e-mail address.");

    /// <summary>Trims and lower-cases an address; false when it is empty, too long, or lacks a local part or domain.</summary>
    public static bool TryNormalize(string? address, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var trimmed = address.Trim();
        if (trimmed.Length > MaxLength)
        {
            return false;
        }

        // The last '@' separates the domain: a quoted local part may itself contain '@'.
        var at = trimmed.LastIndexOf('@');
        if (at < 1 || at > LocalPartMaxLength || at == trimmed.Length - 1 || trimmed.Length - at - 1 > DomainMaxLength)
        {
            return false;
        }

        foreach (var c in trimmed)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        var domain = trimmed.AsSpan(at + 1);
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        normalized = trimmed.ToLower(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>The domain part of an already normalised address.</summary>
    public static string DomainOf(string normalizedAddress)
    {
        ArgumentNullException.ThrowIfNull(normalizedAddress);
        var at = normalizedAddress.LastIndexOf('@');
        return at < 0 ? throw new DomainException($"'{normalizedAddress}' has no domain.") : normalizedAddress[(at + 1)..];
    }
}
