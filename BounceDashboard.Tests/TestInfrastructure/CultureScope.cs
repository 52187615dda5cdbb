using System.Globalization;

namespace BounceDashboard.Tests.TestInfrastructure;

/// <summary>
/// Runs the code of a using block under another culture (current and UI culture; both flow into awaited code), and
/// puts the previous ones back on dispose. For checking output that must not depend on the machine's locale.
/// </summary>
public sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public CultureScope(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    /// <summary>German: a decimal comma and full stops between thousands ("1.234,5"), the opposite of English.</summary>
    public static CultureScope German() => new("de-DE");

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
