using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Core.Languages;

namespace LegalRag.Ingestion.Structure;

/// <summary>What a heading is: a citable provision, or a level of the act's hierarchy.</summary>
public sealed record HeadingInfo(bool IsProvision, ProvisionKind Kind, string Number, string Title, bool IsRepealed);

/// <summary>
/// Recognises provision headings in the styles of the corpora: "§ 573 Ordentliche Kündigung",
/// "§§ 3 bis 6 (weggefallen)", "Art 1", "Artikel 7:201", "Article 544", "Anlage 2", "Eingangsformel".
/// Anything else ("Buch 2 - Recht der Schuldverhältnisse", "Titre II") is structure.
/// </summary>
public static class HeadingClassifier
{
    // The markers are each language pack's (Core/Languages/<lang>/): every pack's words count in every
    // document, because acts quote each other and a corpus's declared language is only a default.
    private static readonly IReadOnlyList<StructureMarkers> Markers = LanguageRegistry.Default.All.Select(l => l.Structure).ToList();

    private static readonly Regex Provision = Build(
        $@"^(?:\(XXXX\)\s*)?(?<marker>{Alternatives(m => m.ProvisionMarkers)})\s*(?<num>\d+[a-zA-Z]{{0,3}}(?:[:\-]\d+[a-zA-Z]{{0,3}})*|[IVXLC]+\b|1er)(?<rest>.*)$");

    private static readonly Regex Annex = Build(
        $@"^(?:\(XXXX\)\s*)?(?<marker>{Alternatives(m => m.AnnexWords.Select(Regex.Escape))})\b\s*(?<num>[\w.]*)(?<rest>.*)$");

    private static readonly Regex Unnumbered = Build(
        $@"^(?:\(XXXX\)\s*)?(?<name>(?<closing>{Alternatives(m => m.ClosingNames)})|{Alternatives(m => m.PreambleNames)})\b(?<rest>.*)$");

    private static string Alternatives(Func<StructureMarkers, IEnumerable<string>> select) =>
        string.Join('|', Markers.SelectMany(select).Distinct(StringComparer.Ordinal));

    private static Regex Build(string pattern, RegexOptions extra = RegexOptions.None) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled | extra);

    public static bool IsRepealedText(string text) => RepealMarkers.IsRepealed(text);

    public static HeadingInfo Classify(string heading)
    {
        var h = Whitespace.Collapse(heading);
        var m = Provision.Match(h);
        if (m.Success)
        {
            var marker = m.Groups["marker"].Value;
            var kind = marker.StartsWith('§') ? ProvisionKind.Section : ProvisionKind.Article;
            var number = m.Groups["num"].Value;
            if (number == "1er") number = "1";
            var rest = m.Groups["rest"].Value.Trim().TrimStart('-', '–', '.', ':').Trim();
            // "§§ 3 bis 6 (weggefallen)": a repealed range, cited by its first number.
            return new HeadingInfo(true, kind, number, rest, RepealMarkers.IsRepealed(h));
        }
        var a = Annex.Match(h);
        if (a.Success)
        {
            var number = a.Groups["num"].Value.Trim('.');
            return new HeadingInfo(true, ProvisionKind.Annex, number, a.Groups["rest"].Value.Trim().TrimStart('(', ')').Trim(), RepealMarkers.IsRepealed(h));
        }
        var u = Unnumbered.Match(h);
        if (u.Success)
        {
            var name = u.Groups["name"].Value;
            var kind = u.Groups["closing"].Success ? ProvisionKind.Closing : ProvisionKind.Preamble;
            return new HeadingInfo(true, kind, name, u.Groups["rest"].Value.Trim(), false);
        }
        return new HeadingInfo(false, ProvisionKind.Other, "", h, RepealMarkers.IsRepealed(h));
    }
}

public static partial class Whitespace
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Runs();

    public static string Collapse(string text) => Runs().Replace(text, " ").Trim();
}
