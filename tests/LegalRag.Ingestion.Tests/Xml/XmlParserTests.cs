using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Xml;

public sealed class XmlParserTests
{
    private static readonly XmlParser Parser = new();

    private static Task<LegalDocument> ParseAsync(string xml, ParseContext? context = null, string name = "act.xml") =>
        Parser.ParseAsync(Fixtures.File(name, xml), context ?? Fixtures.German(), TestContext.Current.CancellationToken);

    /// <summary>A small act in Formex 05, shaped like the Official Journal's GDPR file.</summary>
    private const string Formex = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ACT>
          <BIB.INSTANCE><PAGE.FIRST>7</PAGE.FIRST></BIB.INSTANCE>
          <TITLE>
            <TI>
              <P><HT TYPE="UC">Verordnung</HT> (EU) 2099/1 des Europäischen Parlaments und des Rates</P>
              <P>zum Schutz von Testdaten (Testschutz-Grundverordnung)</P>
              <P>(Text von Bedeutung für den EWR)</P>
            </TI>
          </TITLE>
          <PREAMBLE>
            <PREAMBLE.INIT>DAS EUROPÄISCHE PARLAMENT UND DER RAT —</PREAMBLE.INIT>
            <GR.CONSID>
              <CONSID><NP><NO.P>(1)</NO.P><TXT>Der Schutz von Testdaten ist ein Grundrecht.</TXT></NP></CONSID>
            </GR.CONSID>
          </PREAMBLE>
          <ENACTING.TERMS>
            <DIVISION>
              <TITLE><TI><P>KAPITEL I</P></TI><STI><P>Allgemeine Bestimmungen</P></STI></TITLE>
              <ARTICLE IDENTIFIER="001">
                <TI.ART>Artikel 1</TI.ART>
                <STI.ART>Recht auf Löschung (
                  <QUOT.START CODE="201E"/>
        Recht auf Vergessenwerden
                  <QUOT.END CODE="201C"/>
        )
                </STI.ART>
                <PARAG IDENTIFIER="001.001">
                  <NO.PARAG>(1)</NO.PARAG>
                  <ALINEA>Diese Verordnung gilt für Testdaten<NOTE NOTE.ID="E1"><P>ABl. C 1 vom 1.1.2099, S. 1.</P></NOTE>.</ALINEA>
                </PARAG>
                <?PAGE NO="8"?>
                <PARAG IDENTIFIER="001.002">
                  <NO.PARAG>(2)</NO.PARAG>
                  <ALINEA>
                    <P>Sie gilt nicht</P>
                    <LIST TYPE="alpha">
                      <ITEM><NP><NO.P>a)</NO.P><TXT>für Daten im Ruhestand,</TXT></NP></ITEM>
                      <ITEM><NP><NO.P>b)</NO.P><TXT>für Beispieldaten.</TXT></NP></ITEM>
                    </LIST>
                  </ALINEA>
                </PARAG>
              </ARTICLE>
            </DIVISION>
          </ENACTING.TERMS>
          <FINAL><P>Diese Verordnung ist in allen ihren Teilen verbindlich.</P></FINAL>
        </ACT>
        """;

    [Fact]
    public async Task Formex_articles_paragraphs_items_divisions_and_Official_Journal_pages_are_read()
    {
        var document = await ParseAsync(Formex);

        Assert.Equal("xml", document.Format);
        Assert.StartsWith("Verordnung (EU) 2099/1 des Europäischen Parlaments und des Rates zum Schutz von Testdaten", document.Title);
        Assert.Equal("Testschutz-Grundverordnung", document.Abbreviation);
        Assert.Equal(
            ["Testschutz-Grundverordnung Präambel", "Testschutz-Grundverordnung Art. 1", "Testschutz-Grundverordnung Schlussformel"],
            document.Provisions.Select(p => p.Citation));

        var article = document.Provisions[1];
        Assert.Equal(ProvisionKind.Article, article.Kind);
        Assert.Equal("Recht auf Löschung („Recht auf Vergessenwerden“)", article.Heading);
        Assert.Equal(["KAPITEL I Allgemeine Bestimmungen"], article.Path);
        Assert.Equal(["1", "2"], article.Paragraphs.Select(p => p.Label));
        Assert.Equal("(1) Diese Verordnung gilt für Testdaten.", article.Paragraphs[0].Text); // the footnote is not text
        Assert.Equal(7, article.Paragraphs[0].Page);
        Assert.Equal("(2) Sie gilt nicht\na) für Daten im Ruhestand,\nb) für Beispieldaten.", article.Paragraphs[1].Text);
        Assert.Equal(8, article.Paragraphs[1].Page);
        Assert.Equal("(1) Der Schutz von Testdaten ist ein Grundrecht.", document.Provisions[0].Paragraphs[^1].Text);
    }

    [Fact]
    public async Task The_context_abbreviation_names_the_act()
    {
        var document = await ParseAsync(Formex, Fixtures.German(abbreviation: "TSGVO"));

        Assert.Contains(document.Provisions, p => p.Citation == "TSGVO Art. 1");
    }

    [Theory]
    [InlineData("Verordnung (EU) 2016/679 des Europäischen Parlaments und des Rates vom 27. April 2016 zum Schutz natürlicher Personen (Datenschutz-Grundverordnung) (Text von Bedeutung für den EWR)", false, "DSGVO")]
    [InlineData("Richtlinie (EU) 2016/680 des Europäischen Parlaments und des Rates vom 27. April 2016 (Text von Bedeutung für den EWR)", false, "RL (EU) 2016/680")]
    [InlineData("Berichtigung der Verordnung (EU) 2016/679 des Europäischen Parlaments (Amtsblatt der Europäischen Union L 119 vom 4. Mai 2016)", true, "Berichtigung VO (EU) 2016/679")]
    [InlineData("Beschluss des Rates über etwas", false, null)]
    public void Formex_act_names_are_derived_from_the_title(string title, bool isCorrigendum, string? expected) =>
        Assert.Equal(expected, FormexReader.DeriveAbbreviation(title, isCorrigendum));

    [Fact]
    public async Task Generic_XML_uses_heading_elements_and_num_heading_pairs()
    {
        const string akomaNtoso = """
            <?xml version="1.0" encoding="UTF-8"?>
            <akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">
              <act>
                <preface><docTitle>Testgesetz (TG)</docTitle></preface>
                <body>
                  <chapter>
                    <num>Kapitel 1</num><heading>Allgemeines</heading>
                    <article>
                      <num>§ 1</num><heading>Zweck</heading>
                      <paragraph><num>(1)</num><content><p>Dieses Gesetz regelt <i>Tests</i>.</p></content></paragraph>
                      <paragraph><num>(2)</num><content><p>Es gilt &amp; wirkt &#x00FC;berall &lt;sofort&gt;.</p></content></paragraph>
                    </article>
                  </chapter>
                </body>
              </act>
            </akomaNtoso>
            """;

        var document = await ParseAsync(akomaNtoso);

        Assert.Equal("Testgesetz", document.Title);
        Assert.Equal("TG", document.Abbreviation);
        var provision = Assert.Single(document.Provisions);
        Assert.Equal("TG § 1", provision.Citation);
        Assert.Equal("Zweck", provision.Heading);
        Assert.Equal(["Kapitel 1 Allgemeines"], provision.Path);
        Assert.Equal(["(1) Dieses Gesetz regelt Tests.", "(2) Es gilt & wirkt überall <sofort>."], provision.Paragraphs.Select(p => p.Text));
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE act [<!ENTITY x "Text">]><act><p>&x;</p></act>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE act [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><act><p>&xxe;</p></act>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE act SYSTEM "http://example.invalid/act.dtd"><act><p>Text</p></act>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>""")]
    public async Task A_DOCTYPE_is_refused_whatever_it_declares(string xml)
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(xml));

        Assert.Equal("XML with a DOCTYPE is not accepted (DTD processing and external entities are disabled for safety)", ex.Message);
    }

    [Fact]
    public async Task Bad_input_is_rejected_with_the_reason()
    {
        var malformed = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync("<?xml version=\"1.0\"?><act><p>offen</act>"));
        Assert.StartsWith("the XML is not well-formed: ", malformed.Message);

        var deep = string.Concat(Enumerable.Repeat("<d>", 300)) + "tief" + string.Concat(Enumerable.Repeat("</d>", 300));
        var nested = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync($"<?xml version=\"1.0\"?>{deep}"));
        Assert.Equal("the XML nests elements deeper than 256 levels (limit MaxXmlDepth)", nested.Message);

        var binary = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            Parser.ParseAsync(Fixtures.File("daten.xml", [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3]), Fixtures.German(), TestContext.Current.CancellationToken));
        Assert.Equal("binary content in a text file (NUL or control bytes)", binary.Message);

        var empty = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync("<?xml version=\"1.0\"?><act/>"));
        Assert.Equal("the XML has no text", empty.Message);
    }

    [Fact]
    public void Content_decides_before_the_extension()
    {
        Assert.True(Parser.CanParse(Fixtures.File("act.txt", "<?xml version=\"1.0\"?><ACT/>")));
        Assert.True(Parser.CanParse(Fixtures.File("act.xml", "<ACT/>")));
        Assert.False(Parser.CanParse(Fixtures.File("page.xml", "<?xml version=\"1.0\"?><html><body/></html>")));
        Assert.False(Parser.CanParse(Fixtures.File("act.md", "# Titel")));
    }

    [Fact]
    public async Task The_GDPR_in_Formex_gives_article_17_with_its_citation_path_and_pages()
    {
        var path = SharedCorpora.Require("corpora/official-samples/eu/GDPR_DE_Formex_OJ_L_2016_119_L_2016119DE.01000101.xml");
        var file = new SourceFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));

        var document = await Parser.ParseAsync(file, Fixtures.German(), TestContext.Current.CancellationToken);

        Assert.Equal("DSGVO", document.Abbreviation);
        Assert.Equal(99, document.Provisions.Count(p => p.Kind == ProvisionKind.Article));
        var article = Assert.Single(document.Provisions, p => p.Citation == "DSGVO Art. 17");
        Assert.Equal("Recht auf Löschung („Recht auf Vergessenwerden“)", article.Heading);
        Assert.Equal(["KAPITEL III Rechte der betroffenen Person", "Abschnitt 3 Berichtigung und Löschung"], article.Path);
        Assert.Equal(["1", "2", "3"], article.Paragraphs.Select(p => p.Label));
        Assert.Equal(43, article.Paragraphs[0].Page);
        Assert.Contains("b) Die betroffene Person widerruft ihre Einwilligung", article.Paragraphs[0].Text);
        Assert.Equal(173, document.Provisions.Single(p => p.Kind == ProvisionKind.Preamble).Paragraphs.Count(p => p.Label is not null));
    }
}
