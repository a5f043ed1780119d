using System.Text;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Markdown;

public sealed class MarkdownStatuteParserTests
{
    private static readonly MarkdownStatuteParser Parser = new();

    private static Task<LegalDocument> Parse(string relativePath, string text, ParseContext? context = null) =>
        Parse(relativePath, Encoding.UTF8.GetBytes(text), context);

    private static Task<LegalDocument> Parse(string relativePath, byte[] bytes, ParseContext? context = null) =>
        Parser.ParseAsync(new SourceFile("/fixture/" + relativePath, relativePath, bytes), context ?? ParseContext.For("test", "de"), TestContext.Current.CancellationToken);

    private const string GermanAct = """
        ---
        Title: Gesetz über die Miete von Probewohnungen
          und Nebenräumen
        jurabk: ProbeMietG
        slug: probemietg

        ---

        # Gesetz über die Miete von Probewohnungen (ProbeMietG)

        Ausfertigungsdatum
        :   2001-01-01

        ## Eingangsformel

        Der Bundestag hat das folgende Gesetz beschlossen:

        ## Buch 1 - Allgemeiner Teil

        ### Abschnitt 1 - Personen

        #### § 1 Begriff der Wohnung

        (1) Eine Wohnung ist ein Raum zum Wohnen.

        (2) Ein berechtigtes Interesse liegt vor, wenn

        1.  der Mieter seine Pflichten
            verletzt hat,

        2.  der Vermieter die Räume benötigt.

        (3) Abweichende Vereinbarungen sind unwirksam.

        #### (XXXX) §§ 2 bis 4 (weggefallen)

        #### § 5 (weggefallen)

        ### Abschnitt 2 - Sachen[^n1]

        [^n1]:     **Amtlicher Hinweis:**              Dieser Abschnitt dient der
            Umsetzung einer Richtlinie.

        #### § 6 Sachen

        Sachen sind nur **körperliche** Gegenstände.
        """;

    [Fact]
    public async Task German_act_yields_provisions_with_citations_paths_and_paragraphs()
    {
        var doc = await Parse("p/probemietg/index.md", GermanAct);

        Assert.Equal("Gesetz über die Miete von Probewohnungen und Nebenräumen", doc.Title);
        Assert.Equal("ProbeMietG", doc.Abbreviation);
        Assert.Equal(["ProbeMietG Eingangsformel", "ProbeMietG § 1", "ProbeMietG § 2", "ProbeMietG § 5", "ProbeMietG Abschnitt 2 - Sachen", "ProbeMietG § 6"], doc.Provisions.Select(p => p.Citation));
        // A note under a hierarchy heading is kept (nothing lost) and the heading stays in later paths.
        var note = doc.Provisions.Single(p => p.Kind == ProvisionKind.Other);
        Assert.Equal("Amtlicher Hinweis: Dieser Abschnitt dient der Umsetzung einer Richtlinie.", note.Text);

        var s1 = doc.Provisions.Single(p => p.Number == "1");
        Assert.Equal(ProvisionKind.Section, s1.Kind);
        Assert.Equal("Begriff der Wohnung", s1.Heading);
        Assert.Equal("Buch 1 - Allgemeiner Teil › Abschnitt 1 - Personen", s1.PathDisplay);
        Assert.Equal(["1", "2", "3"], s1.Paragraphs.Select(p => p.Label));
        // The enumeration "1." / "2." stays inside Abs. 2, with continuation lines joined.
        Assert.Contains("1. der Mieter seine Pflichten verletzt hat,", s1.Paragraphs[1].Text);
        Assert.Contains("2. der Vermieter die Räume benötigt.", s1.Paragraphs[1].Text);
        Assert.Equal("test/probemietg/s1", s1.Key);

        Assert.True(doc.Provisions.Single(p => p.Number == "2").IsRepealed);
        Assert.True(doc.Provisions.Single(p => p.Number == "5").IsRepealed);
        var s6 = doc.Provisions.Single(p => p.Number == "6");
        Assert.False(s6.IsRepealed);
        Assert.Equal("Buch 1 - Allgemeiner Teil › Abschnitt 2 - Sachen", s6.PathDisplay);
        Assert.Equal("Sachen sind nur körperliche Gegenstände.", s6.Text);
    }

    [Fact]
    public async Task French_article_file_takes_its_hierarchy_from_folders_and_act_from_context()
    {
        var context = new ParseContext("fr-code-civil", "fr", "Code civil", null, new IngestionLimits());
        var doc = await Parse("Livre II/Titre II/Article 544.md", """
            Article 544
            ----
            La propriété est le droit de jouir et disposer des choses de la manière la plus
            absolue, pourvu qu'on n'en fasse pas un usage prohibé par les lois ou par les
            règlements.
            """, context);

        var article = Assert.Single(doc.Provisions);
        Assert.Equal("Code civil, art. 544", article.Citation);
        Assert.Equal(ProvisionKind.Article, article.Kind);
        Assert.Equal("Livre II › Titre II", article.PathDisplay);
        Assert.StartsWith("La propriété est le droit de jouir et disposer des choses de la manière la plus absolue,", article.Text);
    }

    [Fact]
    public async Task Dutch_articles_with_lid_numbering_and_named_titles()
    {
        var context = new ParseContext("nl", "nl", null, "BW", new IngestionLimits());
        var doc = await Parse("bw7.md", """
            <meta http-equiv='Content-Type' content='text/html; charset=utf-8' />

            ##Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten

            ### Titel  4

            ####Huur

            ### Artikel  7:201

            1.  Huur is de overeenkomst waarbij de ene partij zich verbindt aan de andere partij een zaak in gebruik te verstrekken.
            2.   Huur kan ook betrekking hebben op vermogensrechten.

            ### Artikel  7:202

            Eenvoudige tekst zonder leden.
            """, context);

        Assert.Equal(["art. 7:201 BW", "art. 7:202 BW"], doc.Provisions.Select(p => p.Citation));
        var a = doc.Provisions[0];
        Assert.Equal(["1", "2"], a.Paragraphs.Select(p => p.Label));
        Assert.Equal("Titel 4 - Huur", a.PathDisplay);
        Assert.Equal("Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten", doc.Title);
    }

    [Theory]
    [InlineData("##Burgerlijk Wetboek Boek 7, Bijzondere overeenkomsten", "Artikel 201", "art. 7:201 BW")]
    [InlineData("##Wet van 4 juni 1992, houdende algemene regels van bestuursrecht (Algemene wet bestuursrecht)", "Artikel 6:7", "art. 6:7 Algemene wet bestuursrecht")]
    [InlineData("##Wet van 27 oktober 1965, houdende regelen omtrent de ontgrondingen", "Artikel 3", "art. 3 Wet van 27 oktober 1965")]
    [InlineData("##Grondwet voor het Koninkrijk der Nederlanden van 24 augustus 1815", "Artikel 1", "art. 1 Grondwet")]
    public async Task Dutch_acts_are_cited_as_lawyers_cite_them(string title, string article, string citation)
    {
        var doc = await Parse("wet/x/README.md", $"""
            {title}

            ### Hoofdstuk 1

            ### § 1

            ### {article}

            Tekst van het artikel.
            """, new ParseContext("nl-wetten", "nl", null, null, new IngestionLimits()));
        var provision = Assert.Single(doc.Provisions); // "§ 1" is a paragraaf, a level, in Dutch acts
        Assert.Equal(citation, provision.Citation);
        Assert.EndsWith("§ 1", provision.PathDisplay);
    }

    [Fact]
    public async Task An_act_published_with_metadata_only_is_kept_as_one_provision()
    {
        var doc = await Parse("a/vtr/index.md", """
            ---
            Title: Vertrag über die Auslieferung
            jurabk: AuslfVtr X
            ---

            # Vertrag über die Auslieferung (AuslfVtr X)

            Ausfertigungsdatum
            :   1970-11-26

            Fundstelle
            :   BGBl II: 1974, 1258
            """);
        var p = Assert.Single(doc.Provisions);
        Assert.Contains("1970-11-26", p.Text);
        Assert.Contains("BGBl II: 1974, 1258", p.Text);
    }

    [Fact]
    public async Task Windows_1252_text_is_decoded_not_mangled()
    {
        var bytes = Encoding.GetEncoding(1252).GetBytes("# Probe\n\n## § 1 Kündigung\n\nDie Kündigung bedarf der Schriftform; Gebühr 5 €.\n");
        var doc = await Parse("latin.md", bytes);
        Assert.Equal("Kündigung", doc.Provisions[0].Heading);
        Assert.Equal("Die Kündigung bedarf der Schriftform; Gebühr 5 €.", doc.Provisions[0].Text);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00 }, "binary")]
    public async Task Empty_and_binary_files_are_rejected_with_a_reason(byte[] bytes, string reasonWord)
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => Parse("bad.md", bytes));
        Assert.Contains(reasonWord, ex.Message);
    }

    static MarkdownStatuteParserTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
