using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Core.References;

namespace LegalRag.Core.Languages;

/// <summary>
/// Dutch references: "artikel 7:201", "artikel 3", "artikelen 3 tot en met 5", "artikel 6:162 van het
/// Burgerlijk Wetboek", "artikel 8:1 Awb", "artikel 214 van Boek 6". "het eerste lid" points inside the
/// same article and is not a reference.
/// </summary>
public sealed partial class DutchReferenceRules : IReferenceRules
{
    public string Language => "nl";

    [GeneratedRegex(@"(?<![\w])(?:[Aa]rtikel(?:en)?|art\.)\s*(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G\d{1,4}[a-zA-Z]?(?::\d{1,4}[a-z]{0,3})?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    // ", eerste lid, onder a", "lid 2", "onderdeel b": finer than the article, read over.
    [GeneratedRegex(@"\G(?:,?\s*(?:(?:\w+de|eerste|achtste)\s+(?:en\s+(?:\w+de|eerste|achtste)\s+)?lid|leden\s+\d+(?:\s+en\s+\d+)?|lid\s+\d+)(?:,?\s*(?:onderdeel|onder|sub)\s+\w+)?)+", RegexOptions.CultureInvariant)]
    private static partial Regex Pinpoint();

    [GeneratedRegex(@"\G\s*(?:,|en|of|tot\s+en\s+met)\s*(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"\G,?\s+van\s+(?:deze\s+wet|dit\s+wetboek|dit\s+besluit|deze\s+regeling)\b", RegexOptions.CultureInvariant)]
    private static partial Regex SameAct();

    [GeneratedRegex(@"\G,?\s+van\s+Boek\s+(?<book>\d{1,2}[a-zA-Z]?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex OfBook();

    // "van het Burgerlijk Wetboek", "van de Algemene wet bestuursrecht", "van de Grondwet".
    [GeneratedRegex(@"\G,?\s+(?:van|der)\s+(?:het|de)\s+(?<act>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*(?:\s+wet(?:\s+[a-z]{4,})?)?)", RegexOptions.CultureInvariant)]
    private static partial Regex NamedByTitle();

    // "artikel 8:1 Awb", "artikel 6:162 BW".
    [GeneratedRegex(@"\G\s+(?<act>[A-Z][A-Za-z]{0,5})(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex NamedByAbbreviation();

    private static readonly HashSet<string> NotActs = new(StringComparer.Ordinal) { "De", "Het", "Een", "In", "Op", "Bij", "Van", "Dit", "Deze", "Indien", "Stb", "Wij" };

    private static readonly ReferenceLists.ListPatterns Patterns = new(Number(), Pinpoint(), Separator(), s => s.StartsWith("tot", StringComparison.Ordinal));

    public IReadOnlyList<ReferenceMention> Find(string text)
    {
        var result = new List<ReferenceMention>();
        var position = 0;
        while (position < text.Length)
        {
            var m = Marker().Match(text, position);
            if (!m.Success) break;
            var (numbers, end) = ReferenceLists.Read(text, m.Index + m.Length, Patterns);
            position = Math.Max(end, m.Index + m.Length);
            if (numbers.Count == 0) continue;
            string? act = null;
            if (SameAct().Match(text, end) is { Success: true } same) position = same.Index + same.Length;
            else
            {
                if (OfBook().Match(text, end) is { Success: true } book)
                {
                    // "artikel 214 van Boek 6": the Burgerlijk Wetboek's own way of citing another book.
                    numbers = numbers.Select(n => n.Contains(':') ? n : $"{book.Groups["book"].Value}:{n}").ToList();
                    end = position = book.Index + book.Length;
                }
                if (NamedByTitle().Match(text, end) is { Success: true } title)
                {
                    act = title.Groups["act"].Value;
                    position = title.Index + title.Length;
                }
                else if (NamedByAbbreviation().Match(text, end) is { Success: true } abbr && !NotActs.Contains(abbr.Groups["act"].Value))
                {
                    act = abbr.Groups["act"].Value;
                    position = abbr.Index + abbr.Length;
                }
            }
            foreach (var n in numbers) result.Add(new ReferenceMention(act, ProvisionKind.Article, n));
        }
        return result;
    }
}
