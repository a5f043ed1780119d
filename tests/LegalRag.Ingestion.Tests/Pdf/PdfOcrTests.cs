using System.Globalization;
using System.Text;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Pdf;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pdf;

/// <summary>
/// Scanned pages: the fixture is made the way a scanner would, by rendering a text page to pixels
/// (pdftoppm) and wrapping only the pixels in a new PDF, which then has no text layer at all.
/// </summary>
public sealed class PdfOcrTests
{
    private static readonly string[] ScannedLines =
    [
        "§ 3 Mietminderung",
        "(1) Ist die Mietsache mangelhaft, so ist die Miete angemessen herabgesetzt.",
        "(2) Das gilt nicht, wenn der Mieter den Mangel kannte.",
    ];

    private static async Task<GrayImage> ScanAsync(string[] lines)
    {
        var textPdf = PdfWriter.Write([new PdfPageSpec(lines.Select((t, i) => new PdfText(60, 760 - i * 30, 14, t)).ToList())]);
        var folder = Directory.CreateTempSubdirectory("legalrag-scan-test-");
        try
        {
            var input = Path.Combine(folder.FullName, "page.pdf");
            await File.WriteAllBytesAsync(input, textPdf, TestContext.Current.CancellationToken);
            var prefix = Path.Combine(folder.FullName, "page");
            var run = await new ExternalTool("pdftoppm", "poppler-utils").RunAsync(
                ["-r", "150", "-gray", "-singlefile", input, prefix], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
            Assert.Equal(0, run.ExitCode);
            return ReadPgm(await File.ReadAllBytesAsync(prefix + ".pgm", TestContext.Current.CancellationToken));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Binary PGM ("P5"): a text header of magic, width, height and maximum value, then one byte per pixel.</summary>
    private static GrayImage ReadPgm(byte[] pgm)
    {
        var fields = new List<string>();
        var position = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)pgm[position])) position++;
            var start = position;
            while (!char.IsWhiteSpace((char)pgm[position])) position++;
            fields.Add(Encoding.ASCII.GetString(pgm, start, position - start));
        }
        position++; // the single whitespace byte before the pixels
        Assert.Equal("P5", fields[0]);
        var width = int.Parse(fields[1], CultureInfo.InvariantCulture);
        var height = int.Parse(fields[2], CultureInfo.InvariantCulture);
        return new GrayImage(width, height, pgm[position..(position + width * height)]);
    }

    private static Task<LegalDocument> ParseAsync(byte[] pdf, ParseContext context, PdfParser? parser = null) =>
        (parser ?? new PdfParser()).ParseAsync(Fixtures.File("scan.pdf", pdf), context, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_scanned_page_is_read_by_OCR_and_keeps_its_page_number()
    {
        Fixtures.RequireTool("pdftoppm", "poppler-utils");
        Fixtures.RequireTool("tesseract", "tesseract-ocr");
        var scan = await ScanAsync(ScannedLines);
        var pdf = PdfWriter.Write([
            PdfWriter.TextPage("§ 2 Miete", "Die Miete ist monatlich im Voraus zu zahlen."),
            new PdfPageSpec([], scan),
        ]);

        var document = await ParseAsync(pdf, Fixtures.German(abbreviation: "TMG"));

        var two = Assert.Single(document.Provisions, p => p.Citation == "TMG § 2");
        Assert.Equal(1, two.FirstPage);
        var three = Assert.Single(document.Provisions, p => p.Citation == "TMG § 3");
        Assert.Equal("Mietminderung", three.Heading);
        Assert.All(three.Paragraphs, p => Assert.Equal(2, p.Page));
        Assert.Contains("Mietsache mangelhaft", three.Text);
        Assert.Contains(document.Warnings, w => w.Contains("page(s) 2 recognised by OCR", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_tesseract_a_scanned_page_is_a_warning_and_a_scan_only_PDF_is_rejected()
    {
        Fixtures.RequireTool("pdftoppm", "poppler-utils");
        var tools = PdfTools.Default with { Tesseract = new ExternalTool("/nonexistent/bin/tesseract", "tesseract-ocr") };
        var parser = new PdfParser(tools);
        var scan = await ScanAsync(ScannedLines);

        var mixed = await ParseAsync(PdfWriter.Write([
            PdfWriter.TextPage("§ 2 Miete", "Die Miete ist monatlich im Voraus zu zahlen."),
            new PdfPageSpec([], scan),
        ]), Fixtures.German(), parser);
        Assert.Contains(mixed.Warnings, w => w == "page 2 has no text layer and could not be recognised: tesseract not found: install Debian package tesseract-ocr");
        Assert.Single(mixed.Provisions, p => p.Number == "2");

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(PdfWriter.Write([new PdfPageSpec([], scan)]), Fixtures.German(), parser));
        Assert.StartsWith("no text could be extracted: the PDF has no text layer and OCR recognised no text", ex.Message);
        Assert.Contains("tesseract not found: install Debian package tesseract-ocr", ex.Message);
    }

    [Fact]
    public async Task A_missing_language_pack_falls_back_to_an_installed_one_with_a_warning()
    {
        Fixtures.RequireTool("pdftoppm", "poppler-utils");
        Fixtures.RequireTool("tesseract", "tesseract-ocr");
        var installed = await new ExternalTool("tesseract", "tesseract-ocr").RunAsync(["--list-langs"], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        if ((installed.StandardOutput + installed.StandardError).Split('\n').Any(l => l.Trim() == "fra"))
            Assert.Skip("tesseract-ocr-fra is installed here, so the fallback cannot be observed");
        var scan = await ScanAsync(["Article 5", "Le bail est conclu pour une durée déterminée."]);
        var french = new ParseContext("test-corpus", "fr", null, "CC", new IngestionLimits());

        var document = await ParseAsync(PdfWriter.Write([new PdfPageSpec([], scan)]), french);

        Assert.Contains(document.Warnings, w => w.StartsWith("OCR language pack 'fra' is not installed (Debian package tesseract-ocr-fra)", StringComparison.Ordinal));
        Assert.Contains("bail", string.Join(" ", document.Provisions.Select(p => p.Text)));
    }
}
