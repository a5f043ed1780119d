using LegalRag.Ingestion.Parsers.Docx;
using LegalRag.Ingestion.Parsers.Html;
using LegalRag.Ingestion.Parsers.Pdf;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Tests.Pdf;
using Xunit;

namespace LegalRag.Ingestion.Tests.Parsing;

/// <summary>The four format parsers in the registry order the pipeline uses: content decides before the extension.</summary>
public sealed class ParserSelectionTests
{
    private static readonly ParserRegistry Registry = new([new PdfParser(), new DocxParser(), new HtmlParser(), new XmlParser()]);

    private static string? FormatOf(string name, byte[] bytes) => Registry.Find(Fixtures.File(name, bytes))?.Format;

    [Fact]
    public void Each_format_is_recognised_by_its_content_whatever_the_file_is_called()
    {
        var pdf = PdfWriter.Write([PdfWriter.TextPage("§ 1 Zweck")]);
        byte[] docx = [(byte)'P', (byte)'K', 3, 4, .. "word/document.xml"u8.ToArray()];

        Assert.Equal("pdf", FormatOf("gesetz.md", pdf));
        Assert.Equal("docx", FormatOf("gesetz.html", docx));
        Assert.Equal("html", FormatOf("gesetz.xml", "<!DOCTYPE html><html><body><p>x</p></body></html>"u8.ToArray()));
        Assert.Equal("xml", FormatOf("gesetz.txt", "<?xml version=\"1.0\"?><ACT/>"u8.ToArray()));
    }

    [Fact]
    public void Markdown_and_binary_files_named_md_are_left_to_the_text_parsers()
    {
        Assert.Null(FormatOf("gesetz.md", "# Gesetz\n\n## § 1 Zweck\n"u8.ToArray()));
        Assert.Null(FormatOf("bild.md", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]));
    }
}
