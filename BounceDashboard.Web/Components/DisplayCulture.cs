using System.Globalization;

namespace BounceDashboard.Web.Components;

/// <summary>
/// The culture pages format figures and dates with. The interface is written in English, so its numbers read the
/// English way ("1,234,567") whatever the locale of the server it runs on; a German server would otherwise print
/// "1.234.567" among English words.
/// </summary>
public static class DisplayCulture
{
    public static CultureInfo Value { get; } = CultureInfo.GetCultureInfo("en-US");
}
