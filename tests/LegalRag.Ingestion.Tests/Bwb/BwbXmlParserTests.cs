using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Bwb;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Bwb;

/// <summary>Spec-style tests: a small BWB file next to the structure it must give.</summary>
public sealed class BwbXmlParserTests
{
    private static readonly XmlParser Parser = new();
    private static readonly ParseContext Dutch = new("nl-test", "nl", null, null, new IngestionLimits());

    private static Task<LegalDocument> ParseAsync(string xml, string name = "BWBR0099999_2024-01-01_0.xml") =>
        Parser.ParseAsync(Fixtures.File(name, xml), Dutch, TestContext.Current.CancellationToken);

    /// <summary>A toestand (schema 2016) of a small act: a chapter with a paragraph, an article with two leden,
    /// a list whose point c was repealed, a table, the article's source data, and a repealed article.</summary>
    private const string Toestand = """
        <?xml version="1.0" encoding="UTF-8"?>
        <toestand bwb-id="BWBR0099999" inwerkingtreding="2024-01-01">
          <bwb-inputbestand/><bwb-wijzigingen/><redactionele-correcties/>
          <wetgeving soort="wet" xml:lang="nl">
            <intitule>Wet van 1 maart 2020, houdende regels over proeven (Proefwet)</intitule>
            <citeertitel status="officieel">Proefwet</citeertitel>
            <wet-besluit>
              <wettekst>
                <hoofdstuk><kop><label>Hoofdstuk</label><nr>1</nr><titel>Algemeen</titel></kop>
                  <paragraaf><kop><label>§</label><nr>1.1</nr><titel>Begrippen</titel></kop>
                    <artikel inwerking="2023-07-01" status="goed" label="Artikel 1">
                      <kop><label>Artikel</label><nr status="officieel">1</nr><titel>Begrippen</titel></kop>
                      <lid>
                        <lidnr>1</lidnr>
                        <al>In deze wet wordt verstaan onder:</al>
                        <lijst>
                          <li><li.nr>a.</li.nr><al>proef: een <nadruk type="cur">beproeving</nadruk>;</al></li>
                          <li><li.nr>b.</li.nr><al>proever: wie proeft;</al></li>
                          <li><li.nr>c.</li.nr><al><redactie type="vervanging">vervallen;</redactie></al></li>
                        </lijst>
                      </lid>
                      <lid>
                        <lidnr>2</lidnr>
                        <al>De tarieven zijn:</al>
                        <table><tgroup cols="2">
                          <thead><row><entry>Proef</entry><entry>Tarief | euro</entry></row></thead>
                          <tbody>
                            <row><entry>klein</entry><entry>10</entry></row>
                            <row><entry>groot
                              en zwaar</entry><entry>25</entry></row>
                          </tbody>
                        </tgroup></table>
                      </lid>
                      <meta-data>
                        <brondata>
                          <oorspronkelijk><publicatie effect="wijziging" soort="Stb"><publicatiejaar>2023</publicatiejaar><publicatienr>12</publicatienr></publicatie></oorspronkelijk>
                          <inwerkingtreding><inwerkingtreding.datum isodatum="2023-07-01">01-07-2023</inwerkingtreding.datum></inwerkingtreding>
                        </brondata>
                        <jcis><jci versie="1.3" verwijzing="jci1.3:c:BWBR0099999&amp;hoofdstuk=1&amp;paragraaf=1.1&amp;artikel=1&amp;z=2024-01-01&amp;g=2024-01-01"/></jcis>
                      </meta-data>
                    </artikel>
                    <artikel inwerking="2022-01-01" status="vervallen" label="Artikel 2">
                      <kop><label>Artikel</label><nr>2</nr></kop>
                      <al><redactie type="vervanging">Vervallen</redactie></al>
                    </artikel>
                  </paragraaf>
                </hoofdstuk>
              </wettekst>
            </wet-besluit>
          </wetgeving>
        </toestand>
        """;

    [Fact]
    public async Task A_toestand_gives_the_act_its_articles_leden_points_table_dates_and_notes()
    {
        var document = await ParseAsync(Toestand);

        Assert.Equal("bwb-xml", document.Format);
        Assert.Equal("BWBR0099999", document.Identifier);
        Assert.Equal("Wet van 1 maart 2020, houdende regels over proeven (Proefwet)", document.Title);
        Assert.Equal("Proefwet", document.Abbreviation);
        Assert.Equal(new DateOnly(2024, 1, 1), document.ValidFrom);
        Assert.Null(document.ValidTo);

        var article = document.Provisions[0];
        Assert.Equal(("nl-test/proefwet/a1", ProvisionKind.Article, "1", "Begrippen"), (article.Key, article.Kind, article.Number, article.Heading));
        Assert.Equal("art. 1 Proefwet", article.Citation);
        Assert.Equal(["Hoofdstuk 1 - Algemeen", "§ 1.1 - Begrippen"], article.Path);
        Assert.Equal("jci1.3:c:BWBR0099999&hoofdstuk=1&paragraaf=1.1&artikel=1&z=2024-01-01&g=2024-01-01", article.Identifier);
        Assert.Equal((new DateOnly(2023, 7, 1), (DateOnly?)null), (article.ValidFrom, article.ValidTo));
        Assert.Equal(["1", "2"], article.Paragraphs.Select(p => p.Label));
        Assert.Equal("""
            1. In deze wet wordt verstaan onder:
            a. proef: een beproeving;
            b. proever: wie proeft;
            """.ReplaceLineEndings("\n"), article.Paragraphs[0].Text);
        Assert.Equal("""
            2. De tarieven zijn:
            | Proef | Tarief \| euro |
            | --- | --- |
            | klein | 10 |
            | groot en zwaar | 25 |
            """.ReplaceLineEndings("\n"), article.Paragraphs[1].Text);
        Assert.Equal(["Stb. 2023, 12 (wijziging); in werking 2023-07-01", "lid 1 onder c: vervallen;"], article.Notes);

        var repealed = document.Provisions[1];
        Assert.Equal("art. 2 Proefwet", repealed.Citation);
        Assert.True(repealed.IsRepealed);
        Assert.Empty(repealed.Paragraphs);
        Assert.Equal(["Vervallen"], repealed.Notes);
        // Repealed as of 2022-01-01: its text was last in force the day before.
        Assert.Equal(((DateOnly?)null, new DateOnly(2021, 12, 31)), (repealed.ValidFrom, repealed.ValidTo));
        Assert.Equal("jci1.3:c:BWBR0099999&artikel=2", repealed.Identifier);
        Assert.Equal(2, document.Provisions.Count);
    }

    [Fact]
    public async Task A_book_of_the_Burgerlijk_Wetboek_numbers_its_articles_as_lawyers_cite_them()
    {
        const string xml = """
            <toestand bwb-id="BWBR0005290" inwerkingtreding="2024-01-01"><wetgeving soort="wet">
              <intitule>Burgerlijk Wetboek Boek 7</intitule>
              <citeertitel>Burgerlijk Wetboek Boek 7</citeertitel>
              <wet-besluit><wettekst>
                <titeldeel><kop><label>Titel</label><nr>4</nr><titel>Huur</titel></kop>
                  <artikel><kop><label>Artikel</label><nr>201</nr></kop>
                    <lid><lidnr>1</lidnr><al>Huur is de overeenkomst waarbij de ene partij zich verbindt …</al></lid>
                  </artikel>
                </titeldeel>
              </wettekst></wet-besluit>
            </wetgeving></toestand>
            """;

        var document = await ParseAsync(xml, "BWBR0005290_2024-01-01_0.xml");

        var article = Assert.Single(document.Provisions);
        Assert.Equal(("BW", "7:201", "art. 7:201 BW"), (document.Abbreviation, article.Number, article.Citation));
        Assert.Equal(["Titel 4 - Huur"], article.Path);
        Assert.Equal("jci1.3:c:BWBR0005290&artikel=201", article.Identifier);
        Assert.Contains("Burgerlijk Wetboek Boek 7", document.Aliases);
    }

    [Fact]
    public async Task A_2012_wetgeving_file_with_its_DTD_reference_is_read_without_fetching_the_DTD()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE wetgeving SYSTEM "http://wetten.overheid.nl/dtd/bwb-plus-meta-1_61w.dtd">
            <wetgeving bwb-id="BWBR0001840" soort="wet" xml:lang="nl">
              <intitule>Grondwet voor het Koninkrijk der Nederlanden van 24 augustus
                1815 </intitule>
              <wet-besluit><wettekst>
                <hoofdstuk><kop><label>Hoofdstuk</label><nr>1</nr><titel>Grondrechten </titel></kop>
                  <artikel status="goed"><kop><label>Artikel</label><nr status="officieel">1</nr></kop>
                    <al>Allen die zich in Nederland bevinden, worden in gelijke gevallen
                      gelijk behandeld. </al>
                  </artikel>
                </hoofdstuk>
              </wettekst></wet-besluit>
            </wetgeving>
            """;

        var document = await ParseAsync(xml, "BWBR0001840.xml");

        Assert.Equal(("BWBR0001840", "Grondwet"), (document.Identifier, document.ActName));
        Assert.Null(document.ValidFrom);
        var article = Assert.Single(document.Provisions);
        Assert.Equal(("art. 1 Grondwet", "jci1.3:c:BWBR0001840&artikel=1"), (article.Citation, article.Identifier));
        Assert.Equal([new ProvisionParagraph(null, "Allen die zich in Nederland bevinden, worden in gelijke gevallen gelijk behandeld.")], article.Paragraphs);
        Assert.Equal(((DateOnly?)null, (DateOnly?)null), (article.ValidFrom, article.ValidTo));
    }

    [Theory]
    [InlineData("""<!DOCTYPE wetgeving SYSTEM "http://wetten.overheid.nl/dtd/x.dtd" [<!ENTITY a "b">]><wetgeving bwb-id="BWBR1"><intitule>&a;</intitule></wetgeving>""")]
    [InlineData("""<!DOCTYPE wetgeving SYSTEM "http://example.invalid/wetten.overheid.nl/dtd/x.dtd"><wetgeving bwb-id="BWBR1"/>""")]
    [InlineData("""<!DOCTYPE wetgeving SYSTEM "http://wetten.overheid.nl/dtd/x.dtd"><act><p>Text</p></act>""")]
    public async Task Any_other_DOCTYPE_is_still_refused(string xml)
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(xml));
        Assert.Equal(XmlParser.DoctypeRejection, ex.Message);
    }

    [Fact]
    public async Task The_manifest_beside_a_version_gives_its_end_date_and_is_itself_refused_with_the_reason()
    {
        var folder = Directory.CreateTempSubdirectory("bwb-manifest-");
        try
        {
            const string manifest = """
                <work label="BWBR0099999">
                  <expression label="2024-01-01_0">
                    <metadata><datum_inwerkingtreding>2024-01-01</datum_inwerkingtreding><einddatum>2024-06-30</einddatum></metadata>
                    <manifestation label="xml"><metadata><hashcode> ab12 </hashcode></metadata><item label="BWBR0099999_2024-01-01_0.xml" _deleted="false"/></manifestation>
                  </expression>
                  <expression label="2024-07-01_0">
                    <metadata><datum_inwerkingtreding>2024-07-01</datum_inwerkingtreding><einddatum>9999-12-31</einddatum></metadata>
                  </expression>
                </work>
                """;
            var manifestPath = Path.Combine(folder.FullName, "BWBR0099999_manifest.xml");
            await File.WriteAllTextAsync(manifestPath, manifest, TestContext.Current.CancellationToken);
            var versionPath = Path.Combine(folder.FullName, "BWBR0099999_2024-01-01_0.xml");
            await File.WriteAllTextAsync(versionPath, Toestand, TestContext.Current.CancellationToken);

            var version = await Parser.ParseAsync(new SourceFile(versionPath, "BWBR0099999_2024-01-01_0.xml", await File.ReadAllBytesAsync(versionPath, TestContext.Current.CancellationToken)),
                Dutch, TestContext.Current.CancellationToken);
            Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 30)), (version.ValidFrom, version.ValidTo));

            var parsed = BwbManifest.Parse(System.Xml.Linq.XElement.Parse(manifest));
            Assert.Equal("BWBR0099999", parsed.BwbId);
            Assert.Equal([new DateOnly(2024, 6, 30), null], parsed.Versions.Select(v => v.ValidTo));
            Assert.Equal("ab12", parsed.Versions[0].Sha512);

            var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(manifest, "BWBR0099999_manifest.xml"));
            Assert.StartsWith("this is a BWB manifest", ex.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
