using System.Globalization;
using System.Text;
using LegalRag.Core.Languages;

namespace LegalRag.Core.Text;

/// <summary>Options of the lexical analysis; the defaults are what the evaluation measured best.</summary>
public sealed record AnalyzerOptions
{
    public bool FoldDiacritics { get; init; } = true;
    public bool RemoveStopwords { get; init; } = true;
    public bool Stem { get; init; } = true;
    public static AnalyzerOptions Default { get; } = new();
    /// <summary>Lowercase word tokens only: the plain-BM25 reference in shared/README.md.</summary>
    public static AnalyzerOptions Plain { get; } = new() { FoldDiacritics = false, RemoveStopwords = false, Stem = false };
}

/// <summary>
/// Turns text into index terms: lowercase, diacritics folded ("Kündigung" → "kundigung", "ß" → "ss"),
/// stopwords dropped, then the language pack's light stemmer. Index and query go through the same
/// analyzer, so the embedded FTS5 index and Qdrant's sparse vectors see the same terms.
/// </summary>
public sealed class TextAnalyzer
{
    /// <summary>Tokens longer than this are noise (hashes, base64) and are cut, not indexed whole.</summary>
    public const int MaxTokenLength = 64;

    private static readonly IReadOnlySet<string> NoStopwords = new HashSet<string>();

    private readonly string _language;
    private readonly AnalyzerOptions _options;
    private readonly ILegalLanguage? _pack;
    private readonly IReadOnlySet<string> _stopwords;

    /// <param name="language">A language code; one without a pack is only lowercased and folded.</param>
    public TextAnalyzer(string language, AnalyzerOptions? options = null)
    {
        _language = Citations.CitationFormatter.NormalizeLanguage(language);
        _options = options ?? AnalyzerOptions.Default;
        _pack = LanguageRegistry.Default.Find(_language);
        _stopwords = _options.RemoveStopwords && _pack is not null ? _pack.Stopwords : NoStopwords;
    }

    public string Language => _language;

    /// <summary>Raw word tokens with their offsets in <paramref name="text"/>, lowercased and folded.</summary>
    public static IEnumerable<(int Start, int Length, string Token)> Tokenize(string text, bool foldDiacritics = true)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i])) i++;
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || IsJoiner(text, i))) i++;
            if (i > start)
            {
                var raw = text.AsSpan(start, Math.Min(i - start, MaxTokenLength));
                yield return (start, i - start, Normalize(raw, foldDiacritics));
            }
        }
    }

    // A hyphen or apostrophe inside a word does not split it for stemming purposes only when
    // followed by a letter; "Miet-Vertrag" splits, "l'article" splits. Keep only digits joined by
    // ':' (Dutch "7:201") as one token.
    private static bool IsJoiner(string text, int i) =>
        text[i] == ':' && i > 0 && char.IsDigit(text[i - 1]) && i + 1 < text.Length && char.IsDigit(text[i + 1]);

    public static string Normalize(ReadOnlySpan<char> token, bool foldDiacritics)
    {
        var sb = new StringBuilder(token.Length + 2);
        foreach (var c in token)
        {
            var lower = char.ToLowerInvariant(c);
            if (!foldDiacritics) { sb.Append(lower); continue; }
            switch (lower)
            {
                case 'ß': sb.Append("ss"); break;
                case 'æ': sb.Append("ae"); break;
                case 'œ': sb.Append("oe"); break;
                default:
                    if (lower < 128) { sb.Append(lower); break; }
                    foreach (var d in lower.ToString().Normalize(NormalizationForm.FormD))
                        if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark) sb.Append(d);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The index terms of a text, in order (duplicates kept: BM25 needs term frequency).</summary>
    public List<string> Analyze(string text)
    {
        var terms = new List<string>();
        foreach (var (_, _, token) in Tokenize(text, _options.FoldDiacritics))
        {
            var term = Term(token);
            if (term is not null) terms.Add(term);
        }
        return terms;
    }

    /// <summary>Maps one normalized token to its index term, or null for a stopword.</summary>
    public string? Term(string token)
    {
        if (_stopwords.Contains(token)) return null;
        return _options.Stem ? Stem(token) : token;
    }

    // Short tokens and numbers are never stemmed: "573a" stays a pinpoint number.
    private string Stem(string token) =>
        token.Length < 4 || char.IsDigit(token[0]) || _pack is null ? token : _pack.Stem(token);
}
