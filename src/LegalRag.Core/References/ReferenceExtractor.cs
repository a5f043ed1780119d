using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Core.References;

/// <summary>Finds the references in every provision of a parsed document, with the rules of its language.</summary>
public static class ReferenceExtractor
{
    /// <summary>The rules for a language, or null when there are none (no references are extracted then).</summary>
    public static IReferenceRules? RulesFor(string language) => CitationFormatter.NormalizeLanguage(language) switch
    {
        "de" => new GermanReferenceRules(),
        "fr" => new FrenchReferenceRules(),
        "nl" => new DutchReferenceRules(),
        _ => null,
    };

    public static IReadOnlyList<ProvisionReference> Extract(LegalDocument document)
    {
        var rules = RulesFor(document.Language);
        if (rules is null) return [];
        var result = new List<ProvisionReference>();
        var seen = new HashSet<ProvisionReference>();
        foreach (var provision in document.Provisions)
        {
            if (provision.IsRepealed) continue;
            foreach (var paragraph in provision.Paragraphs)
            {
                foreach (var mention in rules.Find(paragraph.Text))
                {
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
}
