using System.Text.RegularExpressions;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Gii;

/// <summary>
/// Reads an act of Gesetze im Internet (the federal ministry's XML, gii-norm.dtd 1.01): a <c>dokumente</c> root
/// with one <c>norm</c> per unit. The first norm describes the act (jurabk, amtabk, langue, Ausfertigung,
/// Fundstelle, Stand); a norm with a <c>gliederungseinheit</c> opens a level of the hierarchy, placed by its
/// gliederungskennzahl (three digits per level); a norm with an <c>enbez</c> ("§ 573", "Art 1", "Anlage 2") is a
/// provision. Citations, keys and repeal marks follow the same rules as the Markdown corpus of the same acts
/// (jurabk is the act's citation key), so the two sources name the same provision the same way.
/// </summary>
internal sealed partial class GiiReader(ParseContext context)
{
    public const string FormatName = "gii-xml";

    /// <summary>GII acts: root <c>dokumente</c> holding <c>norm</c> elements, no namespace.</summary>
    public static bool IsGii(XElement root) =>
        root.Name.NamespaceName.Length == 0 && root.Name.LocalName == "dokumente" && root.Element("norm") is not null;

    public LegalDocument Read(XElement root, SourceFile file, CancellationToken cancellationToken)
    {
        var norms = root.Elements("norm").ToList();
        var head = norms[0].Element("metadaten");
        var jurabk = Value(head?.Element("jurabk"));
        var amtabk = Value(head?.Element("amtabk"));
        var abbreviation = jurabk.Length > 0 ? jurabk : context.ActAbbreviation;
        var langue = Value(head?.Element("langue"));
        var title = langue.Length > 0 ? langue : context.ActTitle ?? abbreviation ?? Path.GetFileNameWithoutExtension(file.RelativePath);
        var actName = abbreviation ?? title;
        var actSlug = StructureBuilder.Slug(actName);
        var language = context.Language;

        var provisions = new List<Provision>();
        var keys = new UniqueKeys();
        var levels = new List<(string Code, string Label)>();

        string UniqueKey(ProvisionKind kind, string number)
        {
            return keys.Claim($"{context.Corpus}/{actSlug}/{StructureBuilder.KindCode(kind)}{StructureBuilder.Slug(number)}");
        }

        void Add(HeadingInfo info, XElement norm, List<string> blocks, List<string> notes, IReadOnlyList<string> path)
        {
            var paragraphs = StructureBuilder.SplitParagraphs(blocks.Select(b => (b, (int?)null)).ToList());
            var repealed = info.IsRepealed
                           || (paragraphs.Count == 1 && HeadingClassifier.IsRepealedText(paragraphs[0].Text) && paragraphs[0].Text.Length < 40);
            var heading = info.Kind is ProvisionKind.Other or ProvisionKind.Preamble or ProvisionKind.Closing
                ? (info.Title.Length > 0 ? $"{info.Number} {info.Title}".Trim() : info.Number)
                : HeadingClassifier.IsRepealedText(info.Title) && info.Title.StartsWith('(') ? "" : info.Title;
            provisions.Add(new Provision
            {
                Key = UniqueKey(info.Kind, info.Number),
                Kind = info.Kind,
                Number = info.Number,
                Heading = heading,
                Citation = CitationFormatter.Format(language, actName, info.Kind, info.Number),
                Path = path,
                Paragraphs = paragraphs,
                IsRepealed = repealed,
                Ordinal = provisions.Count,
                Identifier = NullIfEmpty((string?)norm.Attribute("doknr")),
                Notes = notes,
            });
        }

        for (var n = 0; n < norms.Count; n++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var norm = norms[n];
            var meta = norm.Element("metadaten");
            var textdaten = norm.Element("textdaten");
            var text = new GiiText();
            var blocks = text.Blocks(textdaten?.Element("text")?.Element("Content"));
            // Footnotes inside the text (Footnote, kommentar) come first, then the editorial notes (fussnoten).
            foreach (var footnotes in textdaten?.Element("text")?.Elements("Footnotes") ?? []) text.CollectFootnotes(footnotes);
            var notes = text.Notes.ToList();
            notes.AddRange(new GiiText().Blocks(textdaten?.Element("fussnoten")?.Element("Content")).SelectMany(EditorialNotes));

            var enbez = Value(meta?.Element("enbez"));
            var titel = GiiText.Inline(meta?.Element("titel"));
            var unit = meta?.Element("gliederungseinheit");

            if (n == 0 && enbez.Length == 0 && unit is null)
            {
                // The act itself: its dates and amendment state are notes; its own text (an implementation
                // note such as "Dieses Gesetz dient der Umsetzung …") is kept under the act's "Stand".
                var actNotes = ActNotes(meta).Concat(notes).ToList();
                if (blocks.Count == 0 && actNotes.Count == 0) continue;
                if (blocks.Count == 0) blocks.Add(ActLine(title, jurabk, meta));
                Add(new HeadingInfo(true, ProvisionKind.Other, "Stand", "", false), norm, blocks, actNotes, []);
                continue;
            }

            if (unit is not null && enbez.Length == 0)
            {
                var code = Value(unit.Element("gliederungskennzahl"));
                var bez = GiiText.Inline(unit.Element("gliederungsbez"));
                var unitTitle = GiiText.Inline(unit.Element("gliederungstitel"));
                var label = bez.Length > 0 && unitTitle.Length > 0 ? $"{bez} - {unitTitle}" : bez.Length > 0 ? bez : unitTitle;
                // A level closes every open level that does not contain it: "010020" sits under "010".
                levels.RemoveAll(l => code.Length == 0 || !(code.Length > l.Code.Length && code.StartsWith(l.Code, StringComparison.Ordinal)));
                var parentPath = levels.Select(l => l.Label).ToList();
                if (label.Length > 0) levels.Add((code, label));
                // Text or an official note ("Amtlicher Hinweis: Dieser Titel dient der Umsetzung …") directly under a
                // level becomes a provision named by the level, as the Markdown corpus has it.
                if ((blocks.Count > 0 || notes.Count > 0) && label.Length > 0)
                    Add(new HeadingInfo(true, ProvisionKind.Other, label, "", HeadingClassifier.IsRepealedText(label)), norm, blocks, notes, parentPath);
                continue;
            }

            // The Inhaltsübersicht repeats the structure the gliederungseinheit norms already give: navigation, not law.
            if (textdaten?.Element("text")?.Descendants("TOC").Any() == true) continue;

            var headingText = Whitespace.Collapse($"{enbez} {titel}");
            if (headingText.Length == 0 && blocks.Count == 0 && notes.Count == 0) continue;
            var info = HeadingClassifier.Classify(headingText);
            if (!info.IsProvision)
                info = new HeadingInfo(true, ProvisionKind.Other, enbez.Length > 0 ? enbez : titel.Length > 0 ? titel : "Text",
                    enbez.Length > 0 ? titel : "", info.IsRepealed);
            Add(info, norm, blocks, notes, levels.Select(l => l.Label).ToList());
        }

        if (provisions.Count == 0) throw new DocumentRejectedException("the GII XML has no norm with text");
        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = language,
            Title = title,
            Abbreviation = abbreviation,
            Format = FormatName,
            Identifier = NullIfEmpty((string?)root.Attribute("doknr")) ?? NullIfEmpty((string?)norms[0].Attribute("doknr")),
            Aliases = amtabk.Length > 0 && !string.Equals(amtabk, abbreviation, StringComparison.Ordinal) ? [amtabk] : [],
            Provisions = provisions,
            Warnings = [],
        };
    }

    /// <summary>
    /// The documentation's notes, one per "(+++ … +++)" statement: a fussnoten block runs several together,
    /// wrapped over lines, followed by free text such as "Überschrift: IdF d. Art. 10 …".
    /// </summary>
    private static IEnumerable<string> EditorialNotes(string block) =>
        EditorialNoteEnd().Split(Whitespace.Collapse(block)).Select(n => n.Trim()).Where(n => n.Length > 0);

    [GeneratedRegex(@"(?<=\+\+\+\))\s+")]
    private static partial Regex EditorialNoteEnd();

    /// <summary>The act's own data as notes: "Ausfertigungsdatum: 1896-08-18", "Stand: zuletzt geändert durch …".</summary>
    private static IEnumerable<string> ActNotes(XElement? meta)
    {
        if (meta is null) yield break;
        var date = Value(meta.Element("ausfertigung-datum"));
        if (date.Length > 0) yield return $"Ausfertigungsdatum: {date}";
        foreach (var fundstelle in meta.Elements("fundstelle"))
        {
            var where = Whitespace.Collapse($"{Value(fundstelle.Element("periodikum"))} {Value(fundstelle.Element("zitstelle"))}");
            if (where.Length > 0) yield return $"Fundstelle: {where}";
        }
        foreach (var stand in meta.Elements("standangabe"))
        {
            var comment = GiiText.Inline(stand.Element("standkommentar"));
            if (comment.Length == 0) continue;
            var label = Value(stand.Element("standtyp")) switch
            {
                "Stand" => "Stand",
                "Neuf" => "Neufassung",
                "Hinweis" => "Hinweis",
                "Sonst" => "Sonstiges",
                var other => other,
            };
            yield return label.Length > 0 ? $"{label}: {comment}" : comment;
        }
    }

    /// <summary>The act's record when its first norm has no text of its own: title, abbreviation, date and gazette.</summary>
    private static string ActLine(string title, string jurabk, XElement? meta)
    {
        var line = jurabk.Length > 0 && !title.Contains($"({jurabk})", StringComparison.Ordinal) ? $"{title} ({jurabk})" : title;
        var date = Value(meta?.Element("ausfertigung-datum"));
        if (date.Length > 0) line += $", ausgefertigt am {date}";
        var fundstelle = meta?.Element("fundstelle");
        if (fundstelle is not null)
            line += $", {Whitespace.Collapse($"{Value(fundstelle.Element("periodikum"))} {Value(fundstelle.Element("zitstelle"))}")}";
        return line + ".";
    }

    private static string Value(XElement? element) => element is null ? "" : Whitespace.Collapse(element.Value);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
