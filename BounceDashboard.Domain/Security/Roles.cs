namespace BounceDashboard.Domain.Security;

/// <summary>Role names, spelled once (jasontaylordev/CleanArchitecture Roles.cs).</summary>
public static class Roles
{
    /// <summary>May reactivate suppressed addresses, resolve the review queue and see the job dashboard.</summary>
    public const string Admin = nameof(Admin);

    /// <summary>Browses campaigns and reports, downloads exports.</summary>
    public const string Marketer = nameof(Marketer);
}
