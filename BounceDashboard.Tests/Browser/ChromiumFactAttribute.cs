using Xunit;

namespace BounceDashboard.Tests.Browser;

/// <summary>
/// A test that drives Debian's Chromium. Skipped, with the reason shown, when /usr/bin/chromium is missing,
/// except under BOUNCEDASHBOARD_REQUIRE_EXTERNAL=1 (set by .ci/run), where a missing browser is a failure.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string RequireExternalVariable = "BOUNCEDASHBOARD_REQUIRE_EXTERNAL";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath) && !IsRequired)
        {
            Skip = $"{ChromiumPath} is missing: apt-get install -y --no-install-recommends chromium fonts-liberation " +
                   $"(with {RequireExternalVariable}=1 this test fails instead of skipping).";
        }
    }

    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireExternalVariable) == "1";
}
