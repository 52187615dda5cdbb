namespace BounceDashboard.Web.Identity;

/// <summary>The account endpoints, spelled once for the cookie options, the layout and the tests.</summary>
public static class AccountPaths
{
    public const string Login = "/Account/Login";
    public const string Logout = "/Account/Logout";
    public const string AccessDenied = "/Account/AccessDenied";
    /// <summary>The anonymous page a one-time set-password link opens.</summary>
    public const string ResetPassword = "/Account/ResetPassword";
    /// <summary>A signed-in user's own password.</summary>
    public const string ChangePassword = "/account/password";
}
