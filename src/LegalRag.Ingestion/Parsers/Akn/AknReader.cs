using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Languages;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Akn;

/// <summary>
/// Reads Akoma Ntoso / LegalDocML acts and bills in every dialect LegalRag has met (Normattiva, Finlex, Legilux,
/// LegalDocML.de, AKN4EU): elements are matched by local name, so any namespace or prefix reads alike, and
/// dialect extensions (leos:*, scl:*, ris:*) are passed over. The act's name comes from the preface
/// (docTitle, else longTitle; shortTitle and its official abbreviation become the citation name and alias),
/// its identifier, language and dates from &lt;meta&gt; (<see cref="AknMetadata"/>). Hierarchy elements
/// (part, chapter, section, title…) that hold articles become the provisions' path; article, and any hierarchy
/// element that holds none (Finlex's &lt;section&gt; "1 §"), becomes a provision whose paragraphs are its
/// paragraph/alinea/subparagraph children. Notes never enter the normative text: authorialNote and note go to
/// Provision.Notes, as do Normattiva's amendment notes ("AGGIORNAMENTO") set off by a rule of dashes. Tables
/// are rendered as Markdown pipe tables inside the paragraph that holds them.
/// </summary>
internal sealed partial class AknReader(ParseContext context)
{
    private const string Format = "akn";

    private string _language = "";
    private string _actName = "";
    private string _actSlug = "";
    private string? _identifier;
    private DateOnly? _validFrom;
    private AknMetadata _meta = new();
    private CancellationToken _cancellationToken;
    private readonly List<PendingProvision> _pending = [];
    private readonly List<string> _warnings = [];

    /// <summary>Any element named akomaNtoso is AKN, whatever its namespace (OASIS 3.0, a CSD draft, LegalDocML.de).</summary>
    public static bool IsAkn(XElement root) => root.Name.LocalName == "akomaNtoso";

    // Levels of an act's hierarchy. Each is structure when it holds articles or further levels, else a provision.
    private static readonly HashSet<string> Hierarchy = new(StringComparer.Ordinal)
    {
        "book", "part", "subpart", "title", "subtitle", "chapter", "subchapter", "section", "subsection", "division",
        "subdivision", "tome", "level", "hcontainer", "rule", "subrule", "proviso", "clause", "subclause",
    };

    // Elements that hold blocks of text; anything else inside a paragraph is inline (ref, i, b, sup, span, ins, del…).
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "table", "ol", "ul", "blockList", "list", "item", "li", "point", "indent", "alinea", "subparagraph", "paragraph",
        "content", "intro", "wrapUp", "listIntroduction", "listWrapUp", "blockContainer", "container", "block", "citation",
        "recital", "citations", "recitals", "formula", "tblock", "div", "signature", "longTitle", "crossHeading", "heading",
        "subheading", "mainBody", "body", "doc", "preamble", "conclusions", "foreign", "embeddedStructure",
        "quotedStructure", "blockQuote", "article", "chapter", "section", "part", "title", "hcontainer", "clause",
    };

    public LegalDocument Read(XElement root, SourceFile file, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        var act = root.Elements().FirstOrDefault(e => e.Name.LocalName != "components")
                  ?? throw new DocumentRejectedException("the Akoma Ntoso file holds no act, bill or document element");
        _meta = AknMetadata.Read(Child(act, "meta"));
        _language = AknMetadata.TwoLetterLanguage(_meta.Language) ?? context.Language;
        _identifier = _meta.Identifier;
        _validFrom = _meta.EntryIntoForce ?? _meta.ExpressionDate;

        var (title, abbreviation, aliases) = Names(Child(act, "preface"), act, file);
        _actName = abbreviation ?? title;
        _actSlug = StructureBuilder.Slug(_actName);

        foreach (var part in act.Elements())
        {
            switch (part.Name.LocalName)
            {
                case "meta" or "preface" or "components":
                    break; // the preface gave the names; components hold parliamentary references, not law
                case "preamble":
                    ReadPreamble(part);
                    break;
                case "body" or "mainBody" or "judgmentBody" or "debateBody":
                    Walk(part, []);
                    break;
                case "conclusions":
                    ReadClosing(part);
                    break;
                case "attachments":
                    foreach (var attachment in part.Elements()) ReadAttachment(attachment, []);
                    break;
                case "attachment":
                    ReadAttachment(part, []);
                    break;
                default:
                    Walk(part, []);
                    break;
            }
        }

        var provisions = Build();
        if (provisions.Count == 0) throw new DocumentRejectedException("the Akoma Ntoso file has no text in its preamble, body, conclusions or attachments");
        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = _language,
            Title = title,
            Abbreviation = abbreviation,
            Format = Format,
            Identifier = _identifier,
            Aliases = aliases,
            ValidFrom = _validFrom,
            Provisions = provisions,
            Warnings = _warnings,
        };
    }

    /// <summary>
    /// The act's title (docTitle, else longTitle, else the FRBR name or number), and the name citations use: the
    /// caller's, else the official abbreviation marked inside shortTitle (LegalDocML.de: refersTo="amtliche-abkuerzung"),
    /// else the short title itself. The short title becomes an alias beside the abbreviation.
    /// </summary>
    private (string Title, string? Abbreviation, IReadOnlyList<string> Aliases) Names(XElement? preface, XElement act, SourceFile file)
    {
        var docTitle = preface?.Descendants().FirstOrDefault(e => e.Name.LocalName == "docTitle") is { } dt ? AknText.Inline(dt) : "";
        var longTitle = preface?.Descendants().FirstOrDefault(e => e.Name.LocalName == "longTitle") is { } lt ? AknText.Inline(lt) : "";
        var shortTitle = preface?.Descendants().FirstOrDefault(e => e.Name.LocalName == "shortTitle");
        var abbreviationElement = shortTitle?.Descendants().FirstOrDefault(e =>
            ((string?)e.Attribute("refersTo"))?.Contains("abk", StringComparison.OrdinalIgnoreCase) == true
            || ((string?)e.Attribute("refersTo"))?.Contains("abbrev", StringComparison.OrdinalIgnoreCase) == true);
        var officialAbbreviation = abbreviationElement is null ? null : NonEmpty(AknText.Inline(abbreviationElement));
        var shortName = shortTitle is null ? null : NonEmpty(ShortName(AknText.Inline(shortTitle), officialAbbreviation));

        var frbrName = act.Descendants().FirstOrDefault(e => e.Name.LocalName is "FRBRname" or "FRBRnumber") is { } n ? (string?)n.Attribute("value") : null;
        var rawTitle = NonEmpty(docTitle.TrimEnd('.', ' ')) ?? NonEmpty(longTitle.TrimEnd('.', ' ')) ?? NonEmpty(frbrName)
                       ?? Path.GetFileNameWithoutExtension(file.RelativePath);
        // "Testgesetz (TG)": an abbreviation closing the title counts when no element names one.
        var title = context.ActTitle ?? ActNames.WithoutTrailingAbbreviation(rawTitle);
        var abbreviation = context.ActAbbreviation ?? officialAbbreviation ?? (shortName != title ? shortName : null)
                           ?? ActNames.AbbreviationInTitle(rawTitle) ?? TypeAndNumber(preface) ?? ProposalNumber(act);
        var aliases = new[] { shortName, officialAbbreviation }
            .OfType<string>()
            .Where(a => a != abbreviation && a != title)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return (title, abbreviation, aliases);
    }

    /// <summary>
    /// Without a short title, an act whose preface gives its type, date and number is cited by them, "type number/year"
    /// (Normattiva: docType LEGGE, docDate "22 aprile 1941", docNumber 633 → "Legge 633/1941", as Italian practice writes).
    /// </summary>
    private static string? TypeAndNumber(XElement? preface)
    {
        string Text(string name) => preface?.Descendants().FirstOrDefault(e => e.Name.LocalName == name) is { } e ? AknText.Inline(e) : "";
        var type = Text("docType");
        var number = Text("docNumber");
        if (type.Length == 0 || number.Length == 0 || type.Length > 40) return null;
        var year = YearPattern().Match(Text("docDate"));
        var typeName = char.ToUpperInvariant(type[0]) + type[1..].ToLowerInvariant();
        return number.Contains('/') || !year.Success ? $"{typeName} {number}" : $"{typeName} {number}/{year.Value}";
    }

    /// <summary>A bill (a proposal) is cited by its document number when it has no short title: "COM(2025) 162".</summary>
    private static string? ProposalNumber(XElement act) =>
        act.Name.LocalName == "bill"
        && act.Descendants().FirstOrDefault(e => e.Name.LocalName == "FRBRnumber") is { } number
            ? NonEmpty((string?)number.Attribute("value"))
            : null;

    [GeneratedRegex(@"\b\d{4}\b")]
    private static partial Regex YearPattern();

    /// <summary>"(Auslandszuschlagsverordnung - AuslZuschlV)" → "Auslandszuschlagsverordnung".</summary>
    private static string ShortName(string shortTitle, string? abbreviation)
    {
        var name = abbreviation is null ? shortTitle : shortTitle.Replace(abbreviation, "", StringComparison.Ordinal);
        return Whitespace.Collapse(name).Trim('(', ')', ' ', '-', '–', ',', ';', '.');
    }

    // ---- body ---------------------------------------------------------------------------------------------

    private void Walk(XElement container, List<string> path)
    {
        var loose = new List<XElement>();
        foreach (var child in container.Elements())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var name = child.Name.LocalName;
            var role = name == "hcontainer" ? (string?)child.Attribute("name") : null;
            if (name is "meta" or "num" or "heading" or "subheading" or "toc" or "preface" || AknText.IsNote(child)) continue;
            if (name is "attachments" || role is "attachments")
            {
                FlushLoose(loose, path);
                foreach (var attachment in child.Elements()) ReadAttachment(attachment, path);
            }
            else if (name is "attachment" || role is "attachment")
            {
                FlushLoose(loose, path);
                ReadAttachment(child, path);
            }
            else if (name is "conclusions" || role is "conclusions" or "signatures")
            {
                FlushLoose(loose, path);
                ReadClosing(child);
            }
            else if (name == "article")
            {
                FlushLoose(loose, path);
                ReadUnit(child, path);
            }
            else if (Hierarchy.Contains(name))
            {
                FlushLoose(loose, path);
                if (IsStructure(child))
                {
                    var label = Label(child);
                    Walk(child, label.Length > 0 ? [.. path, label] : path);
                }
                else
                {
                    ReadUnit(child, path);
                }
            }
            else
            {
                loose.Add(child);
            }
        }
        FlushLoose(loose, path);
    }

    /// <summary>A hierarchy level is structure when it holds articles or further levels; a leaf level is itself a provision.</summary>
    private static bool IsStructure(XElement element) =>
        element.Descendants().Any(d => d.Name.LocalName == "article")
        || element.Elements().Any(c => Hierarchy.Contains(c.Name.LocalName) && c.Name.LocalName != "hcontainer"
                                       || c.Name.LocalName == "hcontainer" && (string?)c.Attribute("name") is "attachments" or "attachment" or "conclusions");

    /// <summary>Text between provisions that belongs to none (an annex's opening lines, Legilux's promulgation clause).</summary>
    private void FlushLoose(List<XElement> loose, List<string> path)
    {
        if (loose.Count == 0) return;
        var paragraphs = new List<ProvisionParagraph>();
        var notes = new List<string>();
        foreach (var element in loose) AddParagraph(element, paragraphs, notes);
        loose.Clear();
        if (paragraphs.Count == 0) return;
        Add(new PendingProvision(ProvisionKind.Other, "Text", "", path, paragraphs, notes, null, _validFrom, null));
    }

    private void ReadUnit(XElement unit, List<string> path)
    {
        var numText = Child(unit, "num") is { } num ? AknText.Inline(num) : "";
        var heading = Whitespace.Collapse(string.Join(' ', unit.Elements()
            .Where(e => e.Name.LocalName is "heading" or "subheading").Select(AknText.Inline)));
        var (kind, number) = ParseNumber(numText);
        if (number.Length == 0)
        {
            (kind, number, heading) = (ProvisionKind.Other, heading.Length > 0 ? heading : "Text", "");
        }

        var paragraphs = new List<ProvisionParagraph>();
        var notes = unit.Descendants().Where(AknText.IsNote).Select(AknText.Inline).Where(AknText.IsMeaningful).ToList();
        foreach (var child in unit.Elements())
        {
            if (child.Name.LocalName is "num" or "heading" or "subheading" || AknText.IsNote(child)) continue;
            AddParagraph(child, paragraphs, notes);
        }

        var id = AknMetadata.Id(unit);
        var (from, to) = (string?)unit.Attribute("period") is { } period && _meta.Periods.TryGetValue(period.TrimStart('#'), out var p)
            ? (p.Start ?? _validFrom, p.End)
            : (_validFrom, null);
        var ids = unit.DescendantsAndSelf().Select(AknMetadata.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var identifier = id is null ? null : _identifier is null ? id : $"{_identifier}#{id}";
        Add(new PendingProvision(kind, number, heading, path, paragraphs, notes, identifier, from, to) { ElementIds = ids });
    }

    /// <summary>
    /// One paragraph of a provision: its text blocks joined by line breaks, its number as label. Normattiva's
    /// amendment notes (a line of dashes, then "AGGIORNAMENTO (26)" and the note) go to the notes instead, and a
    /// paragraph holding only its "((" / "))" markers of amended text (the markers, not text) is dropped.
    /// </summary>
    private void AddParagraph(XElement element, List<ProvisionParagraph> paragraphs, List<string> notes)
    {
        var lines = new List<string>();
        Render(element, lines, "");
        if (lines.Count == 0) return;
        if (DashRule().IsMatch(lines[0]))
        {
            var note = Whitespace.Collapse(string.Join(' ', lines.Skip(1)));
            if (AknText.IsMeaningful(note)) notes.Add(note);
            return;
        }
        var text = string.Join("\n", lines);
        if (!AknText.IsMeaningful(text)) return;
        var label = Child(element, "num") is { } num ? ParagraphLabel(AknText.Inline(num)) : null;
        paragraphs.Add(new ProvisionParagraph(label, text));
    }

    [GeneratedRegex(@"^[-–—_]{3,}$")]
    private static partial Regex DashRule();

    /// <summary>
    /// Appends the lines of a block: inline runs become one line, block children their own lines, a table its
    /// Markdown lines (one block, kept whole). A num opens the first line that follows it, so "(1)", "a)" and "1."
    /// stand where the printed act has them.
    /// </summary>
    private void Render(XElement element, List<string> lines, string prefix)
    {
        var name = element.Name.LocalName;
        if (AknText.IsNote(element) || name is "toc" or "meta" or "documentRef") return;
        if (name == "table")
        {
            if (AknText.MarkdownTable(element) is { } table)
            {
                if (prefix.Length > 0) lines.Add(prefix);
                lines.Add(table);
            }
            return;
        }
        if (!element.Elements().Any(IsBlock))
        {
            var text = AknText.Inline(element);
            if (text.Length > 0) lines.Add(Join(prefix, text));
            return;
        }

        var pending = Child(element, "num") is { } num ? Join(prefix, AknText.Inline(num)) : prefix;
        var buffer = new StringBuilder();
        void FlushBuffer()
        {
            var run = Whitespace.Collapse(buffer.ToString());
            buffer.Clear();
            if (run.Length == 0) return;
            lines.Add(Join(pending, run));
            pending = "";
        }
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText text:
                    buffer.Append(text.Value);
                    break;
                case XElement { Name.LocalName: "num" }:
                    break;
                case XElement child when AknText.IsNote(child):
                    break;
                case XElement child when IsBlock(child):
                    FlushBuffer();
                    var before = lines.Count;
                    Render(child, lines, pending);
                    if (lines.Count > before) pending = "";
                    break;
                case XElement child:
                    buffer.Append(AknText.Inline(child));
                    break;
            }
        }
        FlushBuffer();
    }

    private static bool IsBlock(XElement element) => Blocks.Contains(element.Name.LocalName);

    private static string Join(string prefix, string text) => prefix.Length == 0 ? text : $"{prefix} {text}";

    // ---- preamble, conclusions, attachments ---------------------------------------------------------------

    /// <summary>The preamble as one provision: formulas, each citation and each recital a paragraph (recitals labelled
    /// by their number). A table of contents (LegalDocML.de's Inhaltsübersicht) is left out: it repeats the headings.</summary>
    private void ReadPreamble(XElement preamble)
    {
        var paragraphs = new List<ProvisionParagraph>();
        var notes = preamble.Descendants().Where(AknText.IsNote).Select(AknText.Inline).Where(AknText.IsMeaningful).ToList();
        foreach (var child in preamble.Elements())
        {
            if (child.Descendants().Any(d => d.Name.LocalName == "toc") || child.Name.LocalName == "toc") continue;
            if (child.Name.LocalName is "citations" or "recitals")
                foreach (var item in child.Elements()) AddParagraph(item, paragraphs, notes);
            else
                AddParagraph(child, paragraphs, notes);
        }
        var name = LanguageRegistry.Default.ForAnswers(_language).Structure.PreambleHeading;
        Add(new PendingProvision(ProvisionKind.Preamble, name, "", [], paragraphs, notes, Identifier(preamble), _validFrom, null));
    }

    private void ReadClosing(XElement conclusions)
    {
        var paragraphs = new List<ProvisionParagraph>();
        var notes = new List<string>();
        foreach (var child in conclusions.Elements()) AddParagraph(child, paragraphs, notes);
        var name = LanguageRegistry.Default.ForAnswers(_language).Structure.ClosingHeading;
        Add(new PendingProvision(ProvisionKind.Closing, name, "", [], paragraphs, notes, Identifier(conclusions), _validFrom, null));
    }

    /// <summary>
    /// An attachment (annex): one whose document holds articles is walked like a body under its title (Legilux
    /// appends the approved convention this way); any other is one provision named by its title. An attachment that
    /// only points at another file (documentRef) is noted as a warning: its text is not in this file.
    /// </summary>
    private void ReadAttachment(XElement attachment, List<string> path)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var doc = attachment.Elements().FirstOrDefault(e => e.Name.LocalName is "doc" or "act" or "bill" or "documentCollection") ?? attachment;
        if (!doc.Descendants().OfType<XElement>().Any(e => e.Name.LocalName != "documentRef" && e.Name.LocalName != "meta"
                                                           && !e.Ancestors().Any(a => a.Name.LocalName == "meta")
                                                           && e.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value))))
        {
            var href = attachment.Descendants().FirstOrDefault(e => e.Name.LocalName == "documentRef")?.Attribute("href")?.Value;
            _warnings.Add(href is null ? "an attachment holds no text" : $"attachment {href} is a separate file, not part of this one");
            return;
        }

        var preface = Child(doc, "preface");
        var title = NonEmpty(preface is null ? "" : AknText.Inline(preface)) ?? NonEmpty(Label(doc)) ?? NonEmpty(Label(attachment));
        var body = doc.Elements().FirstOrDefault(e => e.Name.LocalName is "mainBody" or "body") ?? doc;
        if (body.Descendants().Any(d => d.Name.LocalName == "article"))
        {
            Walk(body, [.. path, title ?? "Annex"]);
            return;
        }

        var paragraphs = new List<ProvisionParagraph>();
        var notes = body.Descendants().Where(AknText.IsNote).Select(AknText.Inline).Where(AknText.IsMeaningful).ToList();
        foreach (var child in body.Elements())
        {
            if (child.Name.LocalName is "meta" or "preface" or "num" or "heading" || AknText.IsNote(child)) continue;
            AddParagraph(child, paragraphs, notes);
        }
        if (paragraphs.Count == 0) return;
        // Without a title the annex is named by its first line when that is a caption ("Liite", "ANNEXE I").
        var firstLine = paragraphs[0].Text.Split('\n')[0];
        var name = title ?? (firstLine.Length <= 60 && !firstLine.StartsWith('|') ? firstLine : "Annex");
        Add(new PendingProvision(ProvisionKind.Other, name, "", path, paragraphs, notes, Identifier(attachment), _validFrom, null));
    }

    // ---- building -----------------------------------------------------------------------------------------

    private string? Identifier(XElement element) =>
        AknMetadata.Id(element) is { } id ? (_identifier is null ? id : $"{_identifier}#{id}") : null;

    private void Add(PendingProvision provision)
    {
        if (provision.Paragraphs.Count == 0 && provision.Notes.Count == 0) return;
        _pending.Add(provision);
    }

    private List<Provision> Build()
    {
        // Notes LegalDocML.de keeps in <meta> go to the provision they are placed on.
        var notesFor = _pending.Select(p => p.Notes.ToList()).ToList();
        foreach (var (placement, texts) in _meta.NotesByPlacement)
        {
            var target = _pending.FindIndex(p => p.ElementIds.Contains(placement));
            if (target >= 0) notesFor[target].AddRange(texts);
        }

        var keys = new UniqueKeys();
        var result = new List<Provision>(_pending.Count);
        foreach (var (p, notes) in _pending.Zip(notesFor))
        {
            var key = keys.Claim($"{context.Corpus}/{_actSlug}/{KindCode(p.Kind)}{StructureBuilder.Slug(p.Number)}");
            var text = string.Join("\n", p.Paragraphs.Select(x => x.Text));
            result.Add(new Provision
            {
                Key = key,
                Kind = p.Kind,
                Number = p.Number,
                Heading = p.Kind is ProvisionKind.Other or ProvisionKind.Preamble or ProvisionKind.Closing ? p.Number : p.Heading,
                Citation = CitationFormatter.Format(_language, _actName, p.Kind, p.Number),
                Path = p.Path,
                Paragraphs = p.Paragraphs,
                IsRepealed = RepealMarkers.IsRepealed(p.Heading) || (text.Length < 60 && RepealMarkers.IsRepealed(text)),
                Ordinal = result.Count,
                Identifier = p.Identifier,
                ValidFrom = p.ValidFrom,
                ValidTo = p.ValidTo,
                Notes = notes.Distinct(StringComparer.Ordinal).ToList(),
            });
        }
        return result;
    }

    private static string KindCode(ProvisionKind kind) => kind switch
    {
        ProvisionKind.Section => "s",
        ProvisionKind.Article => "a",
        ProvisionKind.Annex => "anl",
        ProvisionKind.Preamble => "pre",
        ProvisionKind.Closing => "end",
        _ => "x-",
    };

    // ---- numbers and labels -------------------------------------------------------------------------------

    /// <summary>
    /// "§ 1" and "1 §" (Finlex) are sections; "Art. 12-bis.", "Article 5", "Artikel 3a", "Art. 1er" articles with
    /// the numbers "12-bis", "5", "3a", "1" (French "1er" is cited as 1, as elsewhere in LegalRag).
    /// </summary>
    internal static (ProvisionKind Kind, string Number) ParseNumber(string num)
    {
        var text = Whitespace.Collapse(num);
        if (text.Length == 0) return (ProvisionKind.Other, "");
        var kind = text.StartsWith('§') || text.EndsWith('§') ? ProvisionKind.Section : ProvisionKind.Article;
        text = text.Trim('§', ' ').TrimEnd('.', ' ');
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 1 && words[0].TrimEnd('.').All(char.IsLetter)) words = words[1..];
        var number = string.Join(' ', words).TrimEnd('.');
        return (kind, number == "1er" ? "1" : number);
    }

    /// <summary>"(1)" → "1", "1." → "1", "2-bis." → "2-bis", "(a)" → "a"; null when there is no number.</summary>
    internal static string? ParagraphLabel(string num)
    {
        var label = Whitespace.Collapse(num).TrimEnd('.', ')', ' ').TrimStart('(', ' ').Trim();
        return label.Length == 0 ? null : label;
    }

    /// <summary>A hierarchy level's name as the path shows it: "Abschnitt 2 Erhöhter Auslandszuschlag".</summary>
    private static string Label(XElement element) =>
        Whitespace.Collapse(string.Join(' ', element.Elements()
            .Where(e => e.Name.LocalName is "num" or "heading" or "subheading")
            .Select(AknText.Inline)));

    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private sealed record PendingProvision(
        ProvisionKind Kind, string Number, string Heading, List<string> Path, List<ProvisionParagraph> Paragraphs,
        List<string> Notes, string? Identifier, DateOnly? ValidFrom, DateOnly? ValidTo)
    {
        public IReadOnlySet<string> ElementIds { get; init; } = new HashSet<string>();
    }
}
