using System.Globalization;

namespace LegalRag.Core.Text;

/// <summary>
/// The as-of day as every host takes it (--as-of, the API's and MCP's asOf, the hub's AsOf, a question set's asOf):
/// exactly YYYY-MM-DD, a real calendar day. One spelling everywhere, so a date that works in one place works in all.
/// </summary>
public static class IsoDay
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>The day, or null for a blank value; <paramref name="error"/> says why anything else is not a day.</summary>
    public static bool TryParse(string? text, string name, out DateOnly? day, out string? error)
    {
        day = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            day = parsed;
            return true;
        }
        error = $"{name} must be a date written YYYY-MM-DD (e.g. 2010-01-01), not '{(text.Length > 40 ? text[..40] + "…" : text)}'";
        return false;
    }
}
