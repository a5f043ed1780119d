using System.Text.RegularExpressions;
using LegalRag.Core.Domain;

namespace LegalRag.Ingestion.Structure;

/// <summary>What a heading is: a citable provision, or a level of the act's hierarchy.</summary>
public sealed record HeadingInfo(bool IsProvision, ProvisionKind Kind, string Number, string Title, bool IsRepealed);

/// <summary>
/// Recognises provision headings in the styles of the corpora: "§ 573 Ordentliche Kündigung",
/// "§§ 3 bis 6 (weggefallen)", "Art 1", "Artikel 7:201", "Article 544", "Anlage 2", "Eingangsformel".
/// Anything else ("Buch 2 - Recht der Schuldverhältnisse", "Titre II") is structure.
/// </summary>
public static partial class HeadingClassifier
{
    [GeneratedRegex(@"^(?:\(XXXX\)\s*)?(?<marker>§§?|Art\.?|Artikel|Article|ARTICLE|Art(?=\s))\s*(?<num>\d+[a-zA-Z]{0,3}(?:[:\-]\d+[a-zA-Z]{0,3})*|[IVXLC]+\b|1er)(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ProvisionRegex();

    [GeneratedRegex(@"^(?:\(XXXX\)\s*)?(?<marker>Anlage|Anhang|Annex|Annexe|Bijlage)\b\s*(?<num>[\w.]*)(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex AnnexRegex();

    [GeneratedRegex(@"^(?:\(XXXX\)\s*)?(?<name>Eingangsformel|Präambel|Praeambel|Préambule|Preambule|Aanhef|Schlu(?:ss|ß)formel|Schlussbestimmung(?:en)?|Inhaltsübersicht|Inhaltsverzeichnis)\b(?<rest>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnnumberedRegex();

    [GeneratedRegex(@"\((?:weggefallen|aufgehoben|abrogé|abrogée|vervallen|repealed)\)|^\s*(?:weggefallen|aufgehoben|abrogé|vervallen)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RepealedRegex();

    public static bool IsRepealedText(string text) => RepealedRegex().IsMatch(text);

    public static HeadingInfo Classify(string heading)
    {
        var h = Whitespace.Collapse(heading);
        var m = ProvisionRegex().Match(h);
        if (m.Success)
        {
            var marker = m.Groups["marker"].Value;
            var kind = marker.StartsWith('§') ? ProvisionKind.Section : ProvisionKind.Article;
            var number = m.Groups["num"].Value;
            if (number == "1er") number = "1";
            var rest = m.Groups["rest"].Value.Trim().TrimStart('-', '–', '.', ':').Trim();
            // "§§ 3 bis 6 (weggefallen)": a repealed range, cited by its first number.
            return new HeadingInfo(true, kind, number, rest, RepealedRegex().IsMatch(h));
        }
        var a = AnnexRegex().Match(h);
        if (a.Success)
        {
            var number = a.Groups["num"].Value.Trim('.');
            return new HeadingInfo(true, ProvisionKind.Annex, number, a.Groups["rest"].Value.Trim().TrimStart('(', ')').Trim(), RepealedRegex().IsMatch(h));
        }
        var u = UnnumberedRegex().Match(h);
        if (u.Success)
        {
            var name = u.Groups["name"].Value;
            var kind = name.StartsWith("Schlu", StringComparison.Ordinal) ? ProvisionKind.Closing : ProvisionKind.Preamble;
            return new HeadingInfo(true, kind, name, u.Groups["rest"].Value.Trim(), false);
        }
        return new HeadingInfo(false, ProvisionKind.Other, "", h, RepealedRegex().IsMatch(h));
    }
}

public static partial class Whitespace
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Runs();

    public static string Collapse(string text) => Runs().Replace(text, " ").Trim();
}
