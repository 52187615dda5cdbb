using System.ComponentModel.DataAnnotations;
using BounceDashboard.Domain.Tracking;

namespace BounceDashboard.Web.Options;

/// <summary>
/// The key that signs and verifies delivery tokens (<see cref="TrackingTokenSigner"/>): the VERP return path, the
/// tracking header and the open/click URLs. Required everywhere; only appsettings.Development.json carries a
/// development key, so a production start without <c>Tracking__SigningKey</c> stops with a message.
/// </summary>
/// <remarks>Generate one with <c>openssl rand -base64 32</c>. Changing it unmatches every token already sent.</remarks>
public sealed class TrackingOptions : IValidatableObject
{
    public const string SectionName = "Tracking";

    /// <summary>Base64 of at least <see cref="TrackingTokenSigner.MinimumKeyLength"/> random bytes.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The decoded key; valid only once <see cref="Validate"/> passed.</summary>
    public byte[] KeyBytes() =>
        TryDecode(SigningKey, out var key) && key.Length >= TrackingTokenSigner.MinimumKeyLength
            ? key
            : throw new InvalidOperationException($"{SectionName}:{nameof(SigningKey)} is not a valid key.");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(SigningKey)} is required: base64 of at least {TrackingTokenSigner.MinimumKeyLength} random bytes (openssl rand -base64 32).",
                [nameof(SigningKey)]);
        }
        else if (!TryDecode(SigningKey, out var key) || key.Length < TrackingTokenSigner.MinimumKeyLength)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(SigningKey)} must be base64 of at least {TrackingTokenSigner.MinimumKeyLength} bytes.",
                [nameof(SigningKey)]);
        }
    }

    private static bool TryDecode(string? text, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written))
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }
}
