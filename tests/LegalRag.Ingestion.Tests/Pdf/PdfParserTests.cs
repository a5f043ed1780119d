using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Pdf;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pdf;

public sealed class PdfParserTests
{
    private static readonly PdfParser Parser = new();

    private static Task<LegalDocument> ParseAsync(byte[] pdf, ParseContext? context = null, PdfParser? parser = null) =>
        (parser ?? Parser).ParseAsync(Fixtures.File("test.pdf", pdf), context ?? Fixtures.German(), TestContext.Current.CancellationToken);

    private static Provision Single(LegalDocument document, string citation) =>
        Assert.Single(document.Provisions, p => p.Citation == citation);

    [Theory]
    [InlineData(PdfTextEngine.PdfPig)]
    [InlineData(PdfTextEngine.Poppler)]
    public async Task Two_pages_give_provisions_with_their_pages_and_the_abbreviation_from_the_title(PdfTextEngine engine)
    {
        var pdf = PdfWriter.Write([
            PdfWriter.TextPage(
                "Gesetz über die Miete von Testwohnungen (TMG)",
                "§ 1 Anwendungsbereich",
                "(1) Dieses Gesetz gilt für Mietverhältnisse über Wohnraum.",
                "(2) Es gilt nicht für Ferienwohnungen."),
            PdfWriter.TextPage(
                "§ 2 Kündigung",
                "Der Vermieter kann nur aus wichtigem Grund kündigen."),
        ]);

        var document = await ParseAsync(pdf, parser: new PdfParser(textEngine: engine));

        Assert.Equal("pdf", document.Format);
        Assert.Equal("TMG", document.Abbreviation);
        Assert.Equal("Gesetz über die Miete von Testwohnungen", document.Title);
        var first = Single(document, "TMG § 1");
        Assert.Equal("Anwendungsbereich", first.Heading);
        Assert.Equal(["1", "2"], first.Paragraphs.Select(p => p.Label));
        Assert.All(first.Paragraphs, p => Assert.Equal(1, p.Page));
        Assert.Equal("(2) Es gilt nicht für Ferienwohnungen.", first.Paragraphs[1].Text);
        var second = Single(document, "TMG § 2");
        Assert.Equal(2, Assert.Single(second.Paragraphs).Page);
        Assert.Empty(document.Warnings);
    }

    [Fact]
    public async Task Context_names_the_act_before_the_title_and_the_file_name()
    {
        var pdf = PdfWriter.Write([PdfWriter.TextPage("Gesetz über Tests (TG)", "§ 1 Zweck", "Dieses Gesetz regelt Tests.")]);

        var named = await ParseAsync(pdf, Fixtures.German(abbreviation: "XYZ", title: "Ein anderes Gesetz"));
        Assert.Equal("XYZ § 1", Assert.Single(named.Provisions).Citation);
        Assert.Equal("Ein anderes Gesetz", named.Title);

        var untitled = PdfWriter.Write([PdfWriter.TextPage("§ 1 Zweck", "Dieses Gesetz regelt Tests.")]);
        var fromFileName = await Parser.ParseAsync(Fixtures.File("BGB_auszug.pdf", untitled), Fixtures.German(), TestContext.Current.CancellationToken);
        Assert.Equal("BGB § 1", Assert.Single(fromFileName.Provisions).Citation);
        Assert.Equal("BGB_auszug", fromFileName.Title);
    }

    [Theory]
    [InlineData(PdfTextEngine.PdfPig)]
    [InlineData(PdfTextEngine.Poppler)]
    public async Task Running_headers_and_page_footers_are_removed(PdfTextEngine engine)
    {
        const string header = "Ein Service des Bundesministeriums der Justiz sowie des Bundesamts für Justiz - www.gesetze-im-internet.de";
        var pages = Enumerable.Range(1, 4).Select(n => new PdfPageSpec([
            new PdfText(56, 815, 8, header),
            new PdfText(56, 740, 11, $"§ {n} Vorschrift Nummer {n}"),
            new PdfText(56, 722, 11, $"Diese Vorschrift steht auf Seite {n} und gilt."),
            new PdfText(260, 30, 8, $"- Seite {n + 10} von 14 -"),
        ])).ToList();

        var document = await ParseAsync(PdfWriter.Write(pages), parser: new PdfParser(textEngine: engine));

        Assert.Equal(4, document.Provisions.Count);
        var allText = string.Join("\n", document.Provisions.SelectMany(p => p.Paragraphs).Select(p => p.Text));
        Assert.DoesNotContain("gesetze-im-internet", allText);
        Assert.DoesNotContain("von 14", allText);
        Assert.Equal(3, Single(document, "test § 3").FirstPage);
    }

    [Fact]
    public async Task A_paragraph_broken_by_a_page_break_is_joined_and_keeps_its_first_page()
    {
        var pdf = PdfWriter.Write([
            PdfWriter.TextPage("§ 4 Auszug", "(1) Der Mieter kann den Vertrag"),
            PdfWriter.TextPage("kündigen, wenn er auszieht.", "(2) Das gilt auch für Erben."),
        ]);

        var provision = Single(await ParseAsync(pdf), "test § 4");

        Assert.Equal(2, provision.Paragraphs.Count);
        Assert.Equal("(1) Der Mieter kann den Vertrag kündigen, wenn er auszieht.", provision.Paragraphs[0].Text);
        Assert.Equal(1, provision.Paragraphs[0].Page);
        Assert.Equal(2, provision.Paragraphs[1].Page);
    }

    [Fact]
    public async Task A_heading_in_a_larger_font_wraps_onto_its_next_line_but_body_text_is_never_swallowed()
    {
        var pdf = PdfWriter.Write([new PdfPageSpec([
            new PdfText(56, 770, 13, "§ 5 Pflichten des Vermieters bei Mängeln der Mietsache und bei"),
            new PdfText(56, 755, 13, "Störungen des Gebrauchs"),
            new PdfText(56, 735, 10, "Der Vermieter hat Mängel zu beseitigen."),
            new PdfText(56, 722, 10, "Er trägt die Kosten."),
            new PdfText(56, 700, 10, "§ 6 Gleich große Überschrift"),
            new PdfText(56, 687, 10, "Text in derselben Größe bleibt Text."),
        ])]);

        var document = await ParseAsync(pdf);

        Assert.Equal("Pflichten des Vermieters bei Mängeln der Mietsache und bei Störungen des Gebrauchs", Single(document, "test § 5").Heading);
        var six = Single(document, "test § 6");
        Assert.Equal("Gleich große Überschrift", six.Heading);
        Assert.Equal("Text in derselben Größe bleibt Text.", Assert.Single(six.Paragraphs).Text);
    }

    [Fact]
    public async Task Hierarchy_headings_give_the_path_and_a_table_of_contents_does_not_duplicate_sections()
    {
        var pdf = PdfWriter.Write([
            PdfWriter.TextPage("Inhaltsübersicht", "§ 1 Anwendungsbereich", "§ 2 Kündigung"),
            PdfWriter.TextPage(
                "Abschnitt 1", "Allgemeine Vorschriften",
                "§ 1 Anwendungsbereich", "Dieses Gesetz gilt für Wohnraum.",
                "Abschnitt 2", "Beendigung",
                "§ 2 Kündigung", "Die Kündigung bedarf der Schriftform."),
        ]);

        var document = await ParseAsync(pdf);

        var one = Single(document, "test § 1");
        var two = Single(document, "test § 2");
        Assert.Equal(["Abschnitt 1 Allgemeine Vorschriften"], one.Path);
        Assert.Equal(["Abschnitt 2 Beendigung"], two.Path);
        Assert.Equal("Die Kündigung bedarf der Schriftform.", Assert.Single(two.Paragraphs).Text);
        Assert.DoesNotContain(document.Provisions, p => p.Key.Contains('~'));
    }

    [Fact]
    public async Task Pages_beyond_the_limit_are_not_read_and_a_warning_says_so()
    {
        var pdf = PdfWriter.Write([
            PdfWriter.TextPage("§ 1 Erste Seite", "Text der ersten Seite."),
            PdfWriter.TextPage("§ 2 Zweite Seite", "Text der zweiten Seite."),
            PdfWriter.TextPage("§ 3 Dritte Seite", "Text der dritten Seite."),
        ]);
        var context = Fixtures.German() with { Limits = new IngestionLimits { MaxPdfPages = 2 } };

        var document = await ParseAsync(pdf, context);

        Assert.Equal(["1", "2"], document.Provisions.Select(p => p.Number));
        Assert.Contains(document.Warnings, w => w.Contains("has 3 pages; only the first 2 were read", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[0], "the file is empty")]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, "not a PDF (no %PDF- header)")]
    public async Task Input_that_is_no_PDF_is_rejected_with_the_reason(byte[] bytes, string reason)
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(bytes));
        Assert.Equal(reason, ex.Message);
    }

    [Theory]
    [InlineData(PdfTextEngine.PdfPig)]
    [InlineData(PdfTextEngine.Poppler)]
    public async Task A_truncated_PDF_is_rejected_as_truncated_or_damaged(PdfTextEngine engine)
    {
        var pdf = PdfWriter.Write([PdfWriter.TextPage("§ 1 Zweck", "Dieses Gesetz regelt Tests."), PdfWriter.TextPage("§ 2 Rest", "Mehr Text.")]);
        var truncated = pdf[..(pdf.Length * 2 / 3)];

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(truncated, parser: new PdfParser(textEngine: engine)));

        Assert.StartsWith("the PDF is truncated or damaged: ", ex.Message);
    }

    [Theory]
    [InlineData(PdfTextEngine.PdfPig)]
    [InlineData(PdfTextEngine.Poppler)]
    public async Task A_password_protected_PDF_is_rejected_as_encrypted(PdfTextEngine engine)
    {
        var pdf = PdfWriter.Write([PdfWriter.TextPage("§ 1 Geheim", "Nur mit Passwort.")], passwordProtected: true);

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(pdf, parser: new PdfParser(textEngine: engine)));

        Assert.Equal("the PDF is encrypted (it needs a password to open)", ex.Message);
    }

    [Fact]
    public async Task A_missing_poppler_is_named_with_its_Debian_package()
    {
        var tools = PdfTools.Default with { PdfInfo = new ExternalTool("/nonexistent/bin/pdfinfo", "poppler-utils") };
        var pdf = PdfWriter.Write([PdfWriter.TextPage("§ 1 Zweck", "Text.")]);

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(pdf, parser: new PdfParser(tools, textEngine: PdfTextEngine.Poppler)));

        Assert.Equal("pdfinfo not found: install Debian package poppler-utils", ex.Message);
    }

    [Fact]
    public async Task Cancellation_stops_parsing()
    {
        var pdf = PdfWriter.Write([PdfWriter.TextPage("§ 1 Zweck", "Text.")]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Parser.ParseAsync(Fixtures.File("test.pdf", pdf), Fixtures.German(), cancelled.Token));
    }

    [Fact]
    public void A_text_layer_with_a_broken_font_encoding_is_recognised_as_garbage()
    {
        var garbled = new PdfPage(1, 842)
        {
            Lines = [new PdfLine(0, "1Z6HLWH 1DPHGHV98 )RUPXODU 1U6HLWH9HUVLRQ7\\S 1DFKZHLVGHU(LJHQPLWWHO XQG%HUHFKQXQJ GHU6ROYDELOLWlWVNDSLWDODQIRUGHUXQJ IU/HEHQVYHUVLFKHUXQJVXQWHUQHKPHQ", 0, 10)],
        };
        var german = new PdfPage(1, 842)
        {
            Lines = [new PdfLine(0, "Nachweis der Eigenmittel und Berechnung der Solvabilitätskapitalanforderung für Lebensversicherungsunternehmen, Name des Unternehmens und Formular", 0, 10)],
        };

        Assert.True(PdfParser.LooksGarbled(garbled));
        Assert.False(PdfParser.LooksGarbled(german));
    }

    [Fact]
    public void A_text_layer_of_punctuation_or_of_digits_among_letters_is_garbage_but_a_table_of_figures_is_not()
    {
        // How PdfPig reads the gazette's forms whose fonts have no Unicode map.
        var punctuation = new PdfPage(1, 842) { Lines = Enumerable.Repeat(new PdfLine(0, "! \"#$%&' ( )*'+ /() +, ! - 0 ( \"#$ !", 0, 10), 5).ToList() };
        var digitsForLetters = new PdfPage(1, 842) { Lines = Enumerable.Repeat(new PdfLine(0, "Z $0L90 ,20/08'& ,.KZ0L8/07LJ032L990O :3/070.K3:3J 472:O,7 7 $0L90 '078L43", 0, 10), 5).ToList() };
        var figures = new PdfPage(1, 842) { Lines = Enumerable.Repeat(new PdfLine(0, "1 300 450 | 2 850,00 € | 17,5 % | Zeile 4 | § 5a | Klasse C1E | A4", 0, 10), 5).ToList() };

        Assert.True(PdfParser.LooksGarbled(punctuation));
        Assert.True(PdfParser.LooksGarbled(digitsForLetters));
        Assert.False(PdfParser.LooksGarbled(figures));
    }
}
