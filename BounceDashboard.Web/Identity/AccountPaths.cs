namespace BounceDashboard.Web.Identity;

/// <summary>The account endpoints, spelled once for the cookie options, the layout and the tests.</summary>
public static class AccountPaths
{
    public const string Login = "/Account/Login";
    public const string Logout = "/Account/Logout";
    public const string AccessDenied = "/Account/AccessDenied";
}
