using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using Xunit;

namespace LegalRag.Ingestion.Tests.Legi;

/// <summary>Légifrance LEGI XML: a small article file next to the structure it must give.</summary>
public sealed class LegiXmlTests
{
    private static readonly XmlParser Parser = new();

    private static Task<LegalDocument> ParseAsync(string xml, string name = "LEGIARTI000000000001.xml", ParseContext? context = null) =>
        Parser.ParseAsync(Fixtures.File(name, xml), context ?? French(), TestContext.Current.CancellationToken);

    private static ParseContext French() => new("fr-legi", "fr", null, null, new IngestionLimits());

    private const string Article = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ARTICLE>
          <META>
            <META_COMMUN><ID>LEGIARTI000000000001</ID><ORIGINE>LEGI</ORIGINE><NATURE>Article</NATURE></META_COMMUN>
            <META_SPEC><META_ARTICLE><NUM>1240</NUM><ETAT>VIGUEUR</ETAT><DATE_DEBUT>2016-10-01</DATE_DEBUT><DATE_FIN>2999-01-01</DATE_FIN></META_ARTICLE></META_SPEC>
          </META>
          <CONTEXTE>
            <TEXTE cid="LEGITEXT000006070721" nature="CODE">
              <TITRE_TXT c_titre_court="Code civil" debut="1803-03-15" fin="2999-01-01" id_txt="LEGITEXT000006070721">Code civil</TITRE_TXT>
              <TM>
                <TITRE_TM debut="1803-03-21" fin="2999-01-01" id="LEGISCTA000006118032">Livre III : Des différentes manières dont on acquiert la propriété</TITRE_TM>
                <TM>
                  <TITRE_TM debut="1803-01-01" fin="2016-10-01" id="LEGISCTA000000000001">Titre IV : Des engagements qui se forment sans convention</TITRE_TM>
                  <TITRE_TM debut="2016-10-01" fin="2999-01-01" id="LEGISCTA000032021488">Titre III : Des sources d'obligations</TITRE_TM>
                </TM>
              </TM>
            </TEXTE>
          </CONTEXTE>
          <VERSIONS><VERSION etat="VIGUEUR"><LIEN_ART debut="2016-10-01" etat="VIGUEUR" fin="2999-01-01" id="LEGIARTI000000000001" num="1240"/></VERSION></VERSIONS>
          <NOTA><CONTENU><p>Conformément à l'article 9 de l'ordonnance, ces dispositions entrent en vigueur le 1er octobre 2016.</p></CONTENU></NOTA>
          <BLOC_TEXTUEL><CONTENU>
            Tout fait quelconque de l'homme, qui cause à autrui un dommage,<br/>oblige celui par la faute duquel il est arrivé à le réparer.<br/>
            <table><thead><tr><td>Taux</td><td>Montant | net</td></tr></thead>
              <tbody><tr><td><p>1<sup>er</sup> palier</p></td><td>10 %</td></tr><tr><td colspan="2">Néant</td></tr></tbody></table>
          </CONTENU></BLOC_TEXTUEL>
          <LIENS>
            <LIEN cidtexte="JORFTEXT000032004939" sens="source" typelien="MODIFICATION">Ordonnance n°2016-131 du 10 février 2016 - art. 2</LIEN>
          </LIENS>
        </ARTICLE>
        """;

    [Fact]
    public async Task An_article_file_is_one_document_of_its_code_with_ids_dates_path_notes_and_a_pipe_table()
    {
        var document = await ParseAsync(Article);

        Assert.Equal("legi-xml", document.Format);
        Assert.Equal("fr", document.Language);
        Assert.Equal("Code civil", document.Title);
        Assert.Equal("LEGITEXT000006070721", document.Identifier);
        var p = Assert.Single(document.Provisions);
        Assert.Equal("""
            key: fr-legi/code-civil/a1240
            citation: Code civil, art. 1240
            kind: Article | number: 1240 | id: LEGIARTI000000000001 | valid: 2016-10-01 – open | repealed: False
            path: Livre III : Des différentes manières dont on acquiert la propriété › Titre III : Des sources d'obligations
            text:
            Tout fait quelconque de l'homme, qui cause à autrui un dommage,
            oblige celui par la faute duquel il est arrivé à le réparer.
            | Taux | Montant \| net |
            | --- | --- |
            | 1er palier | 10 % |
            | Néant |  |
            notes:
            Nota : Conformément à l'article 9 de l'ordonnance, ces dispositions entrent en vigueur le 1er octobre 2016.
            Modifié par : Ordonnance n°2016-131 du 10 février 2016 - art. 2
            """.ReplaceLineEndings("\n"), Describe(p));
    }

    [Fact]
    public async Task Citations_resolve_to_the_article_as_in_the_Markdown_Code_civil()
    {
        var index = new CitationIndex();
        index.Add(await ParseAsync(Article));
        Assert.True(CitationParser.TryParse("Code civil, art. 1240", out var reference));
        Assert.Equal(["fr-legi/code-civil/a1240"], index.Resolve(reference));
    }

    [Fact]
    public async Task A_repealed_version_is_marked_and_a_superseded_one_is_keyed_by_its_start()
    {
        var repealed = await ParseAsync(Article.Replace("<ETAT>VIGUEUR</ETAT>", "<ETAT>ABROGE</ETAT>").Replace("<DATE_FIN>2999-01-01</DATE_FIN>", "<DATE_FIN>2020-01-01</DATE_FIN>"));
        var p = Assert.Single(repealed.Provisions);
        Assert.True(p.IsRepealed);
        Assert.Equal(new DateOnly(2020, 1, 1), p.ValidTo);
        Assert.Equal("fr-legi/code-civil/a1240", p.Key);

        var superseded = await ParseAsync(Article.Replace("<ETAT>VIGUEUR</ETAT>", "<ETAT>MODIFIE</ETAT>"));
        Assert.Equal("fr-legi/code-civil/a1240@2016-10-01", superseded.Provisions[0].Key);
        Assert.False(superseded.Provisions[0].IsRepealed);
    }

    [Fact]
    public async Task An_annex_is_cited_as_an_annex()
    {
        var document = await ParseAsync(Article.Replace("<NUM>1240</NUM>", "<NUM>Annexe 2-4</NUM>"));
        Assert.Equal("Code civil, annexe 2-4", document.Provisions[0].Citation);
        Assert.Equal(ProvisionKind.Annex, document.Provisions[0].Kind);
    }

    [Fact]
    public async Task Tables_of_contents_are_refused_with_the_reason_and_a_bad_date_names_the_field()
    {
        const string section = """
            <SECTION_TA><ID>LEGISCTA000006135575</ID><TITRE_TA>Paragraphe II</TITRE_TA><STRUCTURE_TA/></SECTION_TA>
            """;
        var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(section, "LEGISCTA000006135575.xml"));
        Assert.Contains("holds no text", refused.Message);

        var bad = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(Article.Replace("2016-10-01</DATE_DEBUT>", "1er octobre</DATE_DEBUT>")));
        Assert.Contains("DATE_DEBUT", bad.Message);
        Assert.Contains("LEGIARTI000000000001", bad.Message);
    }

    [Fact]
    public async Task A_text_version_with_visas_becomes_a_document_of_them_and_an_empty_one_is_refused()
    {
        const string version = """
            <TEXTE_VERSION>
              <META>
                <META_COMMUN><ID>LEGITEXT000006068624</ID><NATURE>LOI</NATURE></META_COMMUN>
                <META_SPEC>
                  <META_TEXTE_CHRONICLE><CID>JORFTEXT000000886460</CID></META_TEXTE_CHRONICLE>
                  <META_TEXTE_VERSION>
                    <TITRE>Loi n° 78-17 du 6 janvier 1978</TITRE>
                    <TITREFULL>Loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés</TITREFULL>
                    <DATE_DEBUT>2019-06-01</DATE_DEBUT><DATE_FIN>2999-01-01</DATE_FIN>
                  </META_TEXTE_VERSION>
                </META_SPEC>
              </META>
              <VISAS><CONTENU>L'Assemblée nationale et le Sénat ont adopté,<br/>Le Président de la République promulgue la loi dont la teneur suit :</CONTENU></VISAS>
              <SIGNATAIRES><CONTENU/></SIGNATAIRES>
            </TEXTE_VERSION>
            """;
        var document = await ParseAsync(version, "LEGITEXT000006068624.xml");
        Assert.Equal("Loi n° 78-17 du 6 janvier 1978", document.Title);
        Assert.Equal(["Loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux libertés"], document.Aliases);
        Assert.Equal("JORFTEXT000000886460", document.Identifier);
        Assert.Equal(new DateOnly(2019, 6, 1), document.ValidFrom);
        Assert.Null(document.ValidTo);
        var visas = Assert.Single(document.Provisions);
        Assert.Equal(ProvisionKind.Preamble, visas.Kind);
        Assert.Equal("Loi n° 78-17 du 6 janvier 1978, visas", visas.Citation);
        Assert.Equal("L'Assemblée nationale et le Sénat ont adopté,\nLe Président de la République promulgue la loi dont la teneur suit :", visas.Text);

        var empty = await Assert.ThrowsAsync<DocumentRejectedException>(() => ParseAsync(version.Replace("<VISAS><CONTENU>", "<VISAS><CONTENU/><X>").Replace("suit :</CONTENU></VISAS>", "suit :</X></VISAS>"), "LEGITEXT000006068624.xml"));
        Assert.Contains("holds only the text's title and dates", empty.Message);
    }

    [Fact]
    public async Task Every_real_LEGI_sample_is_recognised_and_its_articles_parse()
    {
        var folder = SharedCorpora.Require("corpora/official-samples/fr-legi-xml");
        var files = Directory.GetFiles(folder, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        var articles = 0;
        foreach (var path in files)
        {
            var source = new SourceFile(path, Path.GetRelativePath(folder, path), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
            if (!Path.GetFileName(path).StartsWith("LEGIARTI", StringComparison.Ordinal))
            {
                // Structure, section and an empty code version record: refused as text-less, never read as generic XML.
                var refused = await Assert.ThrowsAsync<DocumentRejectedException>(() => Parser.ParseAsync(source, French(), TestContext.Current.CancellationToken));
                Assert.Contains("LEGI", refused.Message);
                continue;
            }
            var document = await Parser.ParseAsync(source, French(), TestContext.Current.CancellationToken);
            articles++;
            Assert.Equal("legi-xml", document.Format);
            Assert.StartsWith("LEGITEXT", document.Identifier);
            var p = Assert.Single(document.Provisions);
            Assert.Equal(Path.GetFileNameWithoutExtension(path), p.Identifier);
            Assert.NotNull(p.ValidFrom);
            Assert.NotNull(p.ValidTo);
            Assert.NotEmpty(p.Path);
            Assert.NotEmpty(p.Notes);
        }
        Assert.Equal(2, articles);
    }

    [Fact]
    public async Task The_real_annex_keeps_its_three_tables_as_pipe_tables()
    {
        var path = SharedCorpora.Require("corpora/official-samples/fr-legi-xml/article/LEGIARTI000019325262.xml");
        var document = await Parser.ParseAsync(new SourceFile(path, "article/LEGIARTI000019325262.xml", await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)),
            French(), TestContext.Current.CancellationToken);
        var p = Assert.Single(document.Provisions);
        Assert.Equal("Code de l'action sociale et des familles, annexe 2-4", p.Citation);
        Assert.Equal(ProvisionKind.Annex, p.Kind);
        Assert.False(p.IsRepealed);
        Assert.Equal(new DateOnly(2004, 10, 26), p.ValidFrom);
        Assert.Equal(new DateOnly(2007, 11, 9), p.ValidTo);
        // A superseded version (ETAT MODIFIE): kept beside the version in force.
        Assert.EndsWith("/anl2-4@2004-10-26", p.Key);
        var separators = p.Text.Split('\n').Count(line => line.StartsWith("| --- |", StringComparison.Ordinal));
        Assert.Equal(3, separators);
        Assert.Contains("| 20 à 39 dB |", p.Text);
    }

    internal static string Describe(Provision p) => string.Join("\n",
    [
        $"key: {p.Key}",
        $"citation: {p.Citation}",
        $"kind: {p.Kind} | number: {p.Number} | id: {p.Identifier} | valid: {p.ValidFrom:yyyy-MM-dd} – {(p.ValidTo is { } to ? to.ToString("yyyy-MM-dd") : "open")} | repealed: {p.IsRepealed}",
        $"path: {p.PathDisplay}",
        "text:",
        p.Text,
        "notes:",
        .. p.Notes,
    ]);
}
