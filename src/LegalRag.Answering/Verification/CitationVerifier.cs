using System.Text;
using System.Text.RegularExpressions;
using LegalRag.Answering.Extractive;
using LegalRag.Answering.Languages;
using LegalRag.Answering.Text;

namespace LegalRag.Answering.Verification;

/// <summary>One claim after verification: its text as sent (markers replaced by pinpoint citations,
/// problems marked ⚠), the citations it carries and what was wrong with it.</summary>
public sealed record VerifiedClaim(string Text, IReadOnlyList<AnswerCitation> Citations, IReadOnlyList<AnswerFlag> Flags);

/// <summary>
/// Checks a generated claim against the numbered sources before it is sent: every cited number must
/// name a source; every quoted span must appear verbatim (up to whitespace) in a cited provision; a
/// claim without a valid citation is kept but marked, so the user sees it is unsupported. Each valid
/// citation gets the verbatim span of the provision that supports the claim (the quote when there is
/// one, else the provision's sentence sharing most words with the claim), for highlighting.
/// </summary>
public sealed partial class CitationVerifier(IReadOnlyList<AnswerSource> sources, AnswerTexts texts)
{
    /// <summary>"[1]", "[1, 3]", "[Quelle 2]", "[source 2]".</summary>
    [GeneratedRegex(@"\[\s*(?:(?:Quelle|Quellen|Source|Sources|Bron|Bronnen|Allikas|Allikad)\s*)?(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]", RegexOptions.IgnoreCase)]
    private static partial Regex Marker();

    /// <summary>Spans in any of the quotation marks the five languages use, 12+ characters.</summary>
    [GeneratedRegex(@"[""“„«‘]\s?(?<q>[^""“”„«»‘’]{12,}?)\s?[""”“»’]")]
    private static partial Regex Quoted();

    public static bool HasMarkers(string text) => Marker().IsMatch(text);

    public VerifiedClaim Verify(string claim, int nextCitationNumber)
    {
        var flags = new List<AnswerFlag>();
        var citations = new List<AnswerCitation>();
        var cited = new List<AnswerSource>();
        var unknown = new List<int>();
        foreach (Match m in Marker().Matches(claim))
        {
            foreach (var part in m.Groups[1].Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var n = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
                var source = sources.FirstOrDefault(s => s.Number == n);
                if (source is null) unknown.Add(n);
                else if (!cited.Contains(source)) cited.Add(source);
            }
        }
        var plain = Marker().Replace(claim, "").Trim();
        plain = CollapseSpaces(plain).Replace(" .", ".").Replace(" ,", ",");
        if (plain.Length == 0) return new VerifiedClaim("", [], []);

        // Quotes must be verbatim in one of the cited provisions.
        var quotes = Quoted().Matches(plain).Select(m => m.Groups["q"].Value.Trim()).ToList();
        var verifiedQuotes = new Dictionary<AnswerSource, string>();
        foreach (var quote in quotes)
        {
            var holder = cited.FirstOrDefault(s => ContainsVerbatim(FullText(s), quote));
            if (holder is not null) verifiedQuotes.TryAdd(holder, quote);
            else flags.Add(new AnswerFlag(AnswerFlag.QuoteNotFound, texts.QuoteNotFoundFlag, plain));
        }
        if (unknown.Count > 0)
            flags.Add(new AnswerFlag(AnswerFlag.UnknownSource, $"{texts.UnknownSourceFlag}: [{string.Join(", ", unknown)}]", plain));
        // A citation must support its claim: a claim that shares not one content word with any provision it cites
        // ("HACKED [1]", what a model says when a source told it to) is as unsupported as one that cites nothing,
        // and keeps no citation that would lend it a provision's authority.
        if (cited.Count > 0 && verifiedQuotes.Count == 0 && !cited.Any(s => Supports(s, plain)))
        {
            cited.Clear();
            flags.Add(new AnswerFlag(AnswerFlag.Uncited, texts.UncitedFlag, plain));
        }
        else if (cited.Count == 0 && unknown.Count == 0 && !IsLeadIn(plain))
            flags.Add(new AnswerFlag(AnswerFlag.Uncited, texts.UncitedFlag, plain));

        var text = new StringBuilder(plain);
        foreach (var source in cited)
        {
            var (quote, label, page) = verifiedQuotes.TryGetValue(source, out var q) ? Locate(source, q) : BestSpan(source, plain);
            var pinpoint = ExtractiveComposer.Pinpoint(source, label);
            citations.Add(ExtractiveComposer.CitationOf(nextCitationNumber + citations.Count, source, pinpoint, quote, label, page));
            text.Append(" [").Append(pinpoint).Append(']');
        }
        foreach (var flag in flags) text.Append(" [⚠ ").Append(flag.Message).Append(']');
        return new VerifiedClaim(text.ToString(), citations, flags);
    }

    /// <summary>True when the provision contains at least one of the claim's content terms, or when that cannot be
    /// judged by words: a claim without content terms ("Ja."), or a provision in another language than the answer.</summary>
    private bool Supports(AnswerSource source, string claim)
    {
        var language = source.Provision.Language;
        if (!string.Equals(language, texts.Language, StringComparison.OrdinalIgnoreCase)) return true;
        var terms = new QueryTerms(claim, language);
        return terms.Terms.Count == 0 || terms.Matched(FullText(source)).Count > 0;
    }

    /// <summary>A line that only introduces what follows ("Es gilt Folgendes:") makes no claim of its own.</summary>
    private static bool IsLeadIn(string text) => text.TrimEnd().EndsWith(':') && text.Length < 160;

    private static string FullText(AnswerSource s) => s.Provision.Provision.Heading + "\n" + s.Provision.Provision.Text;

    private (string Quote, string? Label, int? Page) Locate(AnswerSource source, string quote)
    {
        var paragraph = source.Provision.Provision.Paragraphs.FirstOrDefault(p => ContainsVerbatim(p.Text, quote));
        return (quote, paragraph?.Label, paragraph?.Page);
    }

    /// <summary>The provision's sentence sharing the most (weighted) words with the claim.</summary>
    private static (string Quote, string? Label, int? Page) BestSpan(AnswerSource source, string claim)
    {
        var terms = new QueryTerms(claim, source.Provision.Language);
        (string Text, string? Label, int? Page, double Weight) best = ("", null, null, -1);
        foreach (var paragraph in source.Provision.Provision.Paragraphs)
        {
            foreach (var sentence in SentenceSplitter.Split(paragraph.Text))
            {
                var weight = terms.WeightOf(terms.Matched(sentence.Text)) - sentence.Text.Length / 1000.0;
                if (weight > best.Weight) best = (sentence.Text, paragraph.Label, paragraph.Page, weight);
            }
        }
        return (ExtractiveComposer.Shorten(best.Text, 360, out _), best.Label, best.Page);
    }

    /// <summary>Verbatim up to whitespace and typographic quote/dash variants, which models normalize freely.</summary>
    public static bool ContainsVerbatim(string text, string quote)
    {
        var needle = Canonical(quote);
        return needle.Length > 0 && Canonical(text).Contains(needle, StringComparison.Ordinal);
    }

    private static string Canonical(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text.Normalize(NormalizationForm.FormC))
        {
            var c = raw switch { '–' or '—' => '-', '’' or '‘' => '\'', '“' or '”' or '„' => '"', '\u00A0' => ' ', _ => raw };
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string CollapseSpaces(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
