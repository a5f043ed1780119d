using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Docx;
using LegalRag.Ingestion.Parsers.Html;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Parsing;

/// <summary>
/// One test per defect the fuzzer (tests/LegalRag.Fuzzing) found, with the input shape that triggered it. Each
/// of these took minutes before its fix; the bound is far above what the fixed code needs even on a loaded machine.
/// </summary>
public sealed class FuzzFindingsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static async Task<(LegalDocument? Document, DocumentRejectedException? Rejection, TimeSpan Elapsed)> RunAsync(IDocumentParser parser, string name, byte[] bytes)
    {
        var clock = Stopwatch.StartNew();
        var parse = Task.Run(() => parser.ParseAsync(Fixtures.File(name, bytes), Fixtures.German(), TestContext.Current.CancellationToken));
        // A regression would hang for minutes: stop waiting at the bound and fail instead.
        if (await Task.WhenAny(parse, Task.Delay(Bound * 2, TestContext.Current.CancellationToken)) != parse)
            Assert.Fail($"{name}: no result after {Bound.TotalSeconds * 2:0} s");
        try
        {
            return (await parse, null, clock.Elapsed);
        }
        catch (DocumentRejectedException ex)
        {
            return (null, ex, clock.Elapsed);
        }
    }

    [Fact]
    public async Task Markdown_a_heading_line_of_a_million_hashes_parses_in_linear_time()
    {
        var text = "# Gesetz (FuzzG)\n\n## § 1 Anfang\n\nText.\n\n" + new string('#', 1_000_000) + " § 2 Tief\n\nMehr Text.\n";
        var (document, rejection, elapsed) = await RunAsync(new MarkdownStatuteParser(), "tief.md", Encoding.UTF8.GetBytes(text));
        Assert.Null(rejection);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
        Assert.Contains(document!.Provisions, p => p.Citation == "FuzzG § 1");
    }

    [Theory]
    [InlineData("## Titel ##", 2, "Titel")]
    [InlineData("#Titel", 1, "Titel")]
    [InlineData("###### ", 6, "")]
    [InlineData("####### x", 6, "# x")]
    [InlineData("### § 5 Frist #  ", 3, "§ 5 Frist")]
    [InlineData("## C# und F#", 2, "C# und F")]
    public void Markdown_atx_headings_read_as_before_the_rewrite(string line, int level, string text)
    {
        Assert.Equal((level, text), MarkdownStatuteParser.AtxHeading(line));
    }

    [Fact]
    public void Markdown_a_line_without_leading_hash_is_no_atx_heading() => Assert.Null(MarkdownStatuteParser.AtxHeading("Text # mit Raute"));

    [Fact]
    public async Task Markdown_text_of_half_a_million_unclosed_brackets_parses_in_linear_time()
    {
        var text = "# Gesetz (FuzzG)\n\n## § 1 Klammern\n\n" + string.Concat(Enumerable.Repeat("[^", 250_000)) + new string('[', 250_000) + " Ende\n";
        var (document, rejection, elapsed) = await RunAsync(new MarkdownStatuteParser(), "klammern.md", Encoding.UTF8.GetBytes(text));
        Assert.Null(rejection);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
        Assert.Single(document!.Provisions);
    }

    [Fact]
    public async Task Html_two_hundred_thousand_nested_divs_are_rejected_before_a_tree_is_built()
    {
        var html = "<html><body><h1>Gesetz</h1>" + string.Concat(Enumerable.Repeat("<div>", 200_000)) + "Tief" + string.Concat(Enumerable.Repeat("</div>", 200_000)) + "</body></html>";
        var (_, rejection, elapsed) = await RunAsync(new HtmlParser(), "tief.html", Encoding.UTF8.GetBytes(html));
        Assert.Equal("the HTML nests elements deeper than 256 levels (limit MaxXmlDepth)", rejection?.Message);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
    }

    [Fact]
    public async Task Html_thousands_of_unclosed_paragraphs_list_items_and_anchors_are_not_deep()
    {
        // Statutes in the wild leave end tags out by the thousand; the parser closes these implicitly, so the depth
        // estimate must too, or good documents would be refused.
        var body = new StringBuilder("<html><body><h1>Gesetz (FuzzG)</h1><h2>§ 1 Viele Absätze</h2><ul>");
        for (var i = 0; i < 5_000; i++) body.Append("<li><p>Absatz <a name=\"a").Append(i).Append("\">").Append(i).Append("<br>Satz <img src=x>");
        body.Append("</ul><svg viewBox=\"0 0 10 10\">").Append(string.Concat(Enumerable.Repeat("<path d=\"M0 0\"/>", 2_000))).Append("</svg>");
        body.Append("<script>if (a < b) { document.write('<div><div><div>'); }</script><!-- <div><div> --></body></html>");
        var (document, rejection, _) = await RunAsync(new HtmlParser(), "flach.html", Encoding.UTF8.GetBytes(body.ToString()));
        Assert.Null(rejection);
        Assert.Contains(document!.Provisions, p => p.Citation == "FuzzG § 1");
    }

    [Fact]
    public async Task Html_thirty_thousand_provisions_of_the_same_number_get_unique_keys_in_linear_time()
    {
        // The fuzzer repeated "<p>§ 3 Schluss</p><p>Die …" 100,000 times; each duplicate probed every earlier suffix.
        // 30,000 copies cost the old search 450 million probes (minutes) and the parser itself a few seconds.
        var html = "<html><body><h1>Gesetz (FuzzG)</h1>" + string.Concat(Enumerable.Repeat("<p>§ 3 Schluss</p>\n<p>Die Frist beträgt drei Tage.</p>\n", 30_000)) + "</body></html>";
        var (document, rejection, elapsed) = await RunAsync(new HtmlParser(), "doppelt.html", Encoding.UTF8.GetBytes(html));
        Assert.Null(rejection);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
        Assert.Equal(30_000, document!.Provisions.Count);
        Assert.Equal(30_000, document.Provisions.Select(p => p.Key).Distinct().Count());
        Assert.Equal(["test-corpus/fuzzg/s3", "test-corpus/fuzzg/s3~2", "test-corpus/fuzzg/s3~3"], document.Provisions.Take(3).Select(p => p.Key));
    }

    [Fact]
    public async Task Pdf_a_page_that_draws_its_lines_over_and_over_is_refused_by_its_letter_count()
    {
        // The fuzzer repeated a page's text operators 34,000 times: two million letters on one page took minutes
        // of line building. 2,100 copies of a 60-letter line pass the cap of 100,000 letters.
        var line = new Ingestion.Tests.Pdf.PdfText(56, 700, 10, "§ 1 Dieses Gesetz gilt für alle Eingaben, auch beschädigte.");
        var pdf = Ingestion.Tests.Pdf.PdfWriter.Write([new Ingestion.Tests.Pdf.PdfPageSpec(Enumerable.Repeat(line, 2_100).ToList())]);
        var (_, rejection, elapsed) = await RunAsync(new Ingestion.Parsers.Pdf.PdfParser(), "wiederholt.pdf", pdf);
        Assert.NotNull(rejection);
        Assert.StartsWith("page 1 of the PDF draws 1", rejection.Message);
        Assert.EndsWith("characters, more than any printed page holds (100,000); the PDF is damaged or hostile", rejection.Message);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
    }

    [Fact]
    public void Unique_keys_keep_their_suffixes_and_a_hundred_thousand_duplicates_stay_linear()
    {
        // The GII, BWB, Riigi Teataja and Akoma Ntoso readers had the same quadratic suffix search as the
        // structure builder (a GII act with 20,116 copies of one norm, a BWB act with 16,545 of one article).
        var keys = new Ingestion.Structure.UniqueKeys();
        Assert.Equal("c/a/s3", keys.Claim("c/a/s3"));
        Assert.Equal("c/a/s3~2", keys.Claim("c/a/s3"));
        Assert.Equal("c/a/s3~4", keys.Claim("c/a/s3~4"));
        Assert.Equal("c/a/s3~3", keys.Claim("c/a/s3"));
        Assert.Equal("c/a/s3~5", keys.Claim("c/a/s3"));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100_000; i++) keys.Claim("c/a/s3");
        Assert.Equal("c/a/s3~100006", keys.Claim("c/a/s3"));
        Assert.True(clock.Elapsed < Bound, $"took {clock.Elapsed.TotalSeconds:0.#} s");
    }

    [Fact]
    public async Task Formex_a_paragraph_with_a_megabyte_of_blanks_parses_in_linear_time()
    {
        var blanks = new string(' ', 1_300_000);
        var formex = $"""<?xml version="1.0" encoding="UTF-8"?><ACT><TITLE><TI><P>Verordnung über die Probe</P></TI></TITLE><ENACTING.TERMS><ARTICLE IDENTIFIER="001"><TI.ART>Artikel 1</TI.ART><PARAG><ALINEA>Diese Verordnung{blanks}gilt <QUOT.START CODE="201E"/>überall<QUOT.END CODE="201C"/>.</ALINEA></PARAG></ARTICLE></ENACTING.TERMS></ACT>""";
        var (document, rejection, elapsed) = await RunAsync(new Ingestion.Parsers.Xml.XmlParser(), "leer.xml", Encoding.UTF8.GetBytes(formex));
        Assert.Null(rejection);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
        Assert.Contains(document!.Provisions, p => p.Text.Contains("Diese Verordnung gilt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Docx_a_main_part_of_two_hundred_thousand_nested_elements_is_rejected_before_openxml_loads_it()
    {
        const string w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        var nested = string.Concat(Enumerable.Repeat("<w:tbl><w:tr><w:tc>", 70_000)) + "<w:p/>" + string.Concat(Enumerable.Repeat("</w:tc></w:tr></w:tbl>", 70_000));
        var docx = Zip(
            ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""),
            ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""),
            ("word/document.xml", $"""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>§ 1 Anfang</w:t></w:r></w:p>{nested}</w:body></w:document>"""));
        var (_, rejection, elapsed) = await RunAsync(new DocxParser(), "tief.docx", docx);
        Assert.Equal("the DOCX part 'word/document.xml' nests elements deeper than 256 levels (limit MaxXmlDepth)", rejection?.Message);
        Assert.True(elapsed < Bound, $"took {elapsed.TotalSeconds:0.#} s");
    }

    [Theory]
    [InlineData("application/vnd.openxmlformats-package.core-properties+xml;")]
    [InlineData("application/vnd.openxmlformats-package.core(properties+xml")]
    [InlineData("application/vnd.openxmlformats package.core-properties+xml")]
    public async Task Docx_a_core_properties_part_with_a_malformed_content_type_is_rejected_as_not_a_docx(string contentType)
    {
        // Found by the fuzzer (two bytes flipped in [Content_Types].xml): System.IO.Packaging parses the core properties'
        // content type only when they are first read, after the package opened, and throws ArgumentException there.
        const string w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        var docx = Zip(
            ("[Content_Types].xml", $"""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="{contentType}"/></Types>"""),
            ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"""),
            ("docProps/core.xml", """<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Gesetz</dc:title></cp:coreProperties>"""),
            ("word/document.xml", $"""<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>§ 1 Anfang</w:t></w:r></w:p></w:body></w:document>"""));
        var (_, rejection, _) = await RunAsync(new DocxParser(), "kaputt.docx", docx);
        Assert.NotNull(rejection);
        Assert.StartsWith("not a DOCX (not a valid Office package: ", rejection.Message, StringComparison.Ordinal);
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return stream.ToArray();
    }
}
