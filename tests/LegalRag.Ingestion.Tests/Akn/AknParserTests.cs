using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Akn;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Akn;

/// <summary>
/// Akoma Ntoso in each dialect LegalRag reads: a small input shaped like the publisher's files, next to the
/// structure expected from it. The real samples are read by <see cref="AknSampleTests"/>.
/// </summary>
public sealed class AknParserTests
{
    private static readonly XmlParser Parser = new();

    private static Task<LegalDocument> ParseAsync(string xml, string language = "en") =>
        Parser.ParseAsync(Fixtures.File("act.xml", xml), new ParseContext("akn-test", language, null, null, new IngestionLimits()),
            TestContext.Current.CancellationToken);

    /// <summary>Normattiva (Italy): OASIS namespace, chapters, "Art. N." numbers, list/intro/point, amendment notes in the body.</summary>
    private const string Normattiva = """
        <?xml version="1.0" encoding="UTF-8"?>
        <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
          <act name="monovigente">
            <meta>
              <identification source="">
                <FRBRWork>
                  <FRBRthis value="/akn/it/act/legge/stato/1941-04-22/633/!main"/>
                  <FRBRuri value="/akn/it/act/legge/stato/1941-04-22/633"/>
                  <FRBRalias name="eli" value="eli/id/1941/07/16/041U0633/CONSOLIDATED/20241115"/>
                  <FRBRdate date="1941-04-22" name=""/>
                </FRBRWork>
                <FRBRExpression>
                  <FRBRuri value="/akn/it/act/legge/stato/1941-04-22/633/ita@2024-11-15"/>
                  <FRBRdate date="2024-11-15" name=""/>
                  <FRBRlanguage language="ita"/>
                </FRBRExpression>
              </identification>
            </meta>
            <preface>
              <p><docType>LEGGE</docType> <docDate>22 aprile 1941</docDate> , n. <docNumber>633</docNumber></p>
              <p><docTitle>Protezione del diritto d'autore.</docTitle></p>
              <p><authorialNote eId="atn1"><p>null</p></authorialNote></p>
            </preface>
            <body>
              <chapter eId="chp_I">
                <num>CAPO I</num>
                <heading>Opere protette</heading>
                <article eId="art_15-bis">
                  <num>Art. 15-bis.</num>
                  <heading/>
                  <paragraph eId="art_15-bis__para_1">
                    <num>1.</num>
                    <list>
                      <intro><p>Ai fini della presente legge si intende per:</p></intro>
                      <point eId="art_15-bis__para_1__point_a"><num>a)</num><content><p>satellite: un satellite <ref href="/x">operante</ref>;</p></content></point>
                      <point eId="art_15-bis__para_1__point_b"><num>b)</num><content><p>comunicazione: l'atto di inserire.</p></content></point>
                    </list>
                  </paragraph>
                  <paragraph><content><p>((</p></content></paragraph>
                  <paragraph><content><p>-------------</p><p>AGGIORNAMENTO (49)</p><p>Il D.L. 16 ottobre 2017, n. 148, ha disposto.</p></content></paragraph>
                </article>
              </chapter>
            </body>
          </act>
        </akomaNtoso>
        """;

    [Fact]
    public async Task Normattiva_act_reads_chapters_articles_points_and_keeps_amendment_notes_apart()
    {
        var doc = await ParseAsync(Normattiva);

        Assert.Equal("akn", doc.Format);
        Assert.Equal("it", doc.Language);
        Assert.Equal("Protezione del diritto d'autore", doc.Title);
        Assert.Equal("Legge 633/1941", doc.Abbreviation);
        Assert.Equal("/akn/it/act/legge/stato/1941-04-22/633", doc.Identifier);
        Assert.Equal(new DateOnly(2024, 11, 15), doc.ValidFrom);

        var article = Assert.Single(doc.Provisions);
        Assert.Equal(ProvisionKind.Article, article.Kind);
        Assert.Equal("15-bis", article.Number);
        Assert.Equal("Legge 633/1941 Art. 15-bis", article.Citation);
        Assert.Equal(["CAPO I Opere protette"], article.Path);
        Assert.Equal("/akn/it/act/legge/stato/1941-04-22/633#art_15-bis", article.Identifier);
        Assert.Equal(new DateOnly(2024, 11, 15), article.ValidFrom);
        var paragraph = Assert.Single(article.Paragraphs);
        Assert.Equal("1", paragraph.Label);
        Assert.Equal(
            "1. Ai fini della presente legge si intende per:\na) satellite: un satellite operante;\nb) comunicazione: l'atto di inserire.",
            paragraph.Text);
        Assert.Equal(["AGGIORNAMENTO (49) Il D.L. 16 ottobre 2017, n. 148, ha disposto."], article.Notes);
        Assert.DoesNotContain("AGGIORNAMENTO", article.Text, StringComparison.Ordinal);
    }

    /// <summary>LegalDocML.de: the akn: prefix in its own namespace, § numbers, the official abbreviation inside
    /// shortTitle, validity through @period, editorial notes in meta placed on an article, a ToC in the preamble.</summary>
    private const string LegalDocMlDe = """
        <?xml version="1.0" encoding="UTF-8"?>
        <akn:akomaNtoso xmlns:akn="http://Inhaltsdaten.LegalDocML.de/1.8.2/">
          <akn:act name="regelungstext-verkuendung">
            <akn:meta eId="meta-n1">
              <akn:identification eId="meta-n1_ident-n1">
                <akn:FRBRWork>
                  <akn:FRBRthis value="eli/bund/bgbl-1/2099/1/regelungstext-verkuendung-1"/>
                  <akn:FRBRuri value="eli/bund/bgbl-1/2099/1"/>
                </akn:FRBRWork>
                <akn:FRBRExpression>
                  <akn:FRBRdate date="2099-06-17" name="verkuendung"/>
                  <akn:FRBRlanguage language="deu"/>
                </akn:FRBRExpression>
              </akn:identification>
              <akn:lifecycle>
                <akn:eventRef date="1001-01-01" eId="ereignis-n1" refersTo="ausfertigung" type="generation"/>
                <akn:eventRef date="2099-07-01" eId="ereignis-n2" refersTo="inkrafttreten" type="generation"/>
                <akn:eventRef date="2100-12-31" eId="ereignis-n3" refersTo="ausserkrafttreten" type="generation"/>
              </akn:lifecycle>
              <akn:temporalData>
                <akn:temporalGroup eId="geltungszeitgr-n1">
                  <akn:timeInterval refersTo="geltungszeit" start="#ereignis-n2" end="#ereignis-n3"/>
                </akn:temporalGroup>
              </akn:temporalData>
              <akn:notes>
                <akn:note eId="fnote-n1" placementBase="#art-z1" refersTo="kommentierende-fussnote">
                  <akn:p>(+++ § 1 Abs. 2: Zur Geltung vgl. § 2 +++)</akn:p>
                </akn:note>
              </akn:notes>
            </akn:meta>
            <akn:preface>
              <akn:longTitle><akn:p>
                <akn:docTitle>Verordnung über Testzuschläge</akn:docTitle>
                <akn:shortTitle>(Testzuschlagsverordnung -
                  <akn:inline refersTo="amtliche-abkuerzung" name="x">TestZV</akn:inline>)</akn:shortTitle>
              </akn:p></akn:longTitle>
            </akn:preface>
            <akn:preamble>
              <akn:blockContainer refersTo="inhaltsuebersicht">
                <akn:heading>Inhaltsübersicht</akn:heading>
                <akn:toc><akn:tocItem><akn:span>§ 1</akn:span></akn:tocItem></akn:toc>
              </akn:blockContainer>
            </akn:preamble>
            <akn:body>
              <akn:section eId="hauptteil-n1_abschnitt-n1">
                <akn:num>Abschnitt 1</akn:num>
                <akn:heading>Zuschlag</akn:heading>
                <akn:article eId="art-z1" period="#geltungszeitgr-n1">
                  <akn:num>§
                      1</akn:num>
                  <akn:heading>Höhe</akn:heading>
                  <akn:paragraph eId="art-z1_abs-z1">
                    <akn:num>(1)</akn:num>
                    <akn:content><akn:p>Der Zuschlag beträgt 5 Euro.<akn:marker refersTo="satzende" name="1"/></akn:p></akn:content>
                  </akn:paragraph>
                  <akn:paragraph eId="art-z1_abs-z2">
                    <akn:num>(2)</akn:num>
                    <akn:content>
                      <akn:p>Er erhöht sich</akn:p>
                      <akn:blockList><akn:item><akn:num>1.</akn:num><akn:p>um 1 Euro,</akn:p></akn:item></akn:blockList>
                    </akn:content>
                  </akn:paragraph>
                </akn:article>
              </akn:section>
            </akn:body>
          </akn:act>
        </akn:akomaNtoso>
        """;

    [Fact]
    public async Task LegalDocML_de_reads_prefixed_elements_sections_validity_and_meta_notes()
    {
        var doc = await ParseAsync(LegalDocMlDe);

        Assert.Equal("de", doc.Language);
        Assert.Equal("Verordnung über Testzuschläge", doc.Title);
        Assert.Equal("TestZV", doc.Abbreviation);
        Assert.Equal(["Testzuschlagsverordnung"], doc.Aliases);
        Assert.Equal("eli/bund/bgbl-1/2099/1", doc.Identifier);
        Assert.Equal(new DateOnly(2099, 7, 1), doc.ValidFrom); // entry into force beats the promulgation date

        var section = Assert.Single(doc.Provisions); // the preamble holds only a table of contents
        Assert.Equal(ProvisionKind.Section, section.Kind);
        Assert.Equal("1", section.Number);
        Assert.Equal("Höhe", section.Heading);
        Assert.Equal("TestZV § 1", section.Citation);
        Assert.Equal(["Abschnitt 1 Zuschlag"], section.Path);
        Assert.Equal("eli/bund/bgbl-1/2099/1#art-z1", section.Identifier);
        Assert.Equal(new DateOnly(2099, 7, 1), section.ValidFrom);
        Assert.Equal(new DateOnly(2100, 12, 31), section.ValidTo);
        Assert.Equal(["1", "2"], section.Paragraphs.Select(p => p.Label));
        Assert.Equal("(1) Der Zuschlag beträgt 5 Euro.", section.Paragraphs[0].Text);
        Assert.Equal("(2) Er erhöht sich\n1. um 1 Euro,", section.Paragraphs[1].Text);
        Assert.Equal(["(+++ § 1 Abs. 2: Zur Geltung vgl. § 2 +++)"], section.Notes);
    }

    /// <summary>Finlex (Finland): no articles, the text in hcontainers, an annex with a fee table without header cells.</summary>
    private const string Finlex = """
        <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0" xmlns:finlex="http://data.finlex.fi/schema/finlex">
          <act contains="originalVersion" name="main">
            <meta>
              <identification source="#organization_fi.finlex">
                <FRBRWork>
                  <FRBRthis value="/akn/fi/act/statute/2024/123/!main"/>
                  <FRBRuri value=""/>
                  <FRBRalias name="eli" value="http://data.finlex.fi/eli/sd/2024/123/alkup"/>
                </FRBRWork>
                <FRBRExpression>
                  <FRBRdate date="2024-03-22" name="dateIssued"/>
                  <FRBRlanguage language="fin"/>
                </FRBRExpression>
              </identification>
            </meta>
            <preface><p><docNumber>123/2024</docNumber><docTitle>Asetus maksuista</docTitle></p></preface>
            <body>
              <hcontainer name="statuteTextWrapper"><content><p>Tämä asetus tulee voimaan 1 päivänä huhtikuuta 2024.</p></content></hcontainer>
              <hcontainer name="attachments">
                <hcontainer name="attachment">
                  <content>
                    <p><i>Liite</i></p>
                    <table class="frame-all">
                      <tr><td><p>Hakemusmaksu</p></td><td><p>430 €</p></td></tr>
                      <tr><td><p>Maksu A | B</p></td><td><p>50
                        €</p></td></tr>
                    </table>
                  </content>
                </hcontainer>
              </hcontainer>
            </body>
          </act>
        </akomaNtoso>
        """;

    [Fact]
    public async Task Finlex_statute_reads_hcontainers_and_renders_its_fee_table_as_a_markdown_table()
    {
        var doc = await ParseAsync(Finlex);

        Assert.Equal("fi", doc.Language);
        Assert.Equal("Asetus maksuista", doc.Title);
        Assert.Null(doc.Abbreviation);
        Assert.Equal("/akn/fi/act/statute/2024/123", doc.Identifier); // FRBRthis without its component when FRBRuri is empty
        Assert.Equal(new DateOnly(2024, 3, 22), doc.ValidFrom);
        Assert.Equal(["Text", "Liite"], doc.Provisions.Select(p => p.Number));
        Assert.Equal("Tämä asetus tulee voimaan 1 päivänä huhtikuuta 2024.", doc.Provisions[0].Text);
        Assert.Equal("Asetus maksuista Liite", doc.Provisions[1].Citation);
        Assert.Equal(
            "Liite\n| Hakemusmaksu | 430 € |\n| --- | --- |\n| Maksu A \\| B | 50 € |",
            doc.Provisions[1].Text);
    }

    /// <summary>Legilux (Luxembourg): the CSD13 draft namespace, "Art. 1&lt;sup&gt;er&lt;/sup&gt;", HTML-like ol/li, entry into force in
    /// the scl:jolux extension, the language as an EU authority URI, and an annexed convention with its own articles.</summary>
    private const string Legilux = """
        <?xml version="1.0" encoding="UTF-8"?>
        <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0/CSD13" xmlns:scl="http://www.scl.lu">
          <act contains="originalVersion" name="">
            <meta>
              <identification source="#casemates">
                <FRBRWork>
                  <FRBRthis value="http://data.legilux.public.lu/eli/etat/leg/loi/2006/07/31/n2/jo"/>
                  <FRBRuri value=""/>
                  <FRBRdate date="2006-07-31" name="document"/>
                </FRBRWork>
                <FRBRExpression>
                  <FRBRdate date="2999-01-01" name=""/>
                  <FRBRlanguage language="http://publications.europa.eu/resource/authority/language/FRA"/>
                </FRBRExpression>
                <scl:JOLUXWork><scl:JOLUXLegalResource>
                  <scl:jolux scl:name="dateEntryInForce">2006-09-02</scl:jolux>
                </scl:JOLUXLegalResource></scl:JOLUXWork>
              </identification>
            </meta>
            <preface><longTitle><p>Loi du 31 juillet 2006 portant introduction d'un Code du Travail.</p></longTitle></preface>
            <preamble><formula name=""><p>Avons ordonné et ordonnons:</p></formula></preamble>
            <body>
              <article eId="art_1er">
                <num>Art. 1<sup>er</sup></num>
                <alinea><content><p>Sont abrogés:<ol><li>la <ref>loi du 12 juillet 1895</ref>;</li><li>la loi du 7 juin 1937.</li></ol></p></content></alinea>
              </article>
            </body>
            <attachments>
              <attachment>
                <doc name="">
                  <meta/>
                  <preface><longTitle><p>CONVENTION</p></longTitle></preface>
                  <mainBody>
                    <chapter><num><span>Chapitre I</span><br/></num><heading><span>CHAMP D’APPLICATION</span></heading>
                      <article><num><span>Article 1</span><br/></num><heading>PERSONNES VISÉES</heading>
                        <alinea><content><p>La présente Convention s’applique aux résidents.</p></content></alinea>
                      </article>
                    </chapter>
                  </mainBody>
                </doc>
              </attachment>
            </attachments>
          </act>
        </akomaNtoso>
        """;

    [Fact]
    public async Task Legilux_law_reads_the_CSD13_dialect_and_walks_an_annexed_convention()
    {
        var doc = await ParseAsync(Legilux, language: "de");

        Assert.Equal("fr", doc.Language); // from the file, not the corpus default
        Assert.Equal("Loi du 31 juillet 2006 portant introduction d'un Code du Travail", doc.Title);
        Assert.Equal("http://data.legilux.public.lu/eli/etat/leg/loi/2006/07/31/n2/jo", doc.Identifier);
        Assert.Equal(new DateOnly(2006, 9, 2), doc.ValidFrom);

        Assert.Equal([ProvisionKind.Preamble, ProvisionKind.Article, ProvisionKind.Article], doc.Provisions.Select(p => p.Kind));
        var first = doc.Provisions[1];
        Assert.Equal("1", first.Number);
        Assert.Equal("Loi du 31 juillet 2006 portant introduction d'un Code du Travail, art. 1", first.Citation);
        Assert.Equal("Sont abrogés:\nla loi du 12 juillet 1895;\nla loi du 7 juin 1937.", first.Text);
        var convention = doc.Provisions[2];
        Assert.Equal("1", convention.Number);
        Assert.Equal("PERSONNES VISÉES", convention.Heading);
        Assert.Equal(["CONVENTION", "Chapitre I CHAMP D’APPLICATION"], convention.Path);
        Assert.NotEqual(first.Key, convention.Key);
    }

    /// <summary>AKN4EU (a Commission proposal from LEOS): a bill, xml:id instead of eId, placeholder dates, recitals with footnotes.</summary>
    private const string Akn4Eu = """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0" xmlns:leos="urn:eu:europa:ec:leos">
          <bill name="DIR">
            <meta>
              <identification source="~COM">
                <FRBRWork><FRBRthis value=""/><FRBRuri value=""/><FRBRdate date="2999-01-01" name=""/><FRBRnumber value="COM(2099) 1"/></FRBRWork>
                <FRBRExpression><FRBRthis value=""/><FRBRdate date="2999-01-01" name=""/><FRBRlanguage language="en"/></FRBRExpression>
              </identification>
            </meta>
            <preface>
              <longTitle><p><docStage>Proposal for a</docStage> <docType>DIRECTIVE OF THE COUNCIL</docType> <docPurpose>on test data</docPurpose></p></longTitle>
            </preface>
            <preamble>
              <recitals>
                <recital xml:id="rec1"><num>(1)</num><p>Test data matter<authorialNote marker="1"><p>OJ C 1, 1.1.2099, p. 1.</p></authorialNote>.</p></recital>
              </recitals>
              <formula name="enactingFormula"><p>HAS ADOPTED THIS DIRECTIVE:</p></formula>
            </preamble>
            <body>
              <article leos:editable="true" xml:id="ecE7tn1HSmpax3EFQ">
                <num>Article 1</num>
                <heading>Subject matter</heading>
                <paragraph xml:id="p1"><num>1.</num><list>
                  <subparagraph refersTo="~INP"><content><p>This Directive lays down rules on:</p></content></subparagraph>
                  <point><num>(a)</num><content><p>documents;</p></content></point>
                </list></paragraph>
              </article>
            </body>
          </bill>
        </akomaNtoso>
        """;

    [Fact]
    public async Task Akn4eu_bill_takes_xml_ids_ignores_placeholder_dates_and_keeps_footnotes_out_of_recitals()
    {
        var doc = await ParseAsync(Akn4Eu);

        Assert.Equal("en", doc.Language);
        Assert.Equal("Proposal for a DIRECTIVE OF THE COUNCIL on test data", doc.Title);
        Assert.Equal("COM(2099) 1", doc.Abbreviation); // a proposal is cited by its number
        Assert.Null(doc.Identifier);
        Assert.Null(doc.ValidFrom); // 2999-01-01 is a template's placeholder

        var preamble = doc.Provisions[0];
        Assert.Equal(ProvisionKind.Preamble, preamble.Kind);
        Assert.Equal(["1", null], preamble.Paragraphs.Select(p => p.Label));
        Assert.Equal("(1) Test data matter.", preamble.Paragraphs[0].Text);
        Assert.Equal(["OJ C 1, 1.1.2099, p. 1."], preamble.Notes);

        var article = doc.Provisions[1];
        Assert.Equal("COM(2099) 1 Article 1", article.Citation);
        Assert.Equal("ecE7tn1HSmpax3EFQ", article.Identifier);
        Assert.Null(article.ValidFrom);
        Assert.Equal("1. This Directive lays down rules on:\n(a) documents;", Assert.Single(article.Paragraphs).Text);
    }

    [Fact]
    public async Task A_table_with_header_cells_keeps_them_as_the_header_and_pads_spanned_cells()
    {
        var doc = await ParseAsync("""
            <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><body>
              <article eId="art_1"><num>Article 1</num><paragraph><content>
                <table>
                  <tr><td>a1</td><td>a2</td></tr>
                  <tr><th>Fee</th><th>Amount</th></tr>
                  <tr><td colspan="2">Total on request</td></tr>
                </table>
              </content></paragraph></article>
            </body></act></akomaNtoso>
            """);

        Assert.Equal("| Fee | Amount |\n| --- | --- |\n| a1 | a2 |\n| Total on request |  |", Assert.Single(doc.Provisions).Text);
    }

    [Fact]
    public async Task An_akoma_ntoso_file_without_text_is_rejected_with_the_reason()
    {
        var error = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            ParseAsync("""<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><meta/><body/></act></akomaNtoso>"""));
        Assert.Contains("Akoma Ntoso", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ita", "it")]
    [InlineData("fin", "fi")]
    [InlineData("deu", "de")]
    [InlineData("ger", "de")]
    [InlineData("eng", "en")]
    [InlineData("fra", "fr")]
    [InlineData("ltz", "lb")]
    [InlineData("en", "en")]
    [InlineData("http://publications.europa.eu/resource/authority/language/FRA", "fr")]
    [InlineData("", null)]
    [InlineData("xyz", null)]
    public void Frbr_languages_map_to_two_letter_codes(string value, string? expected) =>
        Assert.Equal(expected, AknMetadata.TwoLetterLanguage(value));

    [Theory]
    [InlineData("§ 1", ProvisionKind.Section, "1")]
    [InlineData("1 §", ProvisionKind.Section, "1")]
    [InlineData("Art. 12-bis.", ProvisionKind.Article, "12-bis")]
    [InlineData("Article 5", ProvisionKind.Article, "5")]
    [InlineData("Artikel 3a", ProvisionKind.Article, "3a")]
    [InlineData("Art. 1er", ProvisionKind.Article, "1")]
    [InlineData("Article unique.", ProvisionKind.Article, "unique")]
    public void Article_numbers_are_read_in_each_style(string num, ProvisionKind kind, string number) =>
        Assert.Equal((kind, number), AknReader.ParseNumber(num));
}
