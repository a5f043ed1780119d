using System.Text;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Html;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Html;

public sealed class HtmlParserTests
{
    private static readonly HtmlParser Parser = new();

    static HtmlParserTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static Task<LegalDocument> ParseAsync(SourceFile file, ParseContext? context = null) =>
        Parser.ParseAsync(file, context ?? Fixtures.German(), TestContext.Current.CancellationToken);

    private const string Statute = """
        <!DOCTYPE html>
        <html lang="de">
        <head>
          <title>Mietgesetz (MietG)</title>
          <style>h3 { font-weight: bold }</style>
          <script>document.title = "§ 99 Skript";</script>
        </head>
        <body>
          <nav><a href="/">Start</a> › <a href="/gesetze">§ 98 Navigation</a></nav>
          <h1>Mietgesetz</h1>
          <h2>Abschnitt 1 Allgemeines</h2>
          <h3>§ 1 Geltungsbereich</h3>
          <p>(1) Dieses Gesetz gilt für <b>Wohnraum</b>
             in Gebäuden.</p>
          <p>(2) Es gilt nicht für:</p>
          <ul>
            <li>Hotels,</li>
            <li>Ferienwohnungen, <ul><li>auch wenn sie möbliert sind.</li></ul></li>
          </ul>
          <h3>§ 2 Miethöhe</h3>
          <table>
            <tr><th>Fläche</th><th>Miete</th></tr>
            <tr><td>bis 50 m²</td><td><p>500 Euro</p><p>monatlich</p></td></tr>
          </table>
          <pre>Zeile eins
            Zeile zwei</pre>
          <div>Loser <span>Text</span><br>mit Umbruch</div>
          <p>§ 3 Schluss</p>
          <p>Dieses Gesetz tritt morgen in Kraft.</p>
        </body>
        </html>
        """;

    [Fact]
    public async Task Headings_paragraphs_lists_tables_and_pre_give_the_structure_and_chrome_is_skipped()
    {
        var document = await ParseAsync(Fixtures.File("mietg.html", Statute));

        Assert.Equal("html", document.Format);
        Assert.Equal("Mietgesetz", document.Title);
        Assert.Equal("MietG", document.Abbreviation);
        Assert.Equal(["MietG § 1", "MietG § 2", "MietG § 3"], document.Provisions.Select(p => p.Citation));

        var one = document.Provisions[0];
        Assert.Equal(["Abschnitt 1 Allgemeines"], one.Path);
        Assert.Equal("(1) Dieses Gesetz gilt für Wohnraum in Gebäuden.", one.Paragraphs[0].Text);
        Assert.Equal("(2) Es gilt nicht für:\nHotels,\nFerienwohnungen,\nauch wenn sie möbliert sind.", one.Paragraphs[1].Text);

        var two = document.Provisions[1];
        Assert.Equal("Fläche | Miete\nbis 50 m² | 500 Euro monatlich\nZeile eins\n    Zeile zwei\nLoser Text mit Umbruch", two.Text);

        Assert.Equal("Schluss", document.Provisions[2].Heading);
        var all = string.Join(" ", document.Provisions.Select(p => p.Text));
        Assert.DoesNotContain("Navigation", all);
        Assert.DoesNotContain("Skript", all);
        Assert.DoesNotContain("font-weight", all);
    }

    [Fact]
    public async Task Windows_1252_bytes_are_decoded()
    {
        const string html = "<html><head><title>Kündigungsgesetz</title></head><body><h2>§ 5 Kündigung</h2>" +
                            "<p>Die Kündigung ist schriftlich zu erklären – mit Begründung für den Mieter.</p></body></html>";
        var bytes = Encoding.GetEncoding(1252).GetBytes(html);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));

        var document = await ParseAsync(Fixtures.File("alt.html", bytes));

        Assert.Equal("Kündigungsgesetz", document.Title);
        var provision = Assert.Single(document.Provisions);
        Assert.Equal("Kündigung", provision.Heading);
        Assert.Equal("Die Kündigung ist schriftlich zu erklären – mit Begründung für den Mieter.", provision.Text);
    }

    [Fact]
    public async Task A_declared_legacy_charset_wins_over_the_Windows_1252_guess()
    {
        // ISO-8859-15 puts the euro sign at 0xA4, where Windows-1252 has the currency sign ¤.
        const string html = "<html><head><meta charset=\"iso-8859-15\"><title>Gebühren</title></head><body><h2>§ 1 Gebühr</h2><p>Die Gebühr beträgt 5 €.</p></body></html>";
        var bytes = Encoding.GetEncoding("iso-8859-15").GetBytes(html);

        var provision = Assert.Single((await ParseAsync(Fixtures.File("gebuehr.html", bytes))).Provisions);

        Assert.Equal("Die Gebühr beträgt 5 €.", provision.Text);
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_the_reason()
    {
        var empty = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(Fixtures.File("leer.html", [])));
        Assert.Equal("the file is empty", empty.Message);

        var binary = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(Fixtures.File("bild.html", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])));
        Assert.Equal("binary content in a text file (NUL or control bytes)", binary.Message);

        var deep = string.Concat(Enumerable.Repeat("<div>", 300)) + "tief" + string.Concat(Enumerable.Repeat("</div>", 300));
        var nested = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(Fixtures.File("tief.html", $"<html><body>{deep}</body></html>")));
        Assert.Equal("the HTML nests elements deeper than 256 levels (limit MaxXmlDepth)", nested.Message);

        var noText = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(Fixtures.File("leer2.html", "<html><body><script>x()</script></body></html>")));
        Assert.Equal("the HTML has no text", noText.Message);
    }

    [Fact]
    public void Content_decides_before_the_extension()
    {
        Assert.True(Parser.CanParse(Fixtures.File("seite.txt", "\uFEFF  <!DOCTYPE html><html></html>")));
        Assert.True(Parser.CanParse(Fixtures.File("seite.xml", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"></html>")));
        Assert.True(Parser.CanParse(Fixtures.File("kaputt.htm", "kein html")));
        Assert.False(Parser.CanParse(Fixtures.File("act.xml", "<?xml version=\"1.0\"?><ACT/>")));
        Assert.False(Parser.CanParse(Fixtures.File("notes.md", "# Titel")));
    }
}
