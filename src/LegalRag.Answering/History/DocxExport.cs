using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Languages;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;
using WordLanguage = DocumentFormat.OpenXml.Wordprocessing.Languages;

namespace LegalRag.Answering.History;

/// <summary>
/// The case-file export as a Word document (OpenXml): headings as Word heading styles so the case file's outline shows
/// them, quotes in a quote style, the facts about each source in small type. Title and creation time are set in the
/// document's properties too. The document's language (w:lang of the defaults, and the core properties) is the labels';
/// a question or answer in another language carries its own on its runs, so spelling is checked in the right one.
/// </summary>
public static class DocxExport
{
    public const string TitleStyle = "Title";
    public const string Heading2Style = "Heading2";
    public const string Heading3Style = "Heading3";
    public const string QuoteStyle = "Quote";
    public const string MetaStyle = "LegalRagMeta";

    /// <summary>The export with its labels in <paramref name="labels"/>' words (see <see cref="CaseFileExport.LabelLanguage"/>).</summary>
    public static byte[] Write(Conversation conversation, int? exchangeNumber, DateTimeOffset exportedAt, ILegalLanguage labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var blocks = CaseFileExport.Blocks(conversation, exchangeNumber, exportedAt, labels);
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = Styles(labels.Code);
            var body = new Body();
            foreach (var block in blocks) body.Append(Paragraph(block, labels.Code));
            body.Append(new SectionProperties(new PageSize { Width = 11906U, Height = 16838U }, new PageMargin { Top = 1417, Bottom = 1134, Left = 1417, Right = 1417 }));
            main.Document = new Document(body);
            document.PackageProperties.Title = blocks[0].Text;
            document.PackageProperties.Creator = "LegalRag";
            document.PackageProperties.Language = labels.Code;
            document.PackageProperties.Created = exportedAt.UtcDateTime;
        }
        return stream.ToArray();
    }

    private static Paragraph Paragraph(ExportBlock block, string documentLanguage)
    {
        var paragraph = new Paragraph();
        var style = block switch
        {
            ExportHeading { Level: 1 } => TitleStyle,
            ExportHeading { Level: 2 } => Heading2Style,
            ExportHeading => Heading3Style,
            ExportQuote => QuoteStyle,
            ExportMeta => MetaStyle,
            _ => null,
        };
        if (style is not null) paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        if (block is ExportParagraph { Lead: { } lead }) paragraph.Append(new Run(new RunProperties(new Bold()), Text(lead)));
        // Line breaks inside a block (a quote over several lines) become breaks within the paragraph.
        var lines = block.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var run = new Run(Text(lines[i].TrimEnd('\r')));
            if (i > 0) run.PrependChild(new Break());
            // Run properties come before the break (schema order), so they are prepended last.
            if (block is ExportParagraph { Language: { } own } && own != documentLanguage) run.PrependChild(new RunProperties(new WordLanguage { Val = own }));
            paragraph.Append(run);
        }
        return paragraph;
    }

    /// <summary>Text with its spaces kept (Word drops leading and trailing spaces unless told to preserve them).</summary>
    private static WordText Text(string text) => new(text) { Space = SpaceProcessingModeValues.Preserve };

    private static Styles Styles(string language) => new(
        // The document's language: Word checks spelling and hyphenates in it, and screen readers read it so.
        new DocDefaults(new RunPropertiesDefault(new RunPropertiesBaseStyle(new WordLanguage { Val = language }))),
        Style("Normal", "Normal", null, size: 22),
        Style(TitleStyle, "Title", 0, size: 36, bold: true),
        Style(Heading2Style, "heading 2", 1, size: 28, bold: true),
        Style(Heading3Style, "heading 3", 2, size: 24, bold: true),
        Style(QuoteStyle, "Quote", null, size: 22, italic: true, indentTwips: 567),
        Style(MetaStyle, "LegalRag source facts", null, size: 18, color: "555555"));

    private static Style Style(string id, string name, int? outlineLevel, int size, bool bold = false, bool italic = false, int? indentTwips = null, string? color = null)
    {
        // Children in the order the schema demands (Word refuses a document whose elements are out of order).
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id, Default = id == "Normal" ? OnOffValue.FromBoolean(true) : null };
        style.Append(new StyleName { Val = name });
        if (id != "Normal") style.Append(new BasedOn { Val = "Normal" });
        style.Append(new PrimaryStyle());
        var paragraph = new StyleParagraphProperties();
        if (outlineLevel is not null) paragraph.Append(new KeepNext());
        paragraph.Append(new SpacingBetweenLines { After = "120" });
        if (indentTwips is { } indent) paragraph.Append(new Indentation { Left = indent.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (outlineLevel is { } level) paragraph.Append(new OutlineLevel { Val = level });
        var run = new StyleRunProperties();
        if (bold) run.Append(new Bold());
        if (italic) run.Append(new Italic());
        if (color is not null) run.Append(new Color { Val = color });
        run.Append(new FontSize { Val = size.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        style.Append(paragraph, run);
        return style;
    }
}
