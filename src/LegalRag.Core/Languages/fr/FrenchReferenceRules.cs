using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Core.References;

namespace LegalRag.Core.Languages;

/// <summary>
/// French references: "l'article 1382", "aux articles 515-1 à 515-7", "article 220 du présent code",
/// "l'article 9 du code civil", "de l'article 1er". Another code or a loi named after the number is kept
/// as the act, so it resolves when that text is in the store.
/// </summary>
public sealed partial class FrenchReferenceRules : IReferenceRules
{
    public string Language => "fr";

    [GeneratedRegex(@"(?<![\w])(?:[Aa]rticles?|art\.)\s*(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G\d{1,5}(?:-\d{1,4})*(?:er\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"\G(?:,?\s*(?:alinéa|al\.)\s*\d{1,2}(?:er)?|\s+(?:bis|ter|quater)\b)*", RegexOptions.CultureInvariant)]
    private static partial Regex Pinpoint();

    [GeneratedRegex(@"\G\s*(?:,|et|ou|à)\s*(?=\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"\G,?\s+du\s+présent\s+code\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SameAct();

    // "du code civil", "du code de commerce", "du code de la consommation", "de la loi n° 65-557".
    [GeneratedRegex(@"\G,?\s+(?:du|de\s+la)\s+(?<act>[Cc]ode(?:\s+(?:de\s+la\s+|de\s+l'|des\s+|du\s+|de\s+|d')?[a-zéèêàçûô]+)(?:\s+(?:civile|pénale|rurale|générale|monétaire|financier))?|[Ll]oi\s+n°\s*[\d-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex NamedAct();

    private static readonly ReferenceLists.ListPatterns Patterns = new(Number(), Pinpoint(), Separator(), s => s == "à");

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
            else if (NamedAct().Match(text, end) is { Success: true } named)
            {
                act = named.Groups["act"].Value;
                position = named.Index + named.Length;
            }
            foreach (var n in numbers) result.Add(new ReferenceMention(act, ProvisionKind.Article, n.EndsWith("er", StringComparison.Ordinal) ? n[..^2] : n));
        }
        return result;
    }
}
