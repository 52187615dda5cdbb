using System.Globalization;

namespace BounceDashboard.Web.Components;

/// <summary>
/// The culture pages format figures and dates with: the user's, as the browser's Accept-Language asked for it
/// (request localization, set up in <c>UiExtensions</c>; a Blazor circuit keeps the culture of the request that opened
/// it). The words stay English; numbers, percentages and dates read the user's way ("1.234.567" for a German browser).
/// </summary>
public static class DisplayCulture
{
    /// <summary>The cultures the app formats for; a browser asking for anything else gets the first, en-US.</summary>
    public static readonly string[] Supported =
    [
        "en-US", "en-GB", "en-AU", "en-CA", "en-IE", "en-IN", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-BE", "fr-CA",
        "fr-CH", "es-ES", "es-MX", "it-IT", "nl-NL", "nl-BE", "pt-PT", "pt-BR", "pl-PL", "cs-CZ", "sv-SE", "da-DK",
        "nb-NO", "fi-FI", "ja-JP",
    ];

    public static CultureInfo Value => CultureInfo.CurrentCulture;
}
