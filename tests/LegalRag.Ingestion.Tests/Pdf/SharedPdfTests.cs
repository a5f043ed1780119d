using LegalRag.Ingestion.Parsers.Pdf;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pdf;

/// <summary>Real official PDFs from ../shared; skipped with a message when that folder is absent.</summary>
public sealed class SharedPdfTests
{
    private static async Task<Core.Domain.LegalDocument> ParseSharedAsync(string relativePath, PdfTextEngine engine = PdfTextEngine.PdfPig)
    {
        var path = SharedCorpora.Require(relativePath);
        var file = new SourceFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        return await new PdfParser(textEngine: engine).ParseAsync(file, Fixtures.German(), TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(PdfTextEngine.PdfPig)]
    [InlineData(PdfTextEngine.Poppler)]
    public async Task The_official_BGB_PDF_gives_paragraph_573_with_its_page_and_path_and_no_running_lines(PdfTextEngine engine)
    {
        var document = await ParseSharedAsync("corpora/official-samples/de/BGB_gesetze-im-internet.pdf", engine);

        Assert.Equal("BGB", document.Abbreviation); // from the file name: this excerpt has no title page
        var provision = Assert.Single(document.Provisions, p => p.Citation == "BGB § 573");
        Assert.Equal("Ordentliche Kündigung des Vermieters", provision.Heading);
        // Page 147 of the file (printed "Seite 173 von 482": the excerpt starts at printed page 27).
        Assert.Equal(147, provision.FirstPage);
        Assert.Equal(["1", "2", "3", "4"], provision.Paragraphs.Select(p => p.Label));
        Assert.Contains("Mietverhältnisse über Wohnraum", provision.PathDisplay);
        Assert.StartsWith("(2) Ein berechtigtes Interesse des Vermieters an der Beendigung des Mietverhältnisses liegt insbesondere vor, wenn\n1. der Mieter", provision.Paragraphs[1].Text);

        Assert.True(document.Provisions.Count > 2400, $"only {document.Provisions.Count} provisions");
        var text = string.Join("\n", document.Provisions.SelectMany(p => p.Paragraphs).Select(p => p.Text));
        Assert.DoesNotContain("www.gesetze-im-internet.de", text);
        Assert.DoesNotContain(" von 482 -", text);
        Assert.All(document.Provisions.SelectMany(p => p.Paragraphs), p => Assert.InRange(p.Page ?? 0, 1, 456));
    }

    [Theory]
    [InlineData(PdfTextEngine.PdfPig)]
    [InlineData(PdfTextEngine.Poppler)]
    public async Task Gazette_PDFs_with_a_text_layer_all_parse_with_pages(PdfTextEngine engine)
    {
        var folder = SharedCorpora.Require("corpora/de-bgbl-pdf");
        // The OCR'd files take seconds each; they are covered by the timing run and the scanned sample below.
        var failures = new List<string>();
        var parsed = 0;
        foreach (var path in Directory.GetFiles(folder, "*.pdf").Order())
        {
            var file = new SourceFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
            var needsOcr = await PdfNeedsOcrAsync(path);
            if (needsOcr) continue;
            try
            {
                var document = await new PdfParser(textEngine: engine).ParseAsync(file, Fixtures.German(), TestContext.Current.CancellationToken);
                Assert.NotEmpty(document.Provisions);
                Assert.All(document.Provisions.SelectMany(p => p.Paragraphs), p => Assert.NotNull(p.Page));
                parsed++;
            }
            catch (DocumentRejectedException ex)
            {
                failures.Add($"{file.RelativePath}: {ex.Message}");
            }
        }
        Assert.Empty(failures);
        Assert.True(parsed >= 35, $"only {parsed} gazette PDFs with a text layer");
    }

    [Fact]
    public async Task A_scanned_gazette_PDF_is_read_by_OCR()
    {
        Fixtures.RequireTool("tesseract", "tesseract-ocr");
        var document = await ParseSharedAsync("corpora/de-bgbl-pdf/u_uvav_bgbl1_2016_j3097-1_0010.pdf");

        Assert.Contains(document.Warnings, w => w.Contains("recognised by OCR", StringComparison.Ordinal));
        var text = string.Join(" ", document.Provisions.Select(p => p.Text));
        Assert.Contains("UNFALLANZEIGE", text);
        Assert.Contains("Unternehmens", text);
    }

    /// <summary>Whether the file's text layer is missing (pdftotext finds fewer than a handful of words).</summary>
    private static async Task<bool> PdfNeedsOcrAsync(string path)
    {
        var run = await new ExternalTool("pdftotext", "poppler-utils").RunAsync([path, "-"], TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        var words = run.StandardOutput.Split((char[])[' ', '\n', '\f', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var letters = words.SelectMany(w => w).Where(char.IsLetter).ToList();
        var vowels = letters.Count(c => "aeiouyäöüAEIOUYÄÖÜ".Contains(c));
        return words.Length < PdfParser.MinWordsForTextLayer || (letters.Count >= 100 && vowels < letters.Count * 0.25);
    }
}
