using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Docx;

/// <summary>
/// Reads Word documents (DOCX) with DocumentFormat.OpenXml. Headings come from paragraph styles
/// (Heading 1–9 / Überschrift 1–9, or a style's outline level, following "based on" chains); paragraphs
/// without a heading style that read as a provision heading ("§ 5 Kündigung") or a hierarchy heading
/// ("Abschnitt 2") count as headings too, because many statutes in Word are formatted by hand. List
/// numbers are rendered into the text ("(1)", "1.", "a)") so the structure builder sees the Absatz
/// numbers Word shows. Tables become one text block per row, cells joined by " | ".
/// </summary>
public sealed partial class DocxParser : IDocumentParser
{
    private const int UnstyledProvisionLevel = 100;
    private const int UnstyledHierarchyFirstLevel = 10;

    public string Format => "docx";

    /// <summary>A zip whose first bytes name an Office part, or any file named .docx (a wrong one gets a clear rejection).</summary>
    public bool CanParse(SourceFile file) =>
        file.Extension == ".docx"
        || (file.StartsWith(DocxArchiveGuard.ZipMagic) && file.Bytes.AsSpan(0, Math.Min(file.Bytes.Length, 64 * 1024)).IndexOf("word/"u8) >= 0);

    public Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken) =>
        ParseGuard.Run("DOCX", () => Parse(file, context, cancellationToken), cancellationToken);

    /// <summary>A fault of the package rather than of our code: the OpenXml SDK's package errors, and the argument
    /// errors System.IO.Packaging raises for malformed package data (content types, part names).</summary>
    private static bool IsPackageFault(Exception ex) =>
        ex is OpenXmlPackageException or FileFormatException
        || (ex is ArgumentException && string.Equals(ex.Source, "System.IO.Packaging", StringComparison.Ordinal));

    private LegalDocument Parse(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        DocxArchiveGuard.Check(file.Bytes, context.Limits, cancellationToken);

        using var stream = new MemoryStream(file.Bytes, writable: false);
        WordprocessingDocument document;
        try
        {
            document = WordprocessingDocument.Open(stream, false, new OpenSettings
            {
                // The guard measured the parts; this bounds what one part may hold once parsed, too.
                MaxCharactersInPart = context.Limits.MaxUncompressedBytes,
            });
        }
        // System.IO.Packaging throws ArgumentException for a malformed content type in [Content_Types].xml.
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException or ArgumentException)
        {
            throw new DocumentRejectedException($"not a DOCX (not a valid Office package: {ex.Message})", ex);
        }

        // Opening checks the package's structure, but System.IO.Packaging reads some of it only when first used (a
        // part's content type, the core properties): a fault found then is the file's, not ours (fuzzing found one).
        try
        {
            using (document)
            {
                var body = document.MainDocumentPart?.Document?.Body
                           ?? throw new DocumentRejectedException("not a DOCX: the archive has no word/document.xml (the main document part)");
                var styles = new DocxStyles(document.MainDocumentPart!.StyleDefinitionsPart?.Styles);
                var numbering = new DocxNumbering(document.MainDocumentPart.NumberingDefinitionsPart?.Numbering);
                var blocks = new List<DocxBlock>();
                var reader = new BodyReader(styles, numbering, blocks, context.Limits.MaxXmlDepth, cancellationToken);
                reader.ReadContainer(body, depth: 1);

                var titleParagraph = blocks.FirstOrDefault(b => b.IsTitle)?.Text;
                var firstHeading = blocks.FirstOrDefault(b => b.HeadingLevel is not null)?.Text;
                var coreTitle = document.PackageProperties.Title;
                var stem = Path.GetFileNameWithoutExtension(file.RelativePath);
                var rawTitle = context.ActTitle
                               ?? (string.IsNullOrWhiteSpace(coreTitle) ? null : Whitespace.Collapse(coreTitle))
                               ?? titleParagraph ?? firstHeading ?? stem;
                var abbreviation = context.ActAbbreviation ?? ActNames.AbbreviationInTitle(rawTitle);
                var title = context.ActTitle ?? ActNames.WithoutTrailingAbbreviation(rawTitle);

                var builder = new StructureBuilder(context.Corpus, context.Language, abbreviation ?? title);
                var hierarchy = new HierarchyLevels(UnstyledHierarchyFirstLevel);
                foreach (var block in blocks)
                {
                    if (block.IsTitle) continue;
                    if (block.HeadingLevel is { } level) builder.Heading(level, block.Text);
                    else if (HeadingLines.IsProvisionHeading(block.Text)) builder.Heading(UnstyledProvisionLevel, block.Text);
                    else if (!block.IsTableRow && HeadingLines.TryStructural(block.Text, out var structural)) builder.Heading(hierarchy.LevelFor(structural), block.Text);
                    else builder.Text(block.Text);
                }

                return new LegalDocument
                {
                    SourcePath = file.RelativePath,
                    ContentHash = file.ContentHash,
                    Language = context.Language,
                    Title = title,
                    Abbreviation = abbreviation,
                    Format = Format,
                    Provisions = builder.Build(),
                    Warnings = reader.Warnings,
                };
            }
        }
        catch (Exception ex) when (IsPackageFault(ex))
        {
            throw new DocumentRejectedException($"not a DOCX (not a valid Office package: {ex.Message})", ex);
        }
    }

    /// <summary>One paragraph or table row of the body, in document order.</summary>
    private sealed record DocxBlock(string Text, int? HeadingLevel, bool IsTitle, bool IsTableRow);

    private sealed class BodyReader(DocxStyles styles, DocxNumbering numbering, List<DocxBlock> blocks, int maxDepth, CancellationToken cancellationToken)
    {
        public List<string> Warnings { get; } = [];

        public void ReadContainer(OpenXmlElement container, int depth)
        {
            if (depth > maxDepth)
                throw new DocumentRejectedException($"the DOCX nests content deeper than {maxDepth} levels (limit MaxXmlDepth)");
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var element in container.ChildElements)
            {
                switch (element)
                {
                    case Paragraph paragraph:
                        ReadParagraph(paragraph);
                        break;
                    case Table table:
                        ReadTable(table, depth);
                        break;
                    case SdtBlock sdt when sdt.SdtContentBlock is { } content:
                        ReadContainer(content, depth + 1);
                        break;
                    case CustomXmlBlock custom:
                        ReadContainer(custom, depth + 1);
                        break;
                    case AltChunk:
                        Warnings.Add("an embedded document (altChunk) was skipped");
                        break;
                }
            }
        }

        private void ReadParagraph(Paragraph paragraph)
        {
            var text = Whitespace.Collapse(ParagraphText(paragraph));
            var properties = paragraph.ParagraphProperties;
            var styleId = properties?.ParagraphStyleId?.Val?.Value;
            var (numId, level) = NumberingOf(properties, styleId);
            var number = numId is { } id ? numbering.Next(id, level) : "";
            if (text.Length == 0) return;
            if (number.Length > 0) text = number + text;

            var headingLevel = properties?.OutlineLevel?.Val?.Value is { } outline
                ? (outline < 9 ? outline + 1 : (int?)null)
                : styles.HeadingLevel(styleId);
            blocks.Add(new DocxBlock(text, headingLevel, styles.IsTitle(styleId), IsTableRow: false));
        }

        private (int? NumId, int Level) NumberingOf(ParagraphProperties? properties, string? styleId)
        {
            var direct = properties?.NumberingProperties;
            var numId = direct?.NumberingId?.Val?.Value;
            var level = direct?.NumberingLevelReference?.Val?.Value;
            if (numId is null && styles.Numbering(styleId) is { } inherited)
            {
                numId = inherited.NumId;
                level ??= inherited.Level;
            }
            return (numId, level ?? 0);
        }

        private void ReadTable(Table table, int depth)
        {
            if (depth > maxDepth)
                throw new DocumentRejectedException($"the DOCX nests content deeper than {maxDepth} levels (limit MaxXmlDepth)");
            foreach (var row in table.Elements<TableRow>())
            {
                var cells = row.Elements<TableCell>()
                    .Select(cell => Whitespace.Collapse(string.Join(' ', cell.Descendants<Paragraph>().Select(ParagraphText))))
                    .Where(c => c.Length > 0)
                    .ToList();
                if (cells.Count > 0) blocks.Add(new DocxBlock(string.Join(" | ", cells), null, false, IsTableRow: true));
            }
        }
    }

    /// <summary>
    /// The text Word shows for a paragraph: w:t runs, tabs and breaks as spaces, non-breaking hyphens.
    /// Deleted revisions, field codes and the fallback copy of alternate content (which repeats the
    /// choice) are left out.
    /// </summary>
    private static string ParagraphText(OpenXmlElement paragraph)
    {
        var sb = new StringBuilder();
        Append(paragraph, sb);
        return sb.ToString();

        static void Append(OpenXmlElement element, StringBuilder sb)
        {
            foreach (var child in element.ChildElements)
            {
                switch (child)
                {
                    case Text t:
                        sb.Append(t.Text);
                        break;
                    case TabChar or Break or CarriageReturn:
                        sb.Append(' ');
                        break;
                    case NoBreakHyphen:
                        sb.Append('-');
                        break;
                    case DeletedRun or DeletedText or FieldCode or DeletedFieldCode or AlternateContentFallback:
                        break;
                    // A nested paragraph (text box) ends a line.
                    case Paragraph nested when !ReferenceEquals(nested, element):
                        Append(nested, sb);
                        sb.Append(' ');
                        break;
                    default:
                        if (child.HasChildren) Append(child, sb);
                        break;
                }
            }
        }
    }
}

/// <summary>Heading levels, title style and inherited numbering of paragraph styles, resolved through "based on".</summary>
internal sealed partial class DocxStyles
{
    private readonly Dictionary<string, Style> _byId = new(StringComparer.Ordinal);

    public DocxStyles(Styles? styles)
    {
        foreach (var style in styles?.Elements<Style>() ?? [])
            if (style.StyleId?.Value is { } id) _byId.TryAdd(id, style);
    }

    [GeneratedRegex(@"^(?:heading|überschrift|berschrift|titre|kop)\s*(?<n>[1-9])$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeadingName();

    [GeneratedRegex(@"^(?:title|titel|titre)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TitleName();

    public int? HeadingLevel(string? styleId)
    {
        foreach (var style in Chain(styleId))
        {
            if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } outline) return outline < 9 ? outline + 1 : null;
            var m = HeadingName().Match(style.StyleName?.Val?.Value ?? "");
            if (!m.Success) m = HeadingName().Match(style.StyleId?.Value ?? "");
            if (m.Success) return m.Groups["n"].Value[0] - '0';
        }
        return null;
    }

    public bool IsTitle(string? styleId) =>
        Chain(styleId).Take(1).Any(s => TitleName().IsMatch(s.StyleName?.Val?.Value ?? "") || TitleName().IsMatch(s.StyleId?.Value ?? ""));

    public (int NumId, int Level)? Numbering(string? styleId)
    {
        foreach (var style in Chain(styleId))
        {
            var numbering = style.StyleParagraphProperties?.NumberingProperties;
            if (numbering?.NumberingId?.Val?.Value is { } numId)
                return (numId, numbering.NumberingLevelReference?.Val?.Value ?? 0);
        }
        return null;
    }

    /// <summary>The style and the styles it is based on, nearest first; cycles and long chains are cut off.</summary>
    private IEnumerable<Style> Chain(string? styleId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (styleId is not null && seen.Add(styleId) && seen.Count <= 20 && _byId.TryGetValue(styleId, out var style))
        {
            yield return style;
            styleId = style.BasedOn?.Val?.Value;
        }
    }
}
