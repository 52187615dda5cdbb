using System.Diagnostics.CodeAnalysis;

namespace BounceDashboard.Web.Identity;

/// <summary>
/// Guards redirects after sign-in and sign-out: only paths on this site are followed, so a crafted
/// <c>ReturnUrl</c> cannot send a user elsewhere (same rules as ASP.NET Core's <c>IUrlHelper.IsLocalUrl</c>).
/// </summary>
public static class LocalUrl
{
    public const string Root = "/";

    public static bool IsLocal([NotNullWhen(true)] string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        if (url[0] == '/')
        {
            // "/" alone, or "/x" where x is not a second slash or backslash ("//host" and "/\host" leave the site).
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\' && !HasControlCharacter(url.AsSpan(1)));
        }

        if (url.Length > 1 && url[0] == '~' && url[1] == '/')
        {
            return url.Length == 2 || (url[2] != '/' && url[2] != '\\' && !HasControlCharacter(url.AsSpan(2)));
        }

        return false;
    }

    /// <summary>The URL itself when it is local, otherwise the site root.</summary>
    public static string OrRoot(string? url) => IsLocal(url) ? url.TrimStart('~') : Root;

    private static bool HasControlCharacter(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
