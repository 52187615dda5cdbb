using System.ComponentModel.DataAnnotations;

namespace BounceDashboard.Web.Options;

/// <summary>The two demo users seeded at start-up. Production must supply these values (or turn seeding off).</summary>
public sealed class DemoOptions : IValidatableObject
{
    public const string SectionName = "Demo";

    /// <summary>When true, the roles and both demo users are created at start-up if they do not exist.</summary>
    public bool SeedUsers { get; set; } = true;

    [EmailAddress]
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    [EmailAddress]
    public string? MarketerEmail { get; set; }

    public string? MarketerPassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SeedUsers)
        {
            yield break;
        }

        (string? Value, string Name)[] required =
        [
            (AdminEmail, nameof(AdminEmail)),
            (AdminPassword, nameof(AdminPassword)),
            (MarketerEmail, nameof(MarketerEmail)),
            (MarketerPassword, nameof(MarketerPassword)),
        ];
        foreach (var (value, name) in required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{name} is required while {SectionName}:{nameof(SeedUsers)} is true.", [name]);
            }
        }
    }
}
