using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Legi;

/// <summary>
/// Reads Légifrance LEGI (DILA open data). The dump holds one file per article version (&lt;ARTICLE&gt;:
/// META_ARTICLE with NUM, ETAT, DATE_DEBUT/DATE_FIN; CONTEXTE with the text and its section titles;
/// BLOC_TEXTUEL with the text; NOTA and LIENS), beside the text's table of contents (texte/struct,
/// &lt;TEXTELR&gt;), its version record (texte/version, &lt;TEXTE_VERSION&gt;) and its sections (&lt;SECTION_TA&gt;).
/// An article file becomes one document of its act, as the one-file-per-article Markdown Code civil does:
/// the act's title names it (so "Code civil, art. 1240" resolves), the section titles are its path.
/// A text version with visas, signatures or a nota becomes a document of those; tables of contents hold no
/// text and are refused with that reason.
/// </summary>
internal static partial class LegiReader
{
    public const string Format = "legi-xml";

    /// <summary>DILA writes "2999-01-01" where a version has no end (and where a text has no publication date).</summary>
    private static readonly DateOnly OpenEnded = new(2999, 1, 1);

    /// <summary>LEGI (and JORF, same schema) files: an upper-case root the dumps use, identified by a DILA id.</summary>
    public static bool IsLegi(XElement root)
    {
        if (root.Name.NamespaceName.Length != 0) return false;
        return root.Name.LocalName switch
        {
            "ARTICLE" or "TEXTELR" or "TEXTE_VERSION" => DilaId(root.Element("META")?.Element("META_COMMUN")?.Element("ID")?.Value),
            "SECTION_TA" => DilaId(root.Element("ID")?.Value),
            _ => false,
        };
    }

    private static bool DilaId(string? id) => id is not null && DilaIdPattern().IsMatch(id.Trim());

    [GeneratedRegex(@"^(?:LEGI|JORF|KALI|CNIL)(?:ARTI|TEXT|SCTA)\d{12}$")]
    private static partial Regex DilaIdPattern();

    public static LegalDocument Read(XElement root, SourceFile file, ParseContext context, CancellationToken cancellationToken) =>
        root.Name.LocalName switch
        {
            "ARTICLE" => ReadArticle(root, file, context, cancellationToken),
            "TEXTE_VERSION" => ReadTextVersion(root, file, context, cancellationToken),
            "TEXTELR" => throw new DocumentRejectedException(
                "a LEGI text structure (texte/struct) lists sections and article ids but holds no text; ingest the article files (article/**/LEGIARTI*.xml)"),
            _ => throw new DocumentRejectedException(
                "a LEGI section (SECTION_TA) lists its articles but holds no text; ingest the article files (article/**/LEGIARTI*.xml)"),
        };

    private static LegalDocument ReadArticle(XElement root, SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        var id = Required(root.Element("META")?.Element("META_COMMUN")?.Element("ID"), "META/META_COMMUN/ID");
        var meta = root.Element("META")?.Element("META_SPEC")?.Element("META_ARTICLE")
                   ?? throw new DocumentRejectedException($"the LEGI article {id} has no META_SPEC/META_ARTICLE");
        var num = Whitespace.Collapse(meta.Element("NUM")?.Value ?? "");
        var state = Whitespace.Collapse(meta.Element("ETAT")?.Value ?? "").ToUpperInvariant();
        var from = Date(meta.Element("DATE_DEBUT"), id);
        var to = Date(meta.Element("DATE_FIN"), id);

        var text = root.Element("CONTEXTE")?.Element("TEXTE");
        var (title, fullTitle) = TextTitle(text, from);
        title = context.ActTitle ?? title ?? throw new DocumentRejectedException($"the LEGI article {id} names no text (CONTEXTE/TEXTE/TITRE_TXT)");
        var abbreviation = context.ActAbbreviation;
        var actName = abbreviation ?? title;
        var path = SectionPath(text, from);

        var (kind, number) = KindAndNumber(num);
        var blocks = LegiContent.Blocks(root.Element("BLOC_TEXTUEL")?.Element("CONTENU"), cancellationToken);
        var paragraphs = StructureBuilder.SplitParagraphs(blocks.Select(b => (b, (int?)null)).ToList());
        var repealed = state is "ABROGE" or "ANNULE" or "PERIME";
        if (paragraphs.Count == 0 && !repealed)
            throw new DocumentRejectedException($"the LEGI article {id} ({num}) has no text (BLOC_TEXTUEL is empty)");

        const string language = "fr";
        var key = $"{context.Corpus}/{StructureBuilder.Slug(actName)}/{(kind == ProvisionKind.Annex ? "anl" : kind == ProvisionKind.Article ? "a" : "x-")}{StructureBuilder.Slug(number.Length > 0 ? number : id)}";
        // Every version of an article is its own file. The one in force keeps the plain key, so a citation and a
        // re-ingest land on it; superseded wordings, and a deferred one not yet in force (VIGUEUR_DIFF), are kept
        // beside it under the date they take effect (ProvisionVersions), so no two versions compete for one key.
        if ((state.StartsWith("MODIFIE", StringComparison.Ordinal) || state.StartsWith("VIGUEUR_DIFF", StringComparison.Ordinal)) && from is { } since)
            key += "@" + since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var provision = new Provision
        {
            Key = key,
            Kind = kind,
            Number = number,
            Citation = CitationFormatter.Format(language, actName, kind, number),
            Path = path,
            Paragraphs = paragraphs,
            IsRepealed = repealed,
            Identifier = id,
            ValidFrom = from,
            ValidTo = to,
            Notes = Notes(root, cancellationToken),
        };
        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = language,
            Title = title,
            Abbreviation = abbreviation,
            Format = Format,
            Identifier = text?.Attribute("cid")?.Value is { Length: > 0 } cid ? cid : null,
            Aliases = fullTitle is not null && !string.Equals(fullTitle, title, StringComparison.Ordinal) ? [fullTitle] : [],
            // The file holds one version of one article: the document is valid as that version is.
            ValidFrom = from,
            ValidTo = to,
            Provisions = [provision],
        };
    }

    /// <summary>
    /// The version record of a text: its title, dates, and the parts of a non-code text that are no article
    /// (visas, signatures, travaux préparatoires, nota). A code's record has none of those and is refused.
    /// </summary>
    private static LegalDocument ReadTextVersion(XElement root, SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        var id = Required(root.Element("META")?.Element("META_COMMUN")?.Element("ID"), "META/META_COMMUN/ID");
        var version = root.Element("META")?.Element("META_SPEC")?.Element("META_TEXTE_VERSION")
                      ?? throw new DocumentRejectedException($"the LEGI text version {id} has no META_SPEC/META_TEXTE_VERSION");
        var title = context.ActTitle ?? NonEmpty(version.Element("TITRE")?.Value) ?? NonEmpty(version.Element("TITREFULL")?.Value)
                    ?? throw new DocumentRejectedException($"the LEGI text version {id} has no TITRE");
        var fullTitle = NonEmpty(version.Element("TITREFULL")?.Value);
        var from = Date(version.Element("DATE_DEBUT"), id);
        var to = Date(version.Element("DATE_FIN"), id);
        var actName = context.ActAbbreviation ?? title;
        const string language = "fr";

        var provisions = new List<Provision>();
        foreach (var (element, heading, kind) in new[]
                 {
                     ("VISAS", "Visas", ProvisionKind.Preamble), ("SIGNATAIRES", "Signataires", ProvisionKind.Closing),
                     ("TP", "Travaux préparatoires", ProvisionKind.Other), ("NOTA", "Nota", ProvisionKind.Other),
                 })
        {
            var blocks = LegiContent.Blocks(root.Element(element)?.Element("CONTENU"), cancellationToken);
            if (blocks.Count == 0) continue;
            provisions.Add(new Provision
            {
                Key = $"{context.Corpus}/{StructureBuilder.Slug(actName)}/{element.ToLowerInvariant()}",
                Kind = kind,
                Number = "",
                Heading = heading,
                Citation = $"{actName}, {heading.ToLowerInvariant()}",
                Paragraphs = StructureBuilder.SplitParagraphs(blocks.Select(b => (b, (int?)null)).ToList()),
                Ordinal = provisions.Count,
                Identifier = id,
                ValidFrom = from,
                ValidTo = to,
            });
        }
        if (provisions.Count == 0)
            throw new DocumentRejectedException($"the LEGI text version {id} holds only the text's title and dates (no visas, signatures or nota); its articles are separate files");
        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = language,
            Title = title,
            Abbreviation = context.ActAbbreviation,
            Format = Format,
            Identifier = NonEmpty(version.Parent?.Element("META_TEXTE_CHRONICLE")?.Element("CID")?.Value) ?? id,
            Aliases = fullTitle is not null && fullTitle != title ? [fullTitle] : [],
            ValidFrom = from,
            ValidTo = to,
            Provisions = provisions,
        };
    }

    [GeneratedRegex(@"^Annexe\b\s*(?<n>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnnexNumber();

    /// <summary>"L121-2" is an article; "Annexe 2-4" is annex "2-4", cited "…, annexe 2-4"; no number: an unnumbered unit.</summary>
    internal static (ProvisionKind Kind, string Number) KindAndNumber(string num)
    {
        if (num.Length == 0) return (ProvisionKind.Other, "");
        if (AnnexNumber().Match(num) is { Success: true } m) return (ProvisionKind.Annex, m.Groups["n"].Value.Trim());
        return (ProvisionKind.Article, num);
    }

    /// <summary>The text's short title (c_titre_court, else the title) and its full title, in the version covering <paramref name="at"/>.</summary>
    private static (string? Short, string? Full) TextTitle(XElement? text, DateOnly? at)
    {
        var titles = text?.Elements("TITRE_TXT").ToList() ?? [];
        if (titles.Count == 0) return (null, null);
        var chosen = InForce(titles, at);
        var full = NonEmpty(chosen.Value);
        return (NonEmpty(chosen.Attribute("c_titre_court")?.Value) ?? full, full);
    }

    /// <summary>The titles of the sections above the article, outermost first (nested TM/TITRE_TM), each in the version covering <paramref name="at"/>.</summary>
    private static List<string> SectionPath(XElement? text, DateOnly? at)
    {
        var path = new List<string>();
        for (var tm = text?.Element("TM"); tm is not null; tm = tm.Element("TM"))
        {
            var titles = tm.Elements("TITRE_TM").ToList();
            if (titles.Count == 0) continue;
            if (NonEmpty(InForce(titles, at).Value) is { } title) path.Add(title);
        }
        return path;
    }

    /// <summary>Of several dated versions of a title, the one whose [debut, fin) holds <paramref name="at"/>; else the latest.</summary>
    private static XElement InForce(List<XElement> versions, DateOnly? at)
    {
        if (versions.Count == 1 || at is null) return versions[^1];
        foreach (var v in versions)
        {
            var debut = ParseDate((string?)v.Attribute("debut"));
            var fin = ParseDate((string?)v.Attribute("fin"));
            if ((debut is null || debut <= at) && (fin is null || at < fin)) return v;
        }
        return versions[^1];
    }

    // The wording Légifrance shows for a link whose other end acted on this article (sens="source").
    private static readonly Dictionary<string, string> ActedBy = new(StringComparer.Ordinal)
    {
        ["CREATION"] = "Créé par",
        ["MODIFICATION"] = "Modifié par",
        ["ABROGATION"] = "Abrogé par",
        ["CODIFICATION"] = "Codifié par",
        ["TRANSFERT"] = "Transféré par",
        ["RATIFICATION"] = "Ratifié par",
        ["ANNULATION"] = "Annulé par",
        ["DEPLACEMENT"] = "Déplacé par",
        ["PEREMPTION"] = "Périmé par",
    };

    /// <summary>The NOTA, then the links (creation, amendment, repeal, citations), each as one note; kept apart from the text.</summary>
    private static List<string> Notes(XElement article, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var nota = LegiContent.Blocks(article.Element("NOTA")?.Element("CONTENU"), cancellationToken);
        if (nota.Count > 0) notes.Add("Nota : " + string.Join("\n", nota));
        foreach (var link in article.Element("LIENS")?.Elements("LIEN") ?? [])
        {
            var target = Whitespace.Collapse(link.Value);
            if (target.Length == 0) continue;
            var type = ((string?)link.Attribute("typelien") ?? "").Trim().ToUpperInvariant();
            var sens = ((string?)link.Attribute("sens") ?? "").Trim();
            var label = sens == "source" && ActedBy.TryGetValue(type, out var acted) ? acted
                : type.Length > 0 ? char.ToUpperInvariant(type[0]) + type[1..].ToLowerInvariant() + " (" + sens + ")"
                : "Lien";
            notes.Add($"{label} : {target}");
        }
        return notes;
    }

    private static DateOnly? Date(XElement? element, string id)
    {
        var raw = element?.Value.Trim();
        if (string.IsNullOrEmpty(raw)) return null;
        if (!DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new DocumentRejectedException($"the LEGI file {id} has an unreadable date in {element!.Name.LocalName}: '{raw}' (expected YYYY-MM-DD)");
        return date == OpenEnded ? null : date;
    }

    /// <summary>A DILA date; 2999-01-01 (no end, no date) is null.</summary>
    private static DateOnly? ParseDate(string? raw) =>
        DateOnly.TryParseExact(raw?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d != OpenEnded ? d : null;

    private static string Required(XElement? element, string what) =>
        NonEmpty(element?.Value) ?? throw new DocumentRejectedException($"the LEGI file has no {what}");

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : Whitespace.Collapse(text);
}
