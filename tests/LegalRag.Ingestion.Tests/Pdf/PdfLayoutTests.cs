using LegalRag.Ingestion.Parsers.Pdf;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pdf;

/// <summary>The layout steps on hand-made lines: what pdftotext or tesseract would report, without running them.</summary>
public sealed class PdfLayoutTests
{
    private static PdfPage Page(int number, params (int Block, string Text)[] lines) =>
        new(number, 842) { Lines = lines.Select((l, i) => new PdfLine(l.Block, l.Text, 100 + i * 20, 112 + i * 20)).ToList() };

    [Fact]
    public void Word_rows_of_pdftotext_TSV_become_lines_grouped_by_block()
    {
        const string tsv = """
            level	page_num	par_num	block_num	line_num	word_num	left	top	width	height	conf	text
            1	1	0	0	0	0	0.0	0.0	595.0	842.0	-1	###PAGE###
            3	1	0	0	0	0	48.5	406.6	155.2	15.6	-1	###FLOW###
            4	1	0	0	0	0	48.5	406.6	155.2	15.6	-1	###LINE###
            5	1	0	0	0	0	48.52	406.63	4.49	15.62	100	§
            5	1	0	0	0	1	56.13	406.63	6.25	15.62	100	1
            5	1	0	0	0	2	65.50	406.63	35.27	15.62	100	Beginn
            5	1	0	1	0	0	48.52	429.51	14.95	15.81	100	Die
            5	1	0	1	0	1	66.32	429.51	69.95	15.81	100	Rechtsfähigkeit
            5	1	0	1	1	0	48.52	441.51	14.95	15.81	100	beginnt.
            1	2	0	0	0	0	0.0	0.0	595.0	842.0	-1	###PAGE###
            """;

        var pages = LayoutTsv.ParsePdfToText(tsv.Replace("\r", ""));

        Assert.Equal(2, pages.Count);
        Assert.Equal(842, pages[0].Height);
        Assert.Equal(["§ 1 Beginn", "Die Rechtsfähigkeit", "beginnt."], pages[0].Lines.Select(l => l.Text));
        Assert.Equal([0, 1, 1], pages[0].Lines.Select(l => l.Block));
        Assert.Equal(15.62, pages[0].Lines[0].Height, 2);
        Assert.Empty(pages[1].Lines);
    }

    [Fact]
    public void Tesseract_words_below_the_confidence_floor_are_dropped()
    {
        const string tsv = """
            level	page_num	block_num	par_num	line_num	word_num	left	top	width	height	conf	text
            1	1	0	0	0	0	0	0	1240	1754	-1	
            5	1	1	1	1	1	100	100	80	30	96.5	UNFALLANZEIGE
            5	1	1	1	1	2	200	100	10	30	12.0	|
            5	1	2	1	1	1	100	200	80	30	91.0	Name
            """;

        var page = LayoutTsv.ParseTesseract(tsv.Replace("\r", ""), pageNumber: 7, minConfidence: 30);

        Assert.Equal(7, page.Number);
        Assert.True(page.FromOcr);
        Assert.Equal(["UNFALLANZEIGE", "Name"], page.Lines.Select(l => l.Text));
        Assert.NotEqual(page.Lines[0].Block, page.Lines[1].Block);
    }

    [Fact]
    public void Running_lines_repeating_in_the_margins_go_and_repeated_body_text_stays()
    {
        var pages = Enumerable.Range(1, 4).Select(n => new PdfPage(n, 842)
        {
            Lines =
            [
                new PdfLine(0, "Amtsblatt der Testrepublik", 20, 30),
                new PdfLine(1, "(weggefallen)", 400, 412), // repeats, but in the body
                new PdfLine(2, $"Text der Seite {n}.", 420, 432),
                new PdfLine(3, $"- {n} -", 810, 820),
            ],
        }).ToList();

        RunningLines.Remove(pages);

        Assert.All(pages, p => Assert.Equal(["(weggefallen)", $"Text der Seite {p.Number}."], p.Lines.Select(l => l.Text)));
    }

    [Fact]
    public void On_a_single_page_only_page_numbers_are_removed()
    {
        var pages = new List<PdfPage>
        {
            new(1, 842) { Lines = [new PdfLine(0, "Anlage 3 zum Testgesetz", 20, 30), new PdfLine(1, "Seite 1 von 1", 810, 820)] },
        };

        RunningLines.Remove(pages);

        Assert.Equal(["Anlage 3 zum Testgesetz"], pages[0].Lines.Select(l => l.Text));
    }

    [Fact]
    public void Wrapped_lines_join_with_hyphenation_resolved_and_elided_compounds_kept()
    {
        var events = PdfTextAssembler.Assemble([
            Page(1, (0, "§ 7 Wohnsitz"), (1, "(1) Wer sich an einem Orte ständig nieder-"), (1, "lässt, begründet dort seinen Haus-"), (1, "und Grundbesitz nicht."),
                (2, "(2)"), (3, "Der Wohnsitz kann an mehreren Orten bestehen."), (4, "1."), (5, "erstens")),
        ]);

        Assert.Equal(
            [
                "H:§ 7 Wohnsitz",
                "T:(1) Wer sich an einem Orte ständig niederlässt, begründet dort seinen Haus- und Grundbesitz nicht.",
                "T:(2) Der Wohnsitz kann an mehreren Orten bestehen.",
                "T:1. erstens",
            ],
            events.Select(e => (e.IsHeading ? "H:" : "T:") + e.Text));
    }

    [Fact]
    public void References_at_the_start_of_a_line_are_not_headings_but_section_ranges_are()
    {
        var events = PdfTextAssembler.Assemble([
            Page(1,
                (0, "§ 573 Ordentliche Kündigung"),
                (1, "Die Gründe sind nach"),
                (1, "§ 573 Abs. 3 anzugeben."),
                (2, "Im Übrigen gilt:"),
                (2, "§ 566 entsprechend."),
                (3, "§§ 574 bis 574c (weggefallen)"),
                (4, "Artikel 247 § 1 Absatz 2 des Einführungsgesetzes gilt.")),
        ]);

        Assert.Equal(["§ 573 Ordentliche Kündigung", "§§ 574 bis 574c (weggefallen)"], events.Where(e => e.IsHeading).Select(e => e.Text));
    }

    [Fact]
    public void Hierarchy_levels_follow_the_document_and_a_level_first_seen_above_1_is_placed_by_rank()
    {
        // An excerpt that starts inside "Titel 2" and later reaches "Abschnitt 2" and "Buch 2".
        var events = PdfTextAssembler.Assemble([
            Page(1,
                (0, "Titel 2"), (1, "Juristische Personen"),
                (2, "Untertitel 1"), (3, "Vereine"),
                (4, "§ 21 Nicht wirtschaftlicher Verein"), (5, "Text."),
                (6, "Abschnitt 2"), (7, "Sachen und Tiere"),
                (8, "§ 90 Begriff der Sache"), (9, "Text."),
                (10, "Buch 2"), (11, "Recht der Schuldverhältnisse"),
                (12, "Abschnitt 1"), (13, "Inhalt der Schuldverhältnisse"),
                (14, "§ 241 Pflichten aus dem Schuldverhältnis"), (15, "Text.")),
        ]);

        Assert.Equal(
            [
                (1, "Titel 2 Juristische Personen"), (2, "Untertitel 1 Vereine"), (PdfTextAssembler.ProvisionLevel, "§ 21 Nicht wirtschaftlicher Verein"),
                (1, "Abschnitt 2 Sachen und Tiere"), (PdfTextAssembler.ProvisionLevel, "§ 90 Begriff der Sache"),
                (1, "Buch 2 Recht der Schuldverhältnisse"), (2, "Abschnitt 1 Inhalt der Schuldverhältnisse"),
                (PdfTextAssembler.ProvisionLevel, "§ 241 Pflichten aus dem Schuldverhältnis"),
            ],
            events.Where(e => e.IsHeading).Select(e => (e.Level, e.Text)));
    }
}
