using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BounceDashboard.Domain.Bounces;

/// <summary>
/// An RFC 3463 enhanced mail system status code, <c>class.subject.detail</c> (e.g. 5.1.1).
/// Class is 2, 4 or 5; subject and detail are 0-999 (RFC 3463 §2 allows up to three digits, and
/// Sisimai's private codes such as 5.0.910 use them).
/// </summary>
public readonly record struct EnhancedStatusCode
{
    /// <summary>Longest text form: "5.999.999".</summary>
    public const int MaxLength = 9;

    private EnhancedStatusCode(int @class, int subject, int detail)
    {
        Class = @class;
        Subject = subject;
        Detail = detail;
    }

    public int Class { get; }
    public int Subject { get; }
    public int Detail { get; }

    /// <summary>Class 5: the failure is permanent.</summary>
    public bool IsPermanent => Class == 5;

    /// <summary>Class 4: the failure is transient.</summary>
    public bool IsTransient => Class == 4;

    /// <summary>Class 2: success.</summary>
    public bool IsSuccess => Class == 2;

    public static EnhancedStatusCode Create(int @class, int subject, int detail)
    {
        if (@class is not (2 or 4 or 5))
        {
            throw new InvalidStatusCodeException($"{@class}.{subject}.{detail}", "class must be 2, 4 or 5");
        }

        if (subject is < 0 or > 999 || detail is < 0 or > 999)
        {
            throw new InvalidStatusCodeException($"{@class}.{subject}.{detail}", "subject and detail must be 0-999");
        }

        return new EnhancedStatusCode(@class, subject, detail);
    }

    /// <summary>Parses "5.1.1"; throws <see cref="InvalidStatusCodeException"/> when the text is not a code.</summary>
    public static EnhancedStatusCode Parse(string text) =>
        TryParse(text, out var code) ? code : throw new InvalidStatusCodeException(text, "expected class.subject.detail");

    /// <summary>Parses "5.1.1" (surrounding white space allowed).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out EnhancedStatusCode code) =>
        TryParse(text.AsSpan(), out code);

    public static bool TryParse(ReadOnlySpan<char> text, out EnhancedStatusCode code)
    {
        code = default;
        text = text.Trim();
        var first = text.IndexOf('.');
        if (first != 1)
        {
            return false;
        }

        var rest = text[2..];
        var second = rest.IndexOf('.');
        if (second is < 1 or > 3)
        {
            return false;
        }

        var detailSpan = rest[(second + 1)..];
        if (detailSpan.Length is < 1 or > 3)
        {
            return false;
        }

        if (!int.TryParse(rest[..second], NumberStyles.None, CultureInfo.InvariantCulture, out var subject)
            || !int.TryParse(detailSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var detail))
        {
            return false;
        }

        var cls = text[0] - '0';
        if (cls is not (2 or 4 or 5))
        {
            return false;
        }

        code = new EnhancedStatusCode(cls, subject, detail);
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Class}.{Subject}.{Detail}");
}

/// <summary>Thrown when text that must be an RFC 3463 status code is not one.</summary>
public sealed class InvalidStatusCodeException(string text, string problem)
    : FormatException($"'{text}' is not an enhanced status code: {problem}.");
