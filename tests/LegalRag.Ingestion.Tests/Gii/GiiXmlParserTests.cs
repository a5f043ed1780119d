using System.Diagnostics;
using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Gii;

public sealed class GiiXmlParserTests
{
    private static readonly XmlParser Parser = new();

    private static Task<LegalDocument> ParseAsync(string xml, string name = "BJNR000000000.xml") =>
        Parser.ParseAsync(Fixtures.File(name, xml), Fixtures.German(), TestContext.Current.CancellationToken);

    /// <summary>A small act in the shape of Gesetze im Internet (gii-norm.dtd 1.01), with its DOCTYPE line.</summary>
    private const string Act = """
        <?xml version="1.0" encoding="UTF-8" ?><!DOCTYPE dokumente SYSTEM "http://www.gesetze-im-internet.de/dtd/1.01/gii-norm.dtd">
        <dokumente builddate="20250101000000" doknr="BJNR000000000">
          <norm doknr="BJNR000000000">
            <metadaten>
              <jurabk>TestG 2025</jurabk><amtabk>TestG</amtabk>
              <ausfertigung-datum manuell="ja">2025-01-02</ausfertigung-datum>
              <fundstelle typ="amtlich"><periodikum>BGBl I</periodikum><zitstelle>2025, 1</zitstelle></fundstelle>
              <langue>Gesetz über Tests</langue>
              <standangabe><standtyp>Stand</standtyp><standkommentar>zuletzt geändert durch Art. 1 G v. 3.3.2025 I Nr. 9</standkommentar></standangabe>
            </metadaten>
            <textdaten><text format="XML"><Content><P/></Content></text>
              <fussnoten><Content><P><BR/> <pre xml:space="preserve">(+++ Textnachweis ab: 1.2.2025 +++)<BR/>(+++ Zur Anwendung d. § 1<BR/>     vgl. § 9 +++)<BR/></pre>Überschrift: IdF d. Art. 1 G v. 3.3.2025</P></Content></fussnoten></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNE000100000">
            <metadaten><jurabk>TestG 2025</jurabk><enbez>Inhaltsübersicht</enbez></metadaten>
            <textdaten><text format="XML"><TOC><Ident>Teil 1</Ident><Title>Allgemeines</Title></TOC></text></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNG000100000">
            <metadaten><jurabk>TestG 2025</jurabk><gliederungseinheit><gliederungskennzahl>010</gliederungskennzahl>
              <gliederungsbez>Teil 1</gliederungsbez><gliederungstitel>Allgemeines</gliederungstitel></gliederungseinheit></metadaten>
            <textdaten><text format="XML"><Content><P/></Content></text><fussnoten/></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNG000200000">
            <metadaten><jurabk>TestG 2025</jurabk><gliederungseinheit><gliederungskennzahl>010010</gliederungskennzahl>
              <gliederungsbez>Abschnitt 1</gliederungsbez><gliederungstitel>Grundsätze</gliederungstitel></gliederungseinheit></metadaten>
            <textdaten><text format="XML"><Content><P><FnR ID="F1"/></P></Content>
              <Footnotes><Footnote FnZ="*" ID="F1"><B>Amtlicher Hinweis:</B><BR/>Dieser Abschnitt setzt die Richtlinie 2099/1/EU um.</Footnote></Footnotes></text><fussnoten/></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNE000200000">
            <metadaten><jurabk>TestG 2025</jurabk><enbez>§ 1</enbez><titel format="parat">Anwendungsbereich</titel></metadaten>
            <textdaten><text format="XML"><Content>
              <P>(1) <SUP class="Rec">1</SUP>Dieses Gesetz gilt für Tests, wenn <DL Font="normal" Type="arabic">
                <DT>1.</DT><DD Font="normal"><LA Size="normal">sie geplant sind oder</LA></DD>
                <DT>2.</DT><DD Font="normal"><LA Size="normal">sie laufen, und zwar <DL Type="alpha"><DT>a)</DT><DD><LA>automatisch</LA></DD><DT>b)</DT><DD><LA>von Hand;</LA></DD></DL></LA></DD>
              </DL> <SUP class="Rec">2</SUP>Es gilt nicht für Übungen<FnR ID="F2"/>.</P>
              <P>(2) Die Gebühren betragen:
                <table><tgroup cols="2"><colspec colname="col1"/><colspec colname="col2"/>
                  <thead><row><entry colname="col1">Test</entry><entry colname="col2">Gebühr in Euro</entry></row></thead>
                  <tbody><row><entry colname="col1">klein | mittel</entry><entry colname="col2">10</entry></row>
                    <row><entry colname="col1">groß<BR/>und schwer</entry><entry colname="col2">20</entry></row></tbody></tgroup></table>
              </P>
              <P>(3) (weggefallen)</P></Content>
              <Footnotes><Footnote FnZ="1" ID="F2">Übungen regelt die Übungsverordnung.</Footnote></Footnotes></text>
              <fussnoten><Content><P>(+++ § 1: Zur Anwendung vgl. § 3 +++)</P></Content></fussnoten></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNE000300000">
            <metadaten><jurabk>TestG 2025</jurabk><enbez>(XXXX) §§ 2 bis 4</enbez><titel format="XML">(weggefallen)</titel></metadaten>
            <textdaten><text format="XML"><Content><P/></Content></text><fussnoten/></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNG000300000">
            <metadaten><jurabk>TestG 2025</jurabk><gliederungseinheit><gliederungskennzahl>020</gliederungskennzahl>
              <gliederungsbez>Teil 2</gliederungsbez><gliederungstitel>Schluss</gliederungstitel></gliederungseinheit></metadaten>
            <textdaten><text format="XML"><Content><P/></Content></text><fussnoten/></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNE000400000">
            <metadaten><jurabk>TestG 2025</jurabk><enbez>§ 5</enbez></metadaten>
            <textdaten><text format="XML"><Content><P>(weggefallen)</P></Content></text><fussnoten/></textdaten>
          </norm>
          <norm doknr="BJNR000000000BJNE000500000">
            <metadaten><jurabk>TestG 2025</jurabk><enbez>Anlage 1</enbez><titel format="parat">(zu § 1)</titel></metadaten>
            <textdaten><text format="XML"><Content><P>Muster</P></Content></text><fussnoten/></textdaten>
          </norm>
        </dokumente>
        """;

    [Fact]
    public async Task An_act_reads_as_metadata_structure_sections_paragraphs_items_tables_and_notes()
    {
        var document = await ParseAsync(Act);

        Assert.Equal("gii-xml", document.Format);
        Assert.Equal("Gesetz über Tests", document.Title);
        Assert.Equal("TestG 2025", document.Abbreviation); // jurabk is the key
        Assert.Equal(["TestG"], document.Aliases); // amtabk, where it differs
        Assert.Equal("BJNR000000000", document.Identifier);
        Assert.Equal(
            ["TestG 2025 Stand", "TestG 2025 Abschnitt 1 - Grundsätze", "TestG 2025 § 1", "TestG 2025 § 2", "TestG 2025 § 5", "TestG 2025 Anlage 1"],
            document.Provisions.Select(p => p.Citation));

        var stand = document.Provisions[0];
        Assert.Equal(["Gesetz über Tests (TestG 2025), ausgefertigt am 2025-01-02, BGBl I 2025, 1."], stand.Paragraphs.Select(p => p.Text));
        Assert.Equal(
            ["Ausfertigungsdatum: 2025-01-02", "Fundstelle: BGBl I 2025, 1", "Stand: zuletzt geändert durch Art. 1 G v. 3.3.2025 I Nr. 9", "(+++ Textnachweis ab: 1.2.2025 +++)",
             "(+++ Zur Anwendung d. § 1 vgl. § 9 +++)", "Überschrift: IdF d. Art. 1 G v. 3.3.2025"],
            stand.Notes);

        var level = document.Provisions[1];
        Assert.Equal(ProvisionKind.Other, level.Kind);
        Assert.Equal(["Teil 1 - Allgemeines"], level.Path);
        Assert.Empty(level.Paragraphs);
        Assert.Equal(["* Amtlicher Hinweis: Dieser Abschnitt setzt die Richtlinie 2099/1/EU um."], level.Notes);

        var section = document.Provisions[2];
        Assert.Equal(ProvisionKind.Section, section.Kind);
        Assert.Equal("1", section.Number);
        Assert.Equal("Anwendungsbereich", section.Heading);
        Assert.Equal("test-corpus/testg-2025/s1", section.Key);
        Assert.Equal("BJNR000000000BJNE000200000", section.Identifier);
        Assert.Equal(["Teil 1 - Allgemeines", "Abschnitt 1 - Grundsätze"], section.Path);
        Assert.False(section.IsRepealed);
        Assert.Equal(["1", "2", "3"], section.Paragraphs.Select(p => p.Label));
        Assert.Equal(
            "(1) Dieses Gesetz gilt für Tests, wenn\n1. sie geplant sind oder\n2. sie laufen, und zwar\na) automatisch\nb) von Hand;\nEs gilt nicht für Übungen.",
            section.Paragraphs[0].Text);
        Assert.Equal(
            "(2) Die Gebühren betragen:\n| Test | Gebühr in Euro |\n| --- | --- |\n| klein \\| mittel | 10 |\n| groß und schwer | 20 |",
            section.Paragraphs[1].Text);
        Assert.Equal("(3) (weggefallen)", section.Paragraphs[2].Text);
        Assert.Equal(["1 Übungen regelt die Übungsverordnung.", "(+++ § 1: Zur Anwendung vgl. § 3 +++)"], section.Notes);

        var range = document.Provisions[3];
        Assert.True(range.IsRepealed);
        Assert.Equal("2", range.Number); // a repealed range is cited by its first number, as in the Markdown corpus
        Assert.Empty(range.Paragraphs);

        var repealed = document.Provisions[4];
        Assert.True(repealed.IsRepealed);
        Assert.Equal(["Teil 2 - Schluss"], repealed.Path);

        var annex = document.Provisions[5];
        Assert.Equal(ProvisionKind.Annex, annex.Kind);
        Assert.Equal(["Muster"], annex.Paragraphs.Select(p => p.Text));
    }

    [Fact]
    public async Task Without_amtabk_there_is_no_alias_and_jurabk_names_the_act()
    {
        var document = await ParseAsync(Act.Replace("<amtabk>TestG</amtabk>", "", StringComparison.Ordinal));

        Assert.Empty(document.Aliases);
        Assert.Equal("TestG 2025 § 1", document.Provisions[2].Citation);
    }

    [Fact]
    public async Task Only_the_GII_DOCTYPE_is_skipped_and_only_on_a_GII_act()
    {
        var internalSubset = Act.Replace("gii-norm.dtd\">", "gii-norm.dtd\" [<!ENTITY x \"y\">]>", StringComparison.Ordinal);
        var other = Act.Replace("dokumente SYSTEM \"http://www.gesetze-im-internet.de", "dokumente SYSTEM \"http://example.invalid", StringComparison.Ordinal);
        var notAnAct = """<?xml version="1.0"?><!DOCTYPE dokumente SYSTEM "http://www.gesetze-im-internet.de/dtd/1.01/gii-norm.dtd"><act><p>Text</p></act>""";

        foreach (var xml in new[] { internalSubset, other, notAnAct })
        {
            var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(xml));
            Assert.Equal(XmlParser.DoctypeRejection, ex.Message);
        }
    }

    [Fact]
    public async Task An_entity_the_skipped_DTD_would_have_declared_is_an_error_not_a_lookup()
    {
        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(Act.Replace("Muster", "&muster;", StringComparison.Ordinal)));

        Assert.StartsWith("the XML is not well-formed: ", ex.Message);
    }

    [Fact]
    public async Task The_GII_index_is_refused_with_what_it_is()
    {
        var path = SharedCorpora.Require("corpora/official-samples/de-gii-xml/gii-toc.xml");
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<DocumentRejectedException>(() =>
            Parser.ParseAsync(new SourceFile(path, "gii-toc.xml", bytes), Fixtures.German(), TestContext.Current.CancellationToken));

        Assert.Equal("this is the Gesetze im Internet index (gii-toc.xml): it lists the acts' download links and holds no law text", ex.Message);
    }

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var act in new[] { "bgb", "gg", "stgb", "ao_1977", "zpo", "estg", "vwvfg", "bdsg_2018", "stvo_2013", "kschg", "tvg", "burlg", "1-dm-goldm_nzg" })
            data.Add(act);
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_official_sample_parses_with_a_citation_and_a_doknr_for_each_norm(string act)
    {
        var folder = SharedCorpora.Require($"corpora/official-samples/de-gii-xml/{act}");
        var path = Directory.GetFiles(folder, "BJNR*.xml").Single();
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(bytes);

        var document = await Parser.ParseAsync(new SourceFile(path, $"{act}/{Path.GetFileName(path)}", bytes), Fixtures.German(), TestContext.Current.CancellationToken);

        Assert.Equal("gii-xml", document.Format);
        Assert.Equal(Path.GetFileNameWithoutExtension(path), document.Identifier);
        Assert.NotNull(document.Abbreviation);
        Assert.All(document.Provisions, p => Assert.StartsWith(document.Abbreviation + " ", p.Citation));
        Assert.All(document.Provisions, p => Assert.StartsWith(document.Identifier!, p.Identifier));
        Assert.Equal(document.Provisions.Count, document.Provisions.Select(p => p.Key).Distinct().Count());
        // Every § and Art. norm of the file is a provision.
        var numbered = Regex.Matches(text, @"<enbez>(?:\(XXXX\)\s*)?(?:§+|Art)\s*\d").Count;
        Assert.Equal(numbered, document.Provisions.Count(p => p.Kind is ProvisionKind.Section or ProvisionKind.Article));
        // Tables survive as tables: one Markdown separator row per CALS table with text (outside the Inhaltsübersicht;
        // a table that only frames an image without alt text has nothing to keep).
        var tables = document.Provisions.Sum(p => p.Paragraphs.Sum(q => q.Text.Split('\n').Count(l => l.StartsWith("| --- |", StringComparison.Ordinal))));
        var outsideToc = Regex.Replace(text, "<TOC>.*?</TOC>", "", RegexOptions.Singleline);
        var withText = Regex.Matches(outsideToc, "<table[ >].*?</table>", RegexOptions.Singleline)
            .Count(m => Regex.Replace(m.Value, "<[^>]*>", "").Trim().Length > 0 || Regex.IsMatch(m.Value, "alt=\"[^\"]+\""));
        Assert.Equal(withText, tables);
    }

    [Fact]
    public async Task BGB_section_573_matches_the_Markdown_corpus_citation_structure_and_text()
    {
        var path = SharedCorpora.Require("corpora/official-samples/de-gii-xml/bgb/BJNR001950896.xml");
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        var stopwatch = Stopwatch.StartNew();

        var document = await Parser.ParseAsync(new SourceFile(path, "bgb/BJNR001950896.xml", bytes), Fixtures.German(), TestContext.Current.CancellationToken);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"BGB took {stopwatch.Elapsed}");
        Assert.Equal("BGB", document.Abbreviation);
        Assert.Empty(document.Aliases); // amtabk equals jurabk
        var section = Assert.Single(document.Provisions, p => p.Citation == "BGB § 573");
        Assert.Equal("Ordentliche Kündigung des Vermieters", section.Heading);
        Assert.Equal("BJNR001950896BJNE058702377", section.Identifier);
        Assert.Equal(
            ["Buch 2 - Recht der Schuldverhältnisse", "Abschnitt 8 - Einzelne Schuldverhältnisse", "Titel 5 - Mietvertrag, Pachtvertrag",
             "Untertitel 2 - Mietverhältnisse über Wohnraum", "Kapitel 5 - Beendigung des Mietverhältnisses", "Unterkapitel 2 - Mietverhältnisse auf unbestimmte Zeit"],
            section.Path);
        Assert.Equal(["1", "2", "3", "4"], section.Paragraphs.Select(p => p.Label));
        Assert.StartsWith("(2) Ein berechtigtes Interesse des Vermieters an der Beendigung des Mietverhältnisses liegt insbesondere vor, wenn\n1. der Mieter", section.Paragraphs[1].Text);
        Assert.Equal(["(+++ § 573: Zur Anwendung vgl. § 578 Abs. 3 Satz 1 +++)"], section.Notes);
        Assert.True(Assert.Single(document.Provisions, p => p.Citation == "BGB § 3").IsRepealed);
    }

    [Fact]
    public async Task EStG_tables_become_Markdown_tables()
    {
        var path = SharedCorpora.Require("corpora/official-samples/de-gii-xml/estg/BJNR010050934.xml");
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        var document = await Parser.ParseAsync(new SourceFile(path, "estg/BJNR010050934.xml", bytes), Fixtures.German(), TestContext.Current.CancellationToken);

        var tableLines = document.Provisions.SelectMany(p => p.Paragraphs).SelectMany(q => q.Text.Split('\n')).Where(l => l.StartsWith('|')).ToList();
        Assert.NotEmpty(tableLines);
        Assert.All(tableLines, l => Assert.EndsWith("|", l));
    }
}
