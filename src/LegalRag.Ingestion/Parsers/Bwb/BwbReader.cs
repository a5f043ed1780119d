using System.Globalization;
using System.Text;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Languages;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Bwb;

/// <summary>
/// Reads the Dutch basiswettenbestand (BWB) XML of wetten.overheid.nl in both shapes the repository ships:
/// a <c>&lt;toestand&gt;</c> (schema 2015/2016: one consolidated version, <c>inwerkingtreding</c> on the root,
/// <c>inwerking</c>, <c>status</c>, JCI references and source data on every unit) wrapping a <c>&lt;wetgeving&gt;</c>,
/// and the older bare <c>&lt;wetgeving bwb-id=…&gt;</c> (2012 DTD) without dates. Inside, both use one vocabulary:
/// hoofdstuk/titeldeel/afdeling/paragraaf (a <c>kop</c> with label, nr, titel) as the hierarchy, <c>artikel</c>
/// as the provision, <c>lid</c> (lidnr) as its paragraphs, <c>lijst</c>/<c>li</c> (li.nr) as points, CALS
/// <c>table</c>s, <c>aanhef</c>, <c>wetsluiting</c> and <c>bijlage</c>. Editorial text (<c>redactie</c>),
/// <c>meta-data</c> (source publications, remarks) and <c>noot</c> become <see cref="Provision.Notes"/>, never text.
/// </summary>
internal sealed class BwbReader(ParseContext context)
{
    public const string FormatName = "bwb-xml";

    private readonly List<Provision> _provisions = [];
    private readonly UniqueKeys _keys = new();
    private string _actName = "";
    private string _actSlug = "";
    private string? _bookPrefix;
    private string _bwbId = "";
    private CancellationToken _cancellationToken;

    /// <summary>A BWB toestand, or a 2012 wetgeving that names its BWB id (other "wetgeving" vocabularies do not).</summary>
    public static bool IsBwb(XElement root) =>
        root.Name.NamespaceName.Length == 0
        && ((root.Name.LocalName == "toestand" && root.Element("wetgeving") is not null)
            || (root.Name.LocalName == "wetgeving" && root.Attribute("bwb-id") is not null));

    /// <summary>The BWB manifest of one act (its list of versions): recognised so that it is refused with a reason.</summary>
    public static bool IsManifest(XElement root) =>
        root.Name.NamespaceName.Length == 0 && root.Name.LocalName == "work" && root.Elements("expression").Any();

    public LegalDocument Read(XElement root, SourceFile file, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        var wetgeving = root.Name.LocalName == "toestand" ? root.Element("wetgeving")! : root;
        _bwbId = (string?)root.Attribute("bwb-id") ?? (string?)wetgeving.Attribute("bwb-id") ?? "";
        if (_bwbId.Length == 0) throw new DocumentRejectedException("the BWB XML has no bwb-id");

        var intitule = InlineText(wetgeving.Element("intitule"), null);
        var citeertitel = InlineText(wetgeving.Element("citeertitel"), null);
        var title = context.ActTitle ?? (intitule.Length > 0 ? intitule : citeertitel.Length > 0 ? citeertitel : _bwbId);
        // How lawyers cite the act: the citeertitel ("Drank- en Horecawet"; "Burgerlijk Wetboek Boek 7" → BW with
        // book 7, so that articles read "art. 7:201 BW"), else what the intitule names, as the Markdown corpus does.
        var (fromCiteertitel, book) = citeertitel.Length > 0 ? ActNames.DutchCitationName(citeertitel) : (null, null);
        var (fromIntitule, intituleBook) = ActNames.DutchCitationName(intitule);
        book ??= intituleBook;
        var abbreviation = context.ActAbbreviation
                           ?? fromCiteertitel ?? (citeertitel.Length > 0 ? citeertitel : null) ?? fromIntitule;
        _actName = abbreviation ?? title;
        _actSlug = StructureBuilder.Slug(_actName);
        _bookPrefix = book is null ? null : book + ":";
        var aliases = new[] { citeertitel, fromIntitule ?? "" }
            .Where(a => a.Length > 0 && !string.Equals(a, _actName, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        var validFrom = Date(root.Attribute("inwerkingtreding")) ?? Date(wetgeving.Attribute("inwerkingtredingsdatum"));
        var version = root.Name.LocalName == "toestand" ? BwbManifest.FindVersion(file, _bwbId, validFrom, context.Limits) : null;

        foreach (var element in wetgeving.Elements()) Walk(element, []);
        if (_provisions.Count == 0) throw new DocumentRejectedException("the BWB XML has no articles and no text");

        var warnings = new List<string>();
        if (version?.Warning is { } warning) warnings.Add(warning);
        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = (string?)wetgeving.Attribute(XNamespace.Xml + "lang") ?? context.Language,
            Title = title,
            Abbreviation = abbreviation,
            Format = FormatName,
            Identifier = _bwbId,
            Aliases = aliases,
            ValidFrom = validFrom ?? version?.ValidFrom,
            ValidTo = version?.ValidTo,
            Provisions = _provisions,
            Warnings = warnings,
        };
    }

    // Elements whose content is never normative text.
    private static bool IsMetadata(string name) => name is "meta-data" or "kop" or "redactie" or "noot" or "bwb-inputbestand"
        or "bwb-wijzigingen" or "redactionele-correcties" or "intitule" or "citeertitel" or "jcis" or "brondata";

    private void Walk(XElement element, List<string> path)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var name = element.Name.LocalName;
        switch (name)
        {
            case "artikel":
                AddArticle(element, path);
                return;
            case "aanhef":
                AddUnnumbered(element, ProvisionKind.Preamble, Structure().PreambleHeading, path);
                return;
            case "wetsluiting":
                AddUnnumbered(element, ProvisionKind.Closing, Structure().ClosingHeading, path);
                return;
            case "bijlage":
                AddAnnex(element, path);
                return;
        }
        if (IsMetadata(name)) return;
        var kop = element.Element("kop");
        var childPath = path;
        if (kop is not null)
        {
            var heading = LevelHeading(kop);
            if (heading.Length > 0) childPath = [.. path, heading];
        }
        var children = element.Elements().Where(e => !IsMetadata(e.Name.LocalName)).ToList();
        // A level that holds text of its own ("divisie" with "al" directly under it) is one unit of text.
        if (children.Any(e => e.Name.LocalName is "al" or "lijst" or "table" or "lid"))
        {
            var heading = kop is null ? name : LevelHeading(kop);
            AddProvision(ProvisionKind.Other, "", heading, path, element, Paragraphs(element));
            return;
        }
        foreach (var child in children) Walk(child, childPath);
    }

    private static StructureMarkers Structure() => LanguageRegistry.Default.ForAnswers("nl").Structure;

    /// <summary>"Hoofdstuk 1 - Inleidende bepalingen", "§ 1 - Begripsbepalingen": the shape the Markdown corpus uses.</summary>
    private static string LevelHeading(XElement kop)
    {
        var label = InlineText(kop.Element("label"), null);
        var nr = InlineText(kop.Element("nr"), null);
        var titel = InlineText(kop.Element("titel"), null);
        var head = Whitespace.Collapse($"{label} {nr}");
        return head.Length == 0 ? titel : titel.Length == 0 ? head : $"{head} - {titel}";
    }

    private void AddArticle(XElement artikel, List<string> path)
    {
        var kop = artikel.Element("kop");
        var number = InlineText(kop?.Element("nr"), null).TrimEnd('.');
        if (number.Length == 0) number = (((string?)artikel.Attribute("label")) ?? "").Replace("Artikel", "", StringComparison.Ordinal).Trim();
        // A book of a code: "Artikel 201" of BW Boek 7 is cited "art. 7:201 BW".
        if (_bookPrefix is not null && number.Length > 0 && !number.Contains(':', StringComparison.Ordinal)) number = _bookPrefix + number;
        var heading = InlineText(kop?.Element("titel"), null);
        AddProvision(ProvisionKind.Article, number, heading, path, artikel, Paragraphs(artikel));
    }

    private void AddAnnex(XElement bijlage, List<string> path)
    {
        var kop = bijlage.Element("kop");
        var number = InlineText(kop?.Element("nr"), null);
        var heading = InlineText(kop?.Element("titel"), null);
        AddProvision(ProvisionKind.Annex, number, heading, path, bijlage, Paragraphs(bijlage));
    }

    private void AddUnnumbered(XElement element, ProvisionKind kind, string heading, List<string> path) =>
        AddProvision(kind, "", heading, path, element, Paragraphs(element));

    private void AddProvision(ProvisionKind kind, string number, string heading, List<string> path, XElement source, ParagraphsAndNotes content)
    {
        var status = (string?)source.Attribute("status");
        var inwerking = Date(source.Attribute("inwerking"));
        // A repealed unit's "inwerking" is the day the repeal took effect: its text was in force until the day before.
        var repealed = status == "vervallen" || (string?)source.Attribute("effect") == "vervallen"
                       || (content.Paragraphs.Count == 0 && content.Notes.Any(n => HeadingClassifier.IsRepealedText(n)));
        DateOnly? validFrom = repealed ? null : inwerking;
        DateOnly? validTo = repealed && inwerking is { } end ? end.AddDays(-1) : null;
        if (content.Paragraphs.Count == 0 && content.Notes.Count == 0) return; // an empty wrapper, nothing to cite

        var citationNumber = kind is ProvisionKind.Preamble or ProvisionKind.Closing ? heading : number;
        var citation = CitationFormatter.Format("nl", _actName, kind, citationNumber);
        if (kind == ProvisionKind.Annex && number.Length == 0) citation = Whitespace.Collapse(citation);
        var keyNumber = kind == ProvisionKind.Article || number.Length > 0 ? number : heading;
        _provisions.Add(new Provision
        {
            Key = UniqueKey($"{context.Corpus}/{_actSlug}/{KindCode(kind)}{StructureBuilder.Slug(keyNumber)}"),
            Kind = kind,
            Number = number,
            Heading = heading,
            Citation = citation,
            Path = path,
            Paragraphs = content.Paragraphs,
            IsRepealed = repealed,
            Ordinal = _provisions.Count,
            Identifier = Identifier(source, kind, number),
            ValidFrom = validFrom,
            ValidTo = validTo,
            Notes = content.Notes,
        });
    }

    /// <summary>
    /// The unit's JCI (juriconnect) reference, which is how BWB identifies a provision: the 1.3 reference the
    /// toestand carries (pinned to its version by z= and g=); the 2012 files and repealed units carry none, so an article gets the
    /// short form "jci1.3:c:BWBR…&amp;artikel=N" that wetten.overheid.nl resolves to the current text.
    /// </summary>
    private string? Identifier(XElement source, ProvisionKind kind, string number)
    {
        var jci = source.Elements("meta-data").Elements("jcis").Elements("jci")
            .FirstOrDefault(j => (string?)j.Attribute("versie") == "1.3");
        if ((string?)jci?.Attribute("verwijzing") is { Length: > 0 } reference) return reference;
        var bare = _bookPrefix is not null && number.StartsWith(_bookPrefix, StringComparison.Ordinal) ? number[_bookPrefix.Length..] : number;
        return kind == ProvisionKind.Article && bare.Length > 0 ? $"jci1.3:c:{_bwbId}&artikel={bare}" : null;
    }

    private string UniqueKey(string key) => _keys.Claim(key);

    private static string KindCode(ProvisionKind kind) => kind switch
    {
        ProvisionKind.Article => "a",
        ProvisionKind.Annex => "anl",
        ProvisionKind.Preamble => "pre",
        ProvisionKind.Closing => "end",
        _ => "x-",
    };

    private sealed record ParagraphsAndNotes(IReadOnlyList<ProvisionParagraph> Paragraphs, IReadOnlyList<string> Notes);

    /// <summary>
    /// A unit's paragraphs: each "lid" is one, labelled by its lidnr ("1. …"); text outside a lid forms unlabelled
    /// paragraphs. Points and table rows are lines of their paragraph. Notes collect what is not normative text.
    /// </summary>
    private ParagraphsAndNotes Paragraphs(XElement unit)
    {
        var paragraphs = new List<ProvisionParagraph>();
        var notes = new List<string>();
        var loose = new List<string>();

        void EndLoose()
        {
            if (loose.Count > 0) paragraphs.Add(new ProvisionParagraph(null, string.Join("\n", loose)));
            loose.Clear();
        }

        CollectNotes(unit, null, notes);
        foreach (var child in unit.Elements())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var name = child.Name.LocalName;
            if (name == "lid")
            {
                EndLoose();
                var lidnr = InlineText(child.Element("lidnr"), null).TrimEnd('.');
                CollectNotes(child, lidnr.Length > 0 ? $"lid {lidnr}" : null, notes);
                var lines = new List<string>();
                Blocks(child, lines, notes, lidnr.Length > 0 ? $"lid {lidnr}" : null);
                if (lines.Count == 0) continue;
                if (lidnr.Length > 0) lines[0] = $"{lidnr}. {lines[0]}";
                paragraphs.Add(new ProvisionParagraph(lidnr.Length > 0 ? lidnr : null, string.Join("\n", lines)));
            }
            else if (name == "kop" || name == "meta-data")
            {
            }
            else if (child.Element("kop") is { } kop && name is not ("table" or "lijst"))
            {
                // A titled block inside an annex ("divisie A - Ministerie van Justitie"): its heading is a line of text.
                EndLoose();
                var lines = new List<string> { LevelHeading(kop) };
                CollectNotes(child, null, notes);
                Blocks(child, lines, notes, null);
                paragraphs.Add(new ProvisionParagraph(null, string.Join("\n", lines.Where(l => l.Length > 0))));
            }
            else
            {
                Block(child, loose, notes, null);
            }
        }
        EndLoose();
        return new ParagraphsAndNotes(paragraphs, notes);
    }

    private void Blocks(XElement container, List<string> lines, List<string> notes, string? where)
    {
        foreach (var child in container.Elements()) Block(child, lines, notes, where);
    }

    /// <summary>One block element as lines of text: "al" a line, "lijst" a line per point, "table" a Markdown table.</summary>
    private void Block(XElement element, List<string> lines, List<string> notes, string? where)
    {
        switch (element.Name.LocalName)
        {
            case "lidnr" or "kop" or "meta-data" or "li.nr" or "redactie" or "noot":
                return;
            case "lijst":
                foreach (var li in element.Elements("li"))
                {
                    var nr = InlineText(li.Element("li.nr"), null);
                    var itemWhere = Whitespace.Collapse($"{where} onder {nr.TrimEnd('.', ')')}");
                    CollectNotes(li, itemWhere, notes);
                    var itemLines = new List<string>();
                    Blocks(li, itemLines, notes, itemWhere);
                    if (itemLines.Count == 0) continue;
                    itemLines[0] = nr.Length > 0 ? $"{nr} {itemLines[0]}" : itemLines[0];
                    lines.AddRange(itemLines);
                }
                return;
            case "table":
                var table = MarkdownTable(element);
                if (table.Length > 0) lines.Add(table);
                return;
            case "al" or "considerans.al" or "wij" or "slotformulering" or "plaats" or "dagtekening":
                var firstNote = notes.Count;
                var text = InlineText(element, notes);
                // An editorial "vervallen;" in place of a point says where it stands: "lid 2 onder c: vervallen;".
                for (var i = firstNote; i < notes.Count; i++) notes[i] = Prefixed(where, notes[i]);
                if (text.Length > 0) lines.Add(text);
                return;
        }
        // Containers (considerans, afkondiging, ondertekening, divisie, …): their blocks in order; a container
        // holding only inline text ("functie", "naam") is one line.
        if (element.Elements().Any(e => e.Name.LocalName is "al" or "lijst" or "table" or "considerans.al" or "lid" or "divisie"
                or "considerans" or "afkondiging" or "ondertekening" or "slotformulering" or "gegeven"))
        {
            if (element.Element("kop") is { } kop) lines.Add(LevelHeading(kop));
            Blocks(element, lines, notes, where);
            return;
        }
        var inline = InlineText(element, notes);
        if (inline.Length > 0) lines.Add(inline);
    }

    /// <summary>
    /// Source data and remarks of one unit as notes: "Stb. 2014, 259 (vervallen), in werking 2014-07-16".
    /// Only the unit's own meta-data: that of nested units is collected where they are read.
    /// </summary>
    private static void CollectNotes(XElement unit, string? where, List<string> notes)
    {
        foreach (var metadata in unit.Elements("meta-data"))
        {
            foreach (var brondata in metadata.Elements("brondata"))
            {
                var publication = brondata.Element("oorspronkelijk")?.Element("publicatie");
                var parts = new List<string>();
                if (publication is not null)
                {
                    var soort = (string?)publication.Attribute("soort") ?? "";
                    var jaar = publication.Element("publicatiejaar")?.Value.Trim() ?? "";
                    var nr = publication.Element("publicatienr")?.Value.Trim() ?? "";
                    var effect = (string?)publication.Attribute("effect");
                    parts.Add(Whitespace.Collapse($"{soort}. {jaar}, {nr}" + (effect is null ? "" : $" ({effect})")));
                }
                var iwt = (string?)brondata.Element("inwerkingtreding")?.Element("inwerkingtreding.datum")?.Attribute("isodatum");
                if (iwt is not null) parts.Add($"in werking {iwt}");
                var retro = brondata.Element("inwerkingtreding")?.Element("terugwerkend.datum");
                if ((string?)retro?.Attribute("isodatum") is { } back) parts.Add($"terugwerkend tot {back}");
                var remark = XmlTextOf(brondata.Element("opmerkingen-inhoud"));
                if (remark.Length > 0) parts.Add(remark);
                if (parts.Count > 0) notes.Add(Prefixed(where, string.Join("; ", parts)));
            }
        }
    }

    private static string Prefixed(string? where, string note) => where is null ? note : $"{where}: {note}";

    /// <summary>
    /// Inline text with editorial insertions and footnotes taken out (into <paramref name="notes"/> when given):
    /// "&lt;al&gt;&lt;redactie type="vervanging"&gt;Vervallen&lt;/redactie&gt;&lt;/al&gt;" has no normative text at all.
    /// </summary>
    private static string InlineText(XElement? element, List<string>? notes)
    {
        if (element is null) return "";
        var sb = new StringBuilder();
        AppendInline(element, sb, notes);
        return Whitespace.Collapse(sb.ToString());
    }

    private static void AppendInline(XElement element, StringBuilder sb, List<string>? notes)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    sb.Append(text.Value);
                    break;
                case XElement { Name.LocalName: "meta-data" }:
                    break;
                case XElement { Name.LocalName: "redactie" or "noot" } note:
                    var noteText = XmlTextOf(note);
                    if (noteText.Length > 0) notes?.Add(noteText);
                    break;
                case XElement { Name.LocalName: "sup" } sup:
                    sb.Append('^').Append(XmlTextOf(sup));
                    break;
                case XElement child:
                    AppendInline(child, sb, notes);
                    break;
            }
        }
    }

    private static string XmlTextOf(XElement? element) =>
        element is null ? "" : Whitespace.Collapse(string.Concat(element.DescendantNodes().OfType<XText>()
            .Where(t => t.Ancestors().All(a => a.Name.LocalName != "meta-data" || a == element)).Select(t => t.Value)));

    /// <summary>
    /// A CALS table (table/tgroup/thead|tbody/row/entry) as a Markdown pipe table: the header row (the thead's
    /// last row, else the first row), the separator, one line per row; "|" escaped, line breaks as spaces.
    /// </summary>
    internal static string MarkdownTable(XElement table)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var tgroup in table.Elements("tgroup").DefaultIfEmpty(table))
        {
            var head = tgroup.Element("thead")?.Elements("row").ToList() ?? [];
            // Several header rows read as one: their cells joined per column.
            if (rows.Count == 0 && head.Count > 0) rows.Add(PipeTable.MergeRows(head.Select(Cells).ToList()));
            foreach (var body in tgroup.Elements("tbody").DefaultIfEmpty(tgroup))
                rows.AddRange(body.Elements("row").Select(Cells));
        }
        return PipeTable.Render(rows);
    }

    private static IReadOnlyList<string> Cells(XElement row) => row.Elements("entry").Select(e => InlineText(e, null)).ToList();

    internal static DateOnly? Date(XAttribute? attribute) => Date((string?)attribute);

    internal static DateOnly? Date(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year < 9999 ? d : null;
}
