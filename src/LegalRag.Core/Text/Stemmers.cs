namespace LegalRag.Core.Text;

/// <summary>
/// Light suffix-stripping stemmers. "Light" on purpose: legal terms must not collapse into each
/// other ("Miete" and "Mieter" may meet, "Mietvertrag" stays itself). Digits are never stemmed,
/// so "573a" stays a pinpoint number.
/// </summary>
public static class Stemmers
{
    public static string Stem(string language, string token)
    {
        if (token.Length < 4 || char.IsDigit(token[0])) return token;
        return language switch
        {
            "de" => German(token),
            "fr" => French(token),
            "nl" => Dutch(token),
            "en" => English(token),
            _ => token,
        };
    }

    // German inflection is mostly -e, -en, -er, -es, -em, -ern, -s, -n (umlauts are already folded).
    // Genitive/plural "s" goes first, then one inflection suffix: "Vermieters" → "vermieter" → "vermiet".
    private static string German(string w)
    {
        if (w.Length > 5 && w[^1] == 's' && w[^2] != 's') w = w[..^1];
        string[] suffixes = ["ungen", "ern", "em", "en", "er", "es", "e", "n"];
        foreach (var s in suffixes)
        {
            if (w.Length - s.Length >= 4 && w.EndsWith(s, StringComparison.Ordinal))
                return s == "ungen" ? w[..^2] : w[..^s.Length];
        }
        return w;
    }

    private static string French(string w)
    {
        string[] suffixes = ["issements", "issement", "ements", "ement", "ations", "ation", "euses", "euse", "ives", "ive", "ifs", "if", "aux", "es", "er", "s", "x", "e"];
        foreach (var s in suffixes)
        {
            if (w.Length - s.Length >= 3 && w.EndsWith(s, StringComparison.Ordinal))
                return s == "aux" ? w[..^3] + "al" : w[..^s.Length];
        }
        return w;
    }

    private static string Dutch(string w)
    {
        string[] suffixes = ["heden", "ingen", "en", "e", "s"];
        foreach (var s in suffixes)
        {
            if (w.Length - s.Length >= 3 && w.EndsWith(s, StringComparison.Ordinal))
            {
                w = s switch { "heden" => w[..^5] + "heid", "ingen" => w[..^2], _ => w[..^s.Length] };
                break;
            }
        }
        // "gg" → "g" after stripping ("leggen" → "legg" → "leg"), as in Dutch spelling rules.
        if (w.Length > 3 && w[^1] == w[^2] && !"aeiou".Contains(w[^1])) w = w[..^1];
        return w;
    }

    private static string English(string w)
    {
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) return w[..^3] + "y";
        string[] suffixes = ["ations", "ation", "ments", "ment", "ings", "ing", "ed", "es", "s"];
        foreach (var s in suffixes)
        {
            if (w.Length - s.Length >= 3 && w.EndsWith(s, StringComparison.Ordinal) && !w.EndsWith("ss", StringComparison.Ordinal))
                return w[..^s.Length];
        }
        return w;
    }
}
