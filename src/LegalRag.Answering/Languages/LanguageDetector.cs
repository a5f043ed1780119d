using LegalRag.Core.Text;

namespace LegalRag.Answering.Languages;

/// <summary>
/// Guesses the language of a question among those answers are written in (de, fr, nl, en, et) from
/// function words and letters only one of them uses. Questions are short, so frequent small words
/// decide; a question with no telling word falls back to the caller's default (the corpus language).
/// </summary>
public static class LanguageDetector
{
    public static readonly IReadOnlyList<string> Supported = ["de", "fr", "nl", "en", "et"];

    // Frequent function and question words, folded as the analyzer folds (no diacritics). Words shared
    // by two languages ("in", "die" en/de) are left out or appear where they are most telling.
    private static readonly Dictionary<string, HashSet<string>> Markers = new()
    {
        ["de"] = Set("der das und ist nicht ich mein meine meinem meinen mir mich wie was wer wann warum welche welcher darf kann muss konnen mussen ein eine einen einem dem den des zu zum zur mit auf fur von bei nach oder wenn auch sich sie wird werden hat haben gilt uber durch mieter vermieter gesetz"),
        ["fr"] = Set("le la les un une des du de et est que qui quoi quel quelle quels quelles comment pourquoi peut puis dois doit mon ma mes je il elle ce cette dans pour par sur avec pas ne au aux sont selon loi droit si"),
        ["nl"] = Set("de het een en is van dat niet ik mijn mij wat wie hoe waarom welke mag kan moet zijn op voor met aan bij als ook er om te wordt worden hebben heeft wet huurder verhuurder"),
        ["en"] = Set("the a an and is are not i my me what who how why which when may can must should does do of to for with on by if it this that be landlord tenant law"),
        ["et"] = Set("ja on ei kas mis kes kuidas miks millal milline mida kui see seda minu mina ma mul oma voib peab tuleb ning ka et vo seaduse uurnik uurileandja"),
    };

    public static string Detect(string text, string fallback = "en")
    {
        var scores = Supported.ToDictionary(l => l, _ => 0.0);
        foreach (var (_, _, token) in TextAnalyzer.Tokenize(text))
        {
            foreach (var (language, words) in Markers)
                if (words.Contains(token)) scores[language] += 1;
        }
        // Letters that single a language out.
        foreach (var c in text)
        {
            switch (c)
            {
                case 'ß': scores["de"] += 2; break;
                case 'õ' or 'Õ': scores["et"] += 3; break;
                case 'ä' or 'ö' or 'ü' or 'Ä' or 'Ö' or 'Ü': scores["de"] += 0.5; scores["et"] += 0.5; break;
                case 'é' or 'è' or 'ê' or 'à' or 'ç' or 'ù' or 'â' or 'î' or 'ô' or 'û' or 'É': scores["fr"] += 1; break;
            }
        }
        if (text.Contains("ij", StringComparison.OrdinalIgnoreCase)) scores["nl"] += 0.5;
        var best = scores.MaxBy(kv => kv.Value);
        if (best.Value <= 0) return Normalize(fallback);
        // A tie goes to the fallback when it is among the best, else to the first in Supported order.
        var tied = scores.Where(kv => kv.Value == best.Value).Select(kv => kv.Key).ToList();
        return tied.Count > 1 && tied.Contains(Normalize(fallback)) ? Normalize(fallback) : tied[0];
    }

    /// <summary>"de-DE" → "de"; unsupported languages map to English, which every text here has.</summary>
    public static string Normalize(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return "en";
        var code = language.Length >= 2 ? language[..2].ToLowerInvariant() : language.ToLowerInvariant();
        return Supported.Contains(code) ? code : "en";
    }

    private static HashSet<string> Set(string words) => words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
