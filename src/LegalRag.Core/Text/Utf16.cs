using System.Text;

namespace LegalRag.Core.Text;

/// <summary>Repairs text that is not valid UTF-16, as queries from the outside may be.</summary>
public static class Utf16
{
    /// <summary>The text with every lone surrogate replaced by U+FFFD. Normalization
    /// (<see cref="string.Normalize()"/>), tokenizers and JSON writers throw on lone surrogates; a query must not.</summary>
    public static string Repair(string text)
    {
        if (!HasLoneSurrogate(text)) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb.Append(c).Append(text[++i]);
                continue;
            }
            sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        return sb.ToString();
    }

    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return true;
        }
        return false;
    }
}
