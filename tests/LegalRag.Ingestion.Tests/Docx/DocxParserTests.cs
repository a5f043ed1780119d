using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Docx;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Docx;

public sealed class DocxParserTests
{
    private static readonly DocxParser Parser = new();

    /// <summary>Writes a DOCX with OpenXml: heading styles (English and German names, one only by outline
    /// level, one "based on" another), a title style, and a "(1)"/"a)" numbering with a restarting instance.</summary>
    private static byte[] Docx(string? coreTitle, params OpenXmlElement[] body)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(body));
            main.AddNewPart<StyleDefinitionsPart>().Styles = new Styles(
                ParagraphStyle("Title", "Title"),
                ParagraphStyle("Heading1", "heading 1"),
                ParagraphStyle("berschrift2", "Überschrift 2"),
                ParagraphStyle("Gliederung", "Gliederung", outlineLevel: 2),
                ParagraphStyle("Paragrafenkopf", "Paragrafenkopf", basedOn: "berschrift2"));
            main.AddNewPart<NumberingDefinitionsPart>().Numbering = new Numbering(
                new AbstractNum(
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.Decimal }, new LevelText { Val = "(%1)" }) { LevelIndex = 0 },
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.LowerLetter }, new LevelText { Val = "%2)" }) { LevelIndex = 1 })
                { AbstractNumberId = 10 },
                new AbstractNum(
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.UpperRoman }, new LevelText { Val = "Teil %1" }) { LevelIndex = 0 })
                { AbstractNumberId = 20 },
                new NumberingInstance(new AbstractNumId { Val = 10 }) { NumberID = 1 },
                new NumberingInstance(new AbstractNumId { Val = 10 }, new LevelOverride(new StartOverrideNumberingValue { Val = 1 }) { LevelIndex = 0 }) { NumberID = 2 },
                new NumberingInstance(new AbstractNumId { Val = 20 }) { NumberID = 3 });
            if (coreTitle is not null) document.PackageProperties.Title = coreTitle;
        }
        return stream.ToArray();
    }

    private static Style ParagraphStyle(string id, string name, int? outlineLevel = null, string? basedOn = null)
    {
        var style = new Style(new StyleName { Val = name }) { Type = StyleValues.Paragraph, StyleId = id };
        if (basedOn is not null) style.Append(new BasedOn { Val = basedOn });
        if (outlineLevel is not null) style.Append(new StyleParagraphProperties(new OutlineLevel { Val = outlineLevel }));
        return style;
    }

    private static Paragraph P(string text, string? style = null, int? numId = null, int level = 0)
    {
        var properties = new ParagraphProperties();
        if (style is not null) properties.Append(new ParagraphStyleId { Val = style });
        if (numId is not null) properties.Append(new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = numId }));
        return new Paragraph(properties, new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    private static Task<LegalDocument> ParseAsync(byte[] docx, ParseContext? context = null, string name = "gesetz.docx") =>
        Parser.ParseAsync(Fixtures.File(name, docx), context ?? Fixtures.German(), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Heading_styles_numbering_and_tables_give_the_structure()
    {
        var docx = Docx(null,
            P("Mietgesetz (MietG)", "Title"),
            P("Abschnitt 1 Allgemeines", "Heading1"),
            P("§ 1 Geltungsbereich", "berschrift2"),
            P("Dieses Gesetz gilt für Wohnraum, auch für", numId: 1),
            P("möblierte Zimmer und", numId: 1, level: 1),
            P("Ferienwohnungen.", numId: 1, level: 1),
            P("Es gilt nicht für Hotels.", numId: 1),
            P("§ 2 Miethöhe", "Paragrafenkopf"),
            P("Die Miete richtet sich nach der Tabelle.", numId: 2),
            new Table(
                new TableRow(new TableCell(P("Wohnfläche")), new TableCell(P("Miete"))),
                new TableRow(new TableCell(P("bis 50 m²")), new TableCell(P("500 Euro"), P("monatlich")))),
            P("Zuschläge sind zulässig.", numId: 1));

        var document = await ParseAsync(docx);

        Assert.Equal("docx", document.Format);
        Assert.Equal("Mietgesetz", document.Title);
        Assert.Equal("MietG", document.Abbreviation);
        var one = Assert.Single(document.Provisions, p => p.Citation == "MietG § 1");
        Assert.Equal(["Abschnitt 1 Allgemeines"], one.Path);
        Assert.Equal(["1", "2"], one.Paragraphs.Select(p => p.Label));
        Assert.Equal("(1) Dieses Gesetz gilt für Wohnraum, auch für\na) möblierte Zimmer und\nb) Ferienwohnungen.", one.Paragraphs[0].Text);
        Assert.Equal("(2) Es gilt nicht für Hotels.", one.Paragraphs[1].Text);

        var two = Assert.Single(document.Provisions, p => p.Citation == "MietG § 2");
        Assert.Equal("Miethöhe", two.Heading);
        // numId 2 restarts the list at (1); numId 1 continues where it stopped, at (3).
        Assert.Equal(["1", "3"], two.Paragraphs.Select(p => p.Label));
        Assert.Equal("(1) Die Miete richtet sich nach der Tabelle.\nWohnfläche | Miete\nbis 50 m² | 500 Euro monatlich", two.Paragraphs[0].Text);
    }

    [Fact]
    public async Task Unstyled_hierarchy_and_provision_headings_and_roman_numbering_are_recognised()
    {
        var docx = Docx("Gesetz über Tests",
            P("Allgemeiner Teil", numId: 3),
            P("§ 3 Kündigung"),
            P("Die Kündigung ist schriftlich zu erklären."),
            P("§ 3 gilt entsprechend für Untermieter."));

        var document = await ParseAsync(docx);

        Assert.Equal("Gesetz über Tests", document.Title);
        Assert.Null(document.Abbreviation);
        var three = Assert.Single(document.Provisions);
        Assert.Equal("Gesetz über Tests § 3", three.Citation);
        Assert.Equal(["Teil I Allgemeiner Teil"], three.Path);
        Assert.Equal("Die Kündigung ist schriftlich zu erklären.\n§ 3 gilt entsprechend für Untermieter.", three.Text);
    }

    [Fact]
    public async Task A_style_with_only_an_outline_level_is_a_heading_at_that_level()
    {
        var docx = Docx("Gesetz über Tests",
            P("Erster Abschnitt", "Heading1"),
            P("Grundsätze", "Gliederung"),
            P("§ 4 Form"),
            P("Die Form ist frei."));

        var four = Assert.Single((await ParseAsync(docx)).Provisions);

        Assert.Equal(["Erster Abschnitt", "Grundsätze"], four.Path);
        Assert.Equal("Form", four.Heading);
    }

    [Fact]
    public async Task Deleted_revisions_and_field_codes_are_not_text()
    {
        var paragraph = new Paragraph(
            new Run(new Text("Die Frist beträgt ")),
            new DeletedRun(new Run(new DeletedText("zwei"))) { Id = "1", Author = "T" },
            new InsertedRun(new Run(new Text("drei"))) { Id = "2", Author = "T" },
            new Run(new FieldCode(" PAGE ")),
            new Run(new Text(" Monate."), new TabChar(), new Text("Ende")));
        var docx = Docx("Fristengesetz", P("§ 1 Frist", "Heading1"), paragraph);

        var provision = Assert.Single((await ParseAsync(docx)).Provisions);

        Assert.Equal("Die Frist beträgt drei Monate. Ende", provision.Text);
    }

    [Fact]
    public async Task The_context_names_the_act()
    {
        var docx = Docx("Ignored Title (IGN)", P("§ 1 Zweck", "Heading1"), P("Text."));

        var document = await ParseAsync(docx, Fixtures.German(abbreviation: "ABC", title: "Ein Gesetz"));

        Assert.Equal("Ein Gesetz", document.Title);
        Assert.Equal("ABC § 1", Assert.Single(document.Provisions).Citation);
    }

    [Theory]
    [InlineData(new byte[0], "the file is empty")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "not a DOCX (not a zip archive)")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 0 }, "not a DOCX (damaged zip archive: ")]
    public async Task Input_that_is_no_DOCX_is_rejected_with_the_reason(byte[] bytes, string reason)
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(bytes));
        Assert.StartsWith(reason, ex.Message);
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(content);
            }
        }
        return stream.ToArray();
    }

    [Fact]
    public async Task A_zip_that_is_not_an_Office_package_is_rejected()
    {
        var plainZip = Zip(("notes.txt", "Hallo"u8.ToArray()));
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(plainZip));
        Assert.Equal("not a DOCX (a zip archive without [Content_Types].xml is no Office document)", ex.Message);

        var noDocument = Zip(("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"u8.ToArray()));
        ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(noDocument));
        Assert.Equal("not a DOCX: the archive has no word/document.xml (the main document part)", ex.Message);
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_by_compression_ratio_and_by_total_size()
    {
        var bomb = Zip(
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"u8.ToArray()),
            ("word/document.xml", new byte[50 * 1024 * 1024]));
        Assert.True(bomb.Length < 200_000, $"the bomb is {bomb.Length} bytes");

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(bomb));
        Assert.StartsWith("zip bomb guard: entry 'word/document.xml' expands more than 200 times", ex.Message);

        var ordinary = Docx("Gesetz", P("§ 1 Zweck", "Heading1"), P("Text."));
        var tight = Fixtures.German() with { Limits = new IngestionLimits { MaxUncompressedBytes = 2_000 } };
        ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(ordinary, tight));
        Assert.Equal("zip bomb guard: the DOCX unpacks to more than 2,000 bytes (limit MaxUncompressedBytes)", ex.Message);
    }

    [Fact]
    public void Content_decides_before_the_extension()
    {
        var docx = Docx("Gesetz", P("Text."));
        Assert.True(Parser.CanParse(Fixtures.File("upload.bin", docx)));
        Assert.True(Parser.CanParse(Fixtures.File("fake.docx", "not a zip")));
        Assert.False(Parser.CanParse(Fixtures.File("archive.zip", Zip(("notes.txt", "Hallo"u8.ToArray())))));
        Assert.False(Parser.CanParse(Fixtures.File("text.md", "# Titel")));
    }
}
