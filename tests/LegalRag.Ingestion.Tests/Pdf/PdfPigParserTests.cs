using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Pdf;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pdf;

/// <summary>What the PdfPig text layer adds over pdftotext: fonts (bold § headings), columns, normalised spaces.</summary>
public sealed class PdfPigParserTests
{
    private static Task<LegalDocument> ParseAsync(byte[] pdf, PdfTextEngine engine = PdfTextEngine.PdfPig) =>
        new PdfParser(textEngine: engine).ParseAsync(Fixtures.File("test.pdf", pdf), Fixtures.German(), TestContext.Current.CancellationToken);

    private static Provision Single(LegalDocument document, string citation) =>
        Assert.Single(document.Provisions, p => p.Citation == citation);

    [Fact]
    public async Task A_page_of_megabytes_of_drawing_instructions_is_not_interpreted_in_process_and_the_other_pages_are_read()
    {
        // 120,000 text operators (about 6 MB): PdfPig would build every letter before any cap could look at them.
        var flood = Enumerable.Range(0, 120_000).Select(i => new PdfText(56, 100 + i % 600, 10, "Mietvertrag Mietvertrag Mietvertrag")).ToList();
        var pdf = PdfWriter.Write([
            new PdfPageSpec([new PdfText(56, 770, 10, "§ 1 Zweck", Bold: true), new PdfText(56, 752, 10, "Dieses Gesetz regelt Tests.")]),
            new PdfPageSpec(flood),
        ]);

        var document = await ParseAsync(pdf);

        Assert.Equal("Dieses Gesetz regelt Tests.", Single(document, "test § 1").Text);
        Assert.Contains(document.Warnings, w => w.Contains("page(s) 2 of the PDF hold more than 4 MB of drawing instructions", StringComparison.Ordinal));
    }

    [Fact]
    public void PdfPig_is_the_default_engine() => Assert.Equal(PdfTextEngine.PdfPig, new PdfParser().TextEngine);

    [Fact]
    public async Task A_bold_heading_in_the_body_size_wraps_onto_its_bold_second_line()
    {
        var pdf = PdfWriter.Write([new PdfPageSpec([
            new PdfText(56, 770, 10, "§ 505c Weitere Pflichten bei grundpfandrechtlich oder durch Reallast besicherten Immobiliar-", Bold: true),
            new PdfText(56, 758, 10, "Verbraucherdarlehensverträgen", Bold: true),
            new PdfText(56, 740, 10, "Der Darlehensgeber hat die Pflichten zu erfüllen, die ihm das Gesetz über die"),
            new PdfText(56, 728, 10, "Verbraucherdarlehen auferlegt. Er trägt die Kosten der Erfüllung dieser Pflichten."),
            new PdfText(56, 706, 10, "§ 506 Zahlungsaufschub", Bold: true),
            new PdfText(56, 688, 10, "Ein Zahlungsaufschub ist entgeltlich, wenn der Darlehensgeber dafür ein Entgelt verlangt."),
        ])]);

        var document = await ParseAsync(pdf);

        var provision = Single(document, "test § 505c");
        Assert.Equal("Weitere Pflichten bei grundpfandrechtlich oder durch Reallast besicherten Immobiliar-Verbraucherdarlehensverträgen", provision.Heading);
        Assert.StartsWith("Der Darlehensgeber hat die Pflichten zu erfüllen, die ihm das Gesetz über die Verbraucherdarlehen auferlegt.", Assert.Single(provision.Paragraphs).Text);
        Assert.Equal("Zahlungsaufschub", Single(document, "test § 506").Heading);
    }

    [Fact]
    public async Task A_bold_heading_whose_first_line_ends_with_a_semicolon_is_judged_with_its_second_line()
    {
        var pdf = PdfWriter.Write([new PdfPageSpec([
            new PdfText(56, 770, 10, "§ 716 Ersatz von Aufwendungen und Verlusten; Vorschusspflicht; Herausgabepflicht;", Bold: true),
            new PdfText(56, 758, 10, "Verzinsungspflicht", Bold: true),
            new PdfText(56, 740, 10, "(1) Macht ein Gesellschafter zum Zwecke der Führung der Geschäfte der Gesellschaft Aufwendungen,"),
            new PdfText(56, 728, 10, "die er den Umständen nach für erforderlich halten darf, kann er von der Gesellschaft Ersatz verlangen."),
        ])]);

        var provision = Single(await ParseAsync(pdf), "test § 716");

        Assert.Equal("Ersatz von Aufwendungen und Verlusten; Vorschusspflicht; Herausgabepflicht; Verzinsungspflicht", provision.Heading);
    }

    [Fact]
    public async Task Where_section_headings_are_bold_a_plain_line_that_reads_like_one_stays_text()
    {
        // After a finished sentence, "§ 3 Vermieter und Mieter …" reads like a heading; only its plain font tells it is not one.
        var pdf = PdfWriter.Write([new PdfPageSpec([
            new PdfText(56, 770, 10, "§ 1 Zweck", Bold: true),
            new PdfText(56, 752, 10, "Dieses Gesetz regelt Tests."),
            new PdfText(56, 730, 10, "§ 2 Begriffe", Bold: true),
            new PdfText(56, 712, 10, "Die Begriffe folgen dem Gesetz."),
            new PdfText(56, 700, 10, "§ 3 Vermieter und Mieter gelten entsprechend"),
            new PdfText(56, 688, 10, "für Untermieter."),
            new PdfText(56, 666, 10, "§ 4 Inkrafttreten", Bold: true),
            new PdfText(56, 648, 10, "Dieses Gesetz tritt morgen in Kraft."),
        ])]);

        var document = await ParseAsync(pdf);

        Assert.Equal(["1", "2", "4"], document.Provisions.Select(p => p.Number));
        Assert.Contains("§ 3 Vermieter und Mieter gelten entsprechend für Untermieter.", Single(document, "test § 2").Text);
    }

    [Fact]
    public async Task A_larger_structural_heading_takes_its_title_from_the_next_line_of_its_block()
    {
        var pdf = PdfWriter.Write([new PdfPageSpec([
            new PdfText(56, 780, 12, "Unterkapitel 2", Bold: true),
            new PdfText(56, 766, 12, "Mietverhältnisse auf unbestimmte Zeit", Bold: true),
            new PdfText(56, 740, 10, "§ 573 Ordentliche Kündigung des Vermieters", Bold: true),
            new PdfText(56, 722, 10, "(1) Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse hat."),
        ])]);

        var provision = Single(await ParseAsync(pdf), "test § 573");

        Assert.Equal(["Unterkapitel 2 Mietverhältnisse auf unbestimmte Zeit"], provision.Path);
        Assert.Equal("Ordentliche Kündigung des Vermieters", provision.Heading);
    }

    [Fact]
    public async Task No_break_spaces_become_spaces()
    {
        var pdf = PdfWriter.Write([PdfWriter.TextPage("§\u00A01 Bußgeld", "Die Geldbuße beträgt bis zu 5\u00A0000\u00A0Euro.")]);

        var provision = Single(await ParseAsync(pdf), "test § 1");

        Assert.Equal("Bußgeld", provision.Heading);
        Assert.Equal("Die Geldbuße beträgt bis zu 5 000 Euro.", Assert.Single(provision.Paragraphs).Text);
    }

    [Fact]
    public async Task Two_columns_are_read_one_after_the_other()
    {
        var pdf = PdfWriter.Write([new PdfPageSpec([
            new PdfText(56, 770, 10, "§ 1 Links", Bold: true), new PdfText(320, 770, 10, "§ 2 Rechts", Bold: true),
            new PdfText(56, 752, 10, "Die erste Zeile der linken Spalte geht"), new PdfText(320, 752, 10, "Die erste Zeile der rechten Spalte geht"),
            new PdfText(56, 740, 10, "in der zweiten Zeile links weiter."), new PdfText(320, 740, 10, "in der zweiten Zeile rechts weiter."),
        ])]);

        var document = await ParseAsync(pdf);

        Assert.Equal("Die erste Zeile der linken Spalte geht in der zweiten Zeile links weiter.", Single(document, "test § 1").Text);
        Assert.Equal("Die erste Zeile der rechten Spalte geht in der zweiten Zeile rechts weiter.", Single(document, "test § 2").Text);
    }

    [Fact]
    public async Task Running_lines_repeating_at_the_same_place_go_and_the_bottom_page_number_too()
    {
        var pages = Enumerable.Range(1, 3).Select(n => new PdfPageSpec([
            new PdfText(300, 815, 8, "Bundesgesetzblatt Jahrgang 2024 Teil I"),
            new PdfText(56, 740, 10, $"§ {n} Vorschrift {n}", Bold: true),
            new PdfText(56, 722, 10, $"Inhalt der Vorschrift {n}."),
            new PdfText(290, 30, 8, $"{n + 40}"),
        ])).ToList();

        var document = await ParseAsync(PdfWriter.Write(pages));

        Assert.Equal(3, document.Provisions.Count);
        Assert.All(document.Provisions, p => Assert.Equal($"Inhalt der Vorschrift {p.Number}.", Assert.Single(p.Paragraphs).Text));
    }
}
