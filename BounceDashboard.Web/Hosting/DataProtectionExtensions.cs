using BounceDashboard.Web.Options;
using Microsoft.AspNetCore.DataProtection;

namespace BounceDashboard.Web.Hosting;

public static class DataProtectionExtensions
{
    /// <summary>
    /// The keys that protect the sign-in and antiforgery cookies: one application name for every instance and, when
    /// <c>DataProtection:KeysPath</c> is set, a key ring in that folder (a volume every instance mounts), so a cookie
    /// one instance issued is read by the next. Unset, ASP.NET Core's per-machine default applies (one instance).
    /// </summary>
    public static void AddBounceDashboardDataProtection(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DataProtectionKeysOptions.SectionName);
        builder.Services.AddOptions<DataProtectionKeysOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        // Where the keys live decides what is registered, so it is read now.
        var options = section.Get<DataProtectionKeysOptions>() ?? new DataProtectionKeysOptions();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(DataProtectionKeysOptions.ApplicationName);
        if (!string.IsNullOrWhiteSpace(options.KeysPath))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(options.KeysPath));
        }
    }
}
