using System.Runtime.CompilerServices;
using System.Text;

namespace BounceDashboard.Domain.Parsing;

/// <summary>
/// Notices come in legacy charsets (ISO-2022-JP, ISO-8859-15, Windows-125x). .NET ships those code pages but only
/// registers them on request, and MimeKit resolves a charset once and remembers the answer: a process that touches
/// MimeKit before the code pages are registered reads such notices as mojibake for its whole life. So they are
/// registered when this assembly loads, and hosts call <see cref="Register"/> first thing as well.
/// </summary>
public static class LegacyCharsets
{
    private static int _registered;

    /// <summary>Registers the code-page encodings (once; later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        }
    }

#pragma warning disable CA2255 // A library module initializer on purpose: the registration must precede any MimeKit use.
    [ModuleInitializer]
    internal static void OnLoad() => Register();
#pragma warning restore CA2255
}
