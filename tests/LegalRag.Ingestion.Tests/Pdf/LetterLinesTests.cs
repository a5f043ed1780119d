using LegalRag.Ingestion.Parsers.Pdf;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pdf;

/// <summary>Lines and blocks from letters, on hand-placed letters: what PdfPig reports, without a PDF.</summary>
public sealed class LetterLinesTests
{
    private const double PageHeight = 842;

    /// <summary>Letters of <paramref name="text"/> set left to right from (x, y), each half the size wide; spaces are letters too, as PDFs often draw them.</summary>
    private static IEnumerable<Glyph> Word(double x, double y, double size, string text, bool bold = false)
    {
        var width = size * 0.5;
        for (var i = 0; i < text.Length; i++)
        {
            var start = x + i * width;
            yield return new Glyph(text[i].ToString(), start, y, start + width, y, y, y + size * 0.7, size, bold);
        }
    }

    /// <summary>Letters set upwards (rotated 90°), as a note along the margin.</summary>
    private static IEnumerable<Glyph> Upwards(double x, double y, double size, string text) =>
        text.Select((c, i) => new Glyph(c.ToString(), x, y + i * size * 0.5, x, y + (i + 1) * size * 0.5, y + i * size * 0.5, y + (i + 1) * size * 0.5, size, false));

    private static List<string> Texts(IEnumerable<Glyph> glyphs) => LetterLines.Build(glyphs, PageHeight).Select(l => l.Text).ToList();

    [Fact]
    public void Letters_in_any_order_become_lines_top_down_with_word_spaces_from_space_letters_and_gaps()
    {
        var glyphs = Word(56, 700, 10, "zweite Zeile")
            .Concat(Word(56, 712, 10, "erste"))
            // No space letter, but a gap of a space's width: still two words.
            .Concat(Word(56 + 6 * 5 + 3, 712, 10, "Zeile"))
            .Reverse();

        Assert.Equal(["erste Zeile", "zweite Zeile"], Texts(glyphs));
    }

    [Fact]
    public void A_raised_footnote_mark_stays_on_its_line_and_the_line_keeps_the_body_size()
    {
        var glyphs = Word(56, 700, 10, "Vorschrift").Concat(Word(106, 704, 6, "1)"));

        var line = Assert.Single(LetterLines.Build(glyphs, PageHeight));

        Assert.Equal("Vorschrift1)", line.Text);
        Assert.Equal(10, line.FontSize);
    }

    [Fact]
    public void List_numbers_in_their_own_column_are_read_before_their_item_text()
    {
        var glyphs = Word(50, 700, 10, "1.").Concat(Word(80, 700, 10, "der erste Punkt,"))
            .Concat(Word(50, 680, 10, "2.")).Concat(Word(80, 680, 10, "der zweite Punkt, der"))
            .Concat(Word(80, 668, 10, "weiter geht."));

        var lines = LetterLines.Build(glyphs, PageHeight);

        Assert.Equal(["1.", "der erste Punkt,", "2.", "der zweite Punkt, der", "weiter geht."], lines.Select(l => l.Text));
        // The number and its text are separate blocks; the item's wrapped line is in the block of its text.
        Assert.Equal(4, lines.Select(l => l.Block).Distinct().Count());
        Assert.Equal(lines[3].Block, lines[4].Block);
    }

    [Fact]
    public void Two_columns_are_read_column_by_column_under_a_full_width_title()
    {
        var glyphs = Word(56, 780, 14, "Titel über beide Spalten", bold: true)
            .Concat(Word(56, 740, 10, "links eins")).Concat(Word(320, 740, 10, "rechts eins"))
            .Concat(Word(56, 728, 10, "links zwei")).Concat(Word(320, 728, 10, "rechts zwei"))
            .Concat(Word(56, 716, 10, "links drei"));

        var lines = LetterLines.Build(glyphs, PageHeight);

        Assert.Equal(["Titel über beide Spalten", "links eins", "links zwei", "links drei", "rechts eins", "rechts zwei"], lines.Select(l => l.Text));
        Assert.True(lines[0].Bold);
        Assert.Equal(14, lines[0].FontSize);
        Assert.False(lines[1].Bold);
    }

    [Fact]
    public void A_change_of_weight_or_size_starts_a_new_block_and_a_wide_gap_between_lines_too()
    {
        var glyphs = Word(56, 760, 10, "§ 1 Zweck", bold: true)
            .Concat(Word(56, 748, 10, "Dieses Gesetz regelt"))
            .Concat(Word(56, 736, 10, "die Tests."))
            .Concat(Word(56, 700, 10, "Neuer Absatz."));

        var blocks = LetterLines.Build(glyphs, PageHeight).GroupBy(l => l.Block).Select(g => g.Select(l => l.Text).ToList()).ToList();

        Assert.Equal([["§ 1 Zweck"], ["Dieses Gesetz regelt", "die Tests."], ["Neuer Absatz."]], blocks);
    }

    [Fact]
    public void Letters_drawn_twice_for_a_bold_look_are_read_once()
    {
        var glyphs = Word(56, 700, 10, "Fett").Concat(Word(56.3, 700, 10, "Fett"));

        Assert.Equal(["Fett"], Texts(glyphs));
    }

    [Fact]
    public void Boxes_are_measured_from_the_top_of_the_page_and_rotated_notes_come_last_outside_the_margins()
    {
        var glyphs = Word(56, 820, 8, "Kopfzeile").Concat(Word(56, 400, 10, "Text")).Concat(Upwards(20, 300, 8, "Randnotiz"));

        var lines = LetterLines.Build(glyphs, PageHeight);

        Assert.Equal(["Kopfzeile", "Text", "Randnotiz"], lines.Select(l => l.Text));
        Assert.InRange(lines[0].Top, 842 - 820 - 8, 842 - 820);
        Assert.InRange(lines[2].Top, PageHeight * 0.1, PageHeight * 0.9);
    }

    [Theory]
    [InlineData("5\u00A0000\u00A0Euro", "5 000 Euro")]
    [InlineData("§\u202F1 Zweck", "§ 1 Zweck")]
    [InlineData("Rechts\u00ADfähigkeit", "Rechtsfähigkeit")]
    [InlineData("Rechts\u00AD", "Rechts-")]
    [InlineData("\uFB01nden und \uFB02ießen", "finden und fließen")]
    [InlineData("ohne\u200B Breite", "ohne Breite")]
    public void Text_is_normalised(string raw, string expected) => Assert.Equal(expected, LetterLines.Normalize(raw));
}
