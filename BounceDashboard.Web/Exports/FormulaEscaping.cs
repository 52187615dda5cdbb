namespace BounceDashboard.Web.Exports;

/// <summary>
/// Escapes text cells against formula injection (OWASP "CSV Injection"): a cell a spreadsheet would read as a formula,
/// one starting with =, +, -, @, a tab or a carriage return, gets a leading apostrophe, so Excel and LibreOffice show the
/// text instead of evaluating it. Bounce texts come from strangers' servers, and imported names from anyone's file, so
/// every text cell of every export goes through here (numbers and dates are written as typed values and need nothing).
/// </summary>
public static class FormulaEscaping
{
    /// <summary>The characters that make a spreadsheet read a cell as a formula or a command.</summary>
    public static ReadOnlySpan<char> TriggerCharacters => "=+-@\t\r";

    /// <summary>The text as it is safe to put in a cell; null stays null.</summary>
    public static string? Escape(string? text) =>
        string.IsNullOrEmpty(text) || !NeedsEscaping(text) ? text : "'" + text;

    /// <summary>True when a spreadsheet would read <paramref name="text"/> as a formula.</summary>
    public static bool NeedsEscaping(string text) =>
        text.Length > 0 && TriggerCharacters.Contains(text[0]);
}
