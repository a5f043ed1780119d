using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Languages;

namespace LegalRag.Core.References;

/// <summary>Finds the references in every provision of a parsed document, with the rules of its language.</summary>
public static class ReferenceExtractor
{
    /// <summary>The rules for a language, or null when there are none (no references are extracted then).</summary>
    public static IReferenceRules? RulesFor(string language) => LanguageRegistry.Default.Find(language)?.References;

    public static IReadOnlyList<ProvisionReference> Extract(LegalDocument document)
    {
        var rules = RulesFor(document.Language);
        if (rules is null) return [];
        var result = new List<ProvisionReference>();
        var seen = new HashSet<ProvisionReference>();
        var book = SingleBook(document);
        foreach (var provision in document.Provisions)
        {
            if (provision.IsRepealed) continue;
            foreach (var paragraph in provision.Paragraphs)
            {
                foreach (var found in rules.Find(paragraph.Text))
                {
                    // In a book of a code ("art. 1:4 BW") a bare "artikel 20a" is an article of the same book.
                    var mention = book is not null && found.Act is null && !found.Number.Contains(':') ? found with { Number = book + found.Number } : found;
                    // "§ 573 Abs. 2" inside § 573 points into the provision itself: not an edge.
                    if (mention.Act is null && mention.Kind == provision.Kind
                        && CitationReference.NormalizeNumber(mention.Number) == CitationReference.NormalizeNumber(provision.Number)) continue;
                    var reference = new ProvisionReference(provision.Key, mention.Act, mention.Kind, mention.Number);
                    if (seen.Add(reference)) result.Add(reference);
                }
            }
        }
        return result;
    }

    /// <summary>
    /// "1:" when (nearly) every article is numbered "1:…": the document is one book of a code. An act numbered
    /// by chapters ("1:1" … "10:3", the Awb) has several prefixes and cites its articles in full.
    /// </summary>
    private static string? SingleBook(LegalDocument document)
    {
        var articles = document.Provisions.Where(p => p.Kind == ProvisionKind.Article && p.Number.Length > 0).ToList();
        if (articles.Count == 0) return null;
        var prefixes = articles.Where(p => p.Number.Contains(':')).GroupBy(p => p.Number[..(p.Number.IndexOf(':') + 1)]).ToList();
        return prefixes.Count == 1 && prefixes[0].Count() >= articles.Count * 0.9 ? prefixes[0].Key : null;
    }
}
