namespace BounceDashboard.Domain.Common;

/// <summary>Length guards shared by the entities' factories.</summary>
internal static class TextLimits
{
    /// <summary>Trims a required text and checks its length; throws <see cref="DomainException"/> when empty or too long.</summary>
    public static string Required(string? value, int maxLength, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainException($"{what} is required.");
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainException($"{what} is longer than {maxLength} characters.");
    }

    /// <summary>Trims an optional text (blank becomes null) and checks its length.</summary>
    public static string? Optional(string? value, int maxLength, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainException($"{what} is longer than {maxLength} characters.");
    }

    /// <summary>Trims an optional text that comes from outside (a diagnostic, a reply) and cuts it to fit, never throwing.</summary>
    public static string? Truncate(string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength ? trimmed : trimmed[..maxLength];
    }
}
