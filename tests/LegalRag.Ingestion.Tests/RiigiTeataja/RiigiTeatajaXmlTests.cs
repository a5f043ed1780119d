using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.RiigiTeataja;

/// <summary>Riigi Teataja XML: a small consolidated act next to the structure it must give.</summary>
public sealed class RiigiTeatajaXmlTests
{
    private static readonly XmlParser Parser = new();

    private static ParseContext Estonian() => new("ee-rt", "et", null, null, new IngestionLimits());

    private static Task<LegalDocument> ParseAsync(string xml) =>
        Parser.ParseAsync(Fixtures.File("act.xml", xml), Estonian(), TestContext.Current.CancellationToken);

    private const string Act = """
        <?xml version="1.0" encoding="UTF-8"?>
        <oigusakt xmlns="tyviseadus_1_10.02.2010">
          <metaandmed>
            <lyhend>TS</lyhend>
            <vastuvoetud>
              <aktikuupaev>2001-01-10+02:00</aktikuupaev>
              <avaldamismarge><RTosa>RT I</RTosa><RTaasta>2001</RTaasta><RTnr>5</RTnr><RTartikkel>12</RTartikkel></avaldamismarge>
              <joustumine>2001-02-01+02:00</joustumine>
            </vastuvoetud>
            <kehtivus><kehtivuseAlgus>2010-01-01+02:00</kehtivuseAlgus></kehtivus>
            <globaalID>12345</globaalID>
          </metaandmed>
          <aktinimi><nimi><pealkiri>Testseadus</pealkiri></nimi></aktinimi>
          <sisu>
            <peatykk id="ptk1">
              <peatykkNr>1</peatykkNr>
              <kuvatavNr><![CDATA[1. peatükk]]></kuvatavNr>
              <peatykkPealkiri>ÜLDSÄTTED</peatykkPealkiri>
              <paragrahv id="para1">
                <paragrahvNr>1</paragrahvNr>
                <paragrahvPealkiri>Seaduse ülesanne</paragrahvPealkiri>
                <loige id="lg1">
                  <loigeNr>1</loigeNr>
                  <sisuTekst><tavatekst>Seadus reguleerib testimist.</tavatekst></sisuTekst>
                </loige>
                <loige id="lg2">
                  <loigeNr>2</loigeNr>
                  <sisuTekst>
                    <tavatekst>Test on</tavatekst>
                    <viide><kuvatavTekst><![CDATA[ministri kehtestatud]]></kuvatavTekst><viideURID><viideURI>./dyn=1</viideURI></viideURID></viide>
                    <tavatekst> kord:</tavatekst>
                    <muutmismarge>
                      <avaldamismarge><RTosa>RT I</RTosa><RTaasta>2009</RTaasta><RTnr>3</RTnr><RTartikkel>7</RTartikkel></avaldamismarge>
                      <joustumine>2010-01-01+02:00</joustumine>
                    </muutmismarge>
                  </sisuTekst>
                  <alampunkt><alampunktNr>1</alampunktNr><kuvatavNr><![CDATA[1)]]></kuvatavNr><sisuTekst><tavatekst>kirjalik;</tavatekst></sisuTekst></alampunkt>
                  <alampunkt><alampunktNr>2</alampunktNr><kuvatavNr><![CDATA[2)]]></kuvatavNr><sisuTekst><tavatekst>suuline.</tavatekst></sisuTekst></alampunkt>
                </loige>
              </paragrahv>
            </peatykk>
            <peatykk id="ptk2">
              <peatykkNr>2</peatykkNr>
              <kuvatavNr><![CDATA[2. peatükk]]></kuvatavNr>
              <peatykkPealkiri>LÕPPSÄTTED</peatykkPealkiri>
            </peatykk>
            <paragrahv id="para2">
              <paragrahvNr ylaIndeks="1">1</paragrahvNr>
              <kuvatavNr><![CDATA[§ 1<sup>1</sup>.]]></kuvatavNr>
              <sisuTekst><tavatekst>[Kehtetu]</tavatekst></sisuTekst>
            </paragrahv>
          </sisu>
        </oigusakt>
        """;

    [Fact]
    public async Task A_consolidated_act_gives_its_paragraphs_with_clauses_items_path_notes_and_dates()
    {
        var document = await ParseAsync(Act);

        Assert.Equal("rt-xml", document.Format);
        Assert.Equal("et", document.Language);
        Assert.Equal("Testseadus", document.Title);
        Assert.Equal("TS", document.Abbreviation);
        Assert.Equal("https://www.riigiteataja.ee/akt/12345", document.Identifier);
        Assert.Equal(["RT I 2001, 5, 12"], document.Aliases);
        Assert.Equal(new DateOnly(2010, 1, 1), document.ValidFrom);
        Assert.Null(document.ValidTo);
        Assert.Equal("""
            key: ee-rt/ts/s1
            citation: TS § 1
            kind: Section | number: 1 | id: https://www.riigiteataja.ee/akt/12345#para1 | valid: 2010-01-01 – open | repealed: False
            path: 1. peatükk ÜLDSÄTTED
            heading: Seaduse ülesanne
            (1) Seadus reguleerib testimist.
            (2) Test on ministri kehtestatud kord:
            1) kirjalik;
            2) suuline.
            notes:
            RT I 2009, 3, 7 – jõust. 01.01.2010

            key: ee-rt/ts/s1-1
            citation: TS § 1¹
            kind: Section | number: 1¹ | id: https://www.riigiteataja.ee/akt/12345#para2 | valid:  – open | repealed: True
            path: 2. peatükk LÕPPSÄTTED
            heading: 
            [Kehtetu]
            notes:
            """.ReplaceLineEndings("\n"), string.Join("\n\n", document.Provisions.Select(Describe)));
    }

    [Fact]
    public async Task Estonian_citations_resolve_to_the_paragraph()
    {
        var index = new CitationIndex();
        index.Add(await ParseAsync(Act));
        Assert.True(CitationParser.TryParse("TS § 1 lg 2 p 1", out var reference));
        Assert.Equal(["ee-rt/ts/s1"], index.Resolve(reference));
        Assert.True(CitationParser.TryParse("TS § 1¹", out var inserted));
        Assert.Equal(["ee-rt/ts/s1-1"], index.Resolve(inserted));
    }

    [Fact]
    public async Task The_real_consolidated_act_parses_whole()
    {
        var path = SharedCorpora.Require("corpora/official-samples/ee-rt-xml/22217_Pollumajandusreformi_seadus_terviktekst_2002-06-01.xml");
        var document = await Parser.ParseAsync(new SourceFile(path, Path.GetFileName(path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)),
            Estonian(), TestContext.Current.CancellationToken);

        Assert.Equal("Põllumajandusreformi seadus", document.Title);
        Assert.Equal("PõRS", document.Abbreviation);
        Assert.Equal("https://www.riigiteataja.ee/akt/22217", document.Identifier);
        Assert.Equal(new DateOnly(2002, 6, 1), document.ValidFrom);
        Assert.Equal(new DateOnly(2002, 6, 30), document.ValidTo);
        Assert.Equal(38, document.Provisions.Count); // 38 <paragrahv> in the file
        Assert.Equal(document.Provisions.Count, document.Provisions.Select(p => p.Key).Distinct().Count());
        var s25a = Assert.Single(document.Provisions, p => p.Number == "25¹");
        Assert.Equal("PõRS § 25¹", s25a.Citation);
        Assert.Equal("Ühismajandi sundlõpetamine", s25a.Heading);
        Assert.Equal(["I. ÜLDSÄTTED"], document.Provisions[0].Path);
        Assert.True(Assert.Single(document.Provisions, p => p.Number == "23").IsRepealed);
        Assert.Contains(document.Provisions, p => p.Notes.Contains("RT I 1997, 16, 264 – jõust. 16.03.1997") && p.ValidFrom == new DateOnly(1997, 3, 16));
        Assert.Contains("maavanem Vabariigi Valitsuse kehtestatud korras.", document.Provisions[^1].Text);
        // Definitions written as separate runs of one item stay separate lines.
        Assert.Contains("3) riiklik põllumajandusettevõte;\nühismajandi vara - ", document.Provisions[1].Text);
        Assert.Contains("kohustused;\nreorganiseerimine - ", document.Provisions[1].Text);
    }

    private static string Describe(Provision p) => string.Join("\n",
    [
        $"key: {p.Key}",
        $"citation: {p.Citation}",
        $"kind: {p.Kind} | number: {p.Number} | id: {p.Identifier} | valid: {p.ValidFrom:yyyy-MM-dd} – {(p.ValidTo is { } to ? to.ToString("yyyy-MM-dd") : "open")} | repealed: {p.IsRepealed}",
        $"path: {p.PathDisplay}",
        $"heading: {p.Heading}",
        .. p.Paragraphs.Select(x => x.Label is null ? x.Text : $"({x.Label}) {x.Text}"),
        "notes:",
        .. p.Notes,
    ]);
}
