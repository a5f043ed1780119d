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

    // German inflection is mostly -e, -en, -er, -es, -em, -ern, -s, -n, -nd plus umlaut (already folded).
    private static string German(string w)
    {
        // "Mietverträge" folds to "mietvertrage", strip inflection but keep a stem of at least 3 letters.
        string[] suffixes = ["ungen", "ernd", "ern", "em", "en", "er", "es", "nd", "e", "s", "n", "t"];
        for (var round = 0; round < 2; round++)
        {
            var stripped = false;
            foreach (var s in suffixes)
            {
                if (w.Length - s.Length >= 4 && w.EndsWith(s, StringComparison.Ordinal))
                {
                    // "ungen" → "ung": plural of the productive -ung nouns.
                    w = s == "ungen" ? w[..^2] : w[..^s.Length];
                    stripped = true;
                    break;
                }
            }
            if (!stripped) break;
        }
        return w;
    }

    private static string French(string w)
    {
        string[] suffixes = ["issements", "issement", "ements", "ement", "ations", "ation", "euses", "euse", "ives", "ive", "ifs", "if", "aux", "es", "s", "x", "e"];
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
