using System.Globalization;
using BounceDashboard.Domain.Common;

namespace BounceDashboard.Web.Api;

/// <summary>
/// Query-string values read as text and checked here, so that every bad value answers 400 problem details naming the
/// parameter (the framework's own binding answers an empty 400, or throws in Development).
/// </summary>
internal sealed class ApiArguments
{
    private readonly List<string> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    public IResult Problem() => ApiProblems.BadRequest("Invalid query parameters", string.Join(" ", _errors));

    public TEnum? Enum<TEnum>(string name, string? value)
        where TEnum : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // Names only: a number would pick a value nobody named.
        if (!value.Trim().All(char.IsAsciiLetter) || !System.Enum.TryParse<TEnum>(value.Trim(), ignoreCase: true, out var parsed))
        {
            _errors.Add($"'{name}' must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}, not '{value}'.");
            return null;
        }

        return parsed;
    }

    public DateTimeOffset? Instant(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            _errors.Add($"'{name}' must be an ISO 8601 date or time (e.g. 2026-12-01 or 2026-12-01T08:00:00Z), not '{value}'.");
            return null;
        }

        return parsed;
    }

    public bool? Boolean(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!bool.TryParse(value, out var parsed))
        {
            _errors.Add($"'{name}' must be true or false, not '{value}'.");
            return null;
        }

        return parsed;
    }

    public int Int(string name, string? value, int defaultValue, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' must be a whole number from {min} to {max}, not '{value}'."));
            return defaultValue;
        }

        return parsed;
    }

    public long? Id(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
        {
            _errors.Add($"'{name}' must be a positive id, not '{value}'.");
            return null;
        }

        return parsed;
    }

    public string? Text(string name, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' is longer than {maxLength} characters."));
            return null;
        }

        return trimmed;
    }

    public void Check(bool condition, string error)
    {
        if (!condition)
        {
            _errors.Add(error);
        }
    }

    /// <summary>The address as stored, or a 400 problem for a malformed one.</summary>
    public static bool TryAddress(string? value, out string address, out IResult? problem)
    {
        if (EmailAddress.TryNormalize(value, out var normalized))
        {
            address = normalized;
            problem = null;
            return true;
        }

        address = string.Empty;
        problem = ApiProblems.BadRequest("Malformed address", $"'{value}' is not a valid e-mail address.");
        return false;
    }
}
