using System.IO.Compression;
using System.Text;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.EuEurLex;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>The eu-eurlex connector: CELEX/ELI → Cellar request with Formex headers → the act's Formex files.</summary>
public sealed class EuEurLexSourceTests : IDisposable
{
    private const string Base = "http://publications.europa.eu/";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "eurlex-tests-" + Guid.NewGuid().ToString("N"));
    private readonly EuEurLexSource _source = new();

    public EuEurLexSourceTests() => Directory.CreateDirectory(_work);

    public void Dispose()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SourceContext Context(IReadOnlyList<string> items, string? language = "DEU", ISourceTransport? transport = null) =>
        new(transport ?? new InMemoryTransport(), new SourceSettings(new Uri(Base), items,
            language is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["language"] = language }), _work, new IngestionLimits());

    [Fact]
    public async Task Items_are_CELEX_numbers_or_ELIs_asked_of_Cellar_with_the_Formex_package_headers()
    {
        // manifest item                               → key, Cellar address
        (string Item, string Key, string Url)[] spec =
        [
            ("32016R0679",                                "32016R0679",      Base + "resource/celex/32016R0679"),
            ("eli/reg/2016/679/oj",                       "32016R0679",      Base + "resource/celex/32016R0679"), // the same act: once
            ("http://data.europa.eu/eli/dir/2016/680/oj", "32016L0680",      Base + "resource/celex/32016L0680"),
            ("eli/dir/1995/46/oj",                        "31995L0046",      Base + "resource/celex/31995L0046"),
            ("32016r0679R(02)",                           "32016R0679R(02)", Base + "resource/celex/32016R0679R%2802%29"),
        ];

        var items = await _source.ListAsync(Context(spec.Select(s => s.Item).ToList()), Ct);

        Assert.Equal(spec.DistinctBy(s => s.Key).Select(s => (s.Key, s.Url)), items.Select(i => (i.Key, i.Url.AbsoluteUri)));
        Assert.All(items, i =>
        {
            Assert.True(i.IsAct);
            Assert.Equal("application/zip;mtype=fmx4", i.Headers!["Accept"]);
            Assert.Equal("deu", i.Headers["Accept-Language"]);
        });
    }

    [Theory]
    [InlineData("DEU", "deu")]
    [InlineData("de", "deu")]
    [InlineData("en", "eng")]
    [InlineData("FRA", "fra")]
    [InlineData(null, "deu")]
    public void The_language_option_becomes_Cellars_three_letter_code(string? option, string expected) =>
        Assert.Equal(expected, EuEurLexSource.CellarLanguage(option));

    [Fact]
    public async Task A_bad_language_or_item_is_refused_naming_it()
    {
        Assert.Contains("'klingon'", (await Assert.ThrowsAsync<ArgumentException>(() => _source.ListAsync(Context(["32016R0679"], "klingon"), Ct))).Message);
        Assert.Contains("'../32016R0679'", (await Assert.ThrowsAsync<ArgumentException>(() => _source.ListAsync(Context(["../32016R0679"]), Ct))).Message);
        Assert.Contains("'treaty'", (await Assert.ThrowsAsync<ArgumentException>(() => _source.ListAsync(Context(["eli/treaty/2016/1/oj"]), Ct))).Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _source.ListAsync(Context([]), Ct));
    }

    // A Formex act as the Official Journal ships it, cut down to one article.
    private const string Act = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ACT>
          <BIB.INSTANCE><DOCUMENT.REF FILE="L_2099001DE.01000101.doc.xml"/><PAGE.FIRST>1</PAGE.FIRST></BIB.INSTANCE>
          <TITLE><TI><P>Verordnung (EU) 2099/1 zum Schutz von Testdaten (Testschutz-Grundverordnung)</P></TI></TITLE>
          <ENACTING.TERMS>
            <ARTICLE IDENTIFIER="001">
              <TI.ART>Artikel 1</TI.ART>
              <PARAG IDENTIFIER="001.001"><NO.PARAG>(1)</NO.PARAG><ALINEA>Diese Verordnung gilt für Testdaten.</ALINEA></PARAG>
            </ARTICLE>
          </ENACTING.TERMS>
        </ACT>
        """;

    // The package's description of the document, naming its parts.
    private const string Doc = """
        <DOC><BIB.DOC><NO.CELEX>32099R0001</NO.CELEX></BIB.DOC>
          <FMX><DOC.MAIN.PUB><REF.PHYS FILE="L_2099001DE.01000101.xml" TYPE="DOC.XML"/></DOC.MAIN.PUB>
          <DOC.SUB.PUB><REF.PHYS FILE="L_2099001DE.01000501.xml" TYPE="DOC.XML"/></DOC.SUB.PUB></FMX></DOC>
        """;

    private const string Annex = """
        <ANNEX><BIB.INSTANCE><PAGE.FIRST>5</PAGE.FIRST></BIB.INSTANCE><TITLE><TI><P>ANHANG</P></TI></TITLE>
          <CONTENTS><P>Liste der Testdaten.</P></CONTENTS></ANNEX>
        """;

    private string Zip(params (string Name, string Content)[] entries) => Zip(entries.Select(e => (e.Name, Encoding.UTF8.GetBytes(e.Content))).ToArray());

    private string Zip(params (string Name, byte[] Content)[] entries)
    {
        var path = Path.Combine(_work, Guid.NewGuid().ToString("N") + ".zip");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(content);
        }
        return path;
    }

    private async Task<SourceItem> Item(string celex) => Assert.Single(await _source.ListAsync(Context([celex]), Ct));

    [Fact]
    public async Task Of_a_Formex_package_only_the_act_is_kept_under_its_CELEX_and_it_parses()
    {
        var item = await Item("32099R0001");
        var package = Zip(("L_2099001DE.01000101.doc.xml", Doc), ("L_2099001DE.01000101.xml", Act), ("L_2099001DE.01000501.xml", Annex),
            ("L_2099001DE.toc.xml", "<TOC><ITEM.TOC/></TOC>"), ("L_2099001DE.01000101.tif", "II*"));

        var unpacked = await _source.UnpackAsync(item, package, Context(["32099R0001"]), Ct);

        var file = Assert.Single(unpacked.Files);
        Assert.Equal("32099R0001/L_2099001DE.01000101.xml", file.RelativePath);
        var document = await new XmlParser().ParseAsync(new SourceFile("/in-memory/" + file.RelativePath, file.RelativePath, file.Content),
            new ParseContext("eu-eurlex", "de", null, null, new IngestionLimits()), Ct);
        var article = Assert.Single(document.Provisions, p => p.Kind == ProvisionKind.Article);
        Assert.Contains("Diese Verordnung gilt für Testdaten.", article.Text);
    }

    [Fact]
    public async Task A_single_Formex_file_instead_of_a_package_is_kept_too()
    {
        var item = await Item("32099R0001");
        var path = Path.Combine(_work, "act.xml");
        await File.WriteAllTextAsync(path, Act, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), Ct);

        var unpacked = await _source.UnpackAsync(item, path, Context(["32099R0001"]), Ct);

        Assert.Equal(["32099R0001/32099R0001.xml"], unpacked.Files.Select(f => f.RelativePath));
    }

    [Fact]
    public async Task A_package_with_nothing_readable_or_a_broken_one_is_bad_content_naming_the_CELEX_and_why()
    {
        var item = await Item("32099R0001");
        var context = Context(["32099R0001"]);

        var onlyDescription = await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(item, Zip(("L_2099001DE.01000101.doc.xml", Doc), ("L_2099001DE.01000501.xml", Annex)), context, Ct));
        Assert.StartsWith($"eu-eurlex 32099R0001 ({item.Url})", onlyDescription.Message);
        Assert.Contains("holds no act", onlyDescription.Message);
        Assert.Contains("L_2099001DE.01000501.xml (ANNEX)", onlyDescription.Message);
        Assert.Contains("L_2099001DE.01000101.doc.xml (a description", onlyDescription.Message);

        var whole = await File.ReadAllBytesAsync(Zip(("L_2099001DE.01000101.xml", Act)), Ct);
        var truncated = Path.Combine(_work, "truncated.zip");
        await File.WriteAllBytesAsync(truncated, whole[..(whole.Length / 2)], Ct);
        Assert.Contains("not a readable zip", (await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(item, truncated, context, Ct))).Message);

        var climbing = Zip(("../../etc/L_2099001DE.01000101.xml", Act));
        Assert.Contains("path traversal", (await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(item, climbing, context, Ct))).Message);

        var page = Path.Combine(_work, "page.bin");
        await File.WriteAllTextAsync(page, "%PDF-1.7 not a package", Ct);
        Assert.Contains("neither a zip nor XML", (await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(item, page, context, Ct))).Message);
    }

    [Fact]
    public async Task Through_the_fetcher_the_package_is_asked_for_with_its_headers_and_an_unchanged_one_is_not_unpacked_again()
    {
        var package = await File.ReadAllBytesAsync(Zip(("L_2099001DE.01000101.doc.xml", Doc), ("L_2099001DE.01000101.xml", Act)), Ct);
        var transport = new InMemoryTransport().Serve(Base + "resource/celex/32099R0001", package);
        var context = Context(["32099R0001"], "fr", transport);
        var request = new FetchRequest("eu-eurlex", Path.Combine(_work, "corpus"));

        var first = await new SourceFetcher(_source).FetchAsync(request, context, null, Ct);
        var second = await new SourceFetcher(_source).FetchAsync(request, context, null, Ct);

        Assert.Equal(["32099R0001:Added"], first.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.True(File.Exists(Path.Combine(request.FilesFolder, "32099R0001", "L_2099001DE.01000101.xml")));
        Assert.Empty(second.Changes);
        Assert.Equal(1, second.Unchanged);
        Assert.All(transport.Requests, r => Assert.Equal(("application/zip;mtype=fmx4", "fra"), (r.Headers!["Accept"], r.Headers["Accept-Language"])));
        Assert.NotNull(transport.Requests[1].ETag);
    }

    [Fact]
    public async Task The_GDPR_package_from_the_real_Formex_goes_through_listing_download_and_unpacking_to_99_articles()
    {
        var act = await File.ReadAllBytesAsync(SharedData.RequirePath("corpora/official-samples/eu/GDPR_DE_Formex_OJ_L_2016_119_L_2016119DE.01000101.xml"), Ct);
        // The package Cellar answers for 32016R0679: the act and its description (whose content does not matter here).
        var package = await File.ReadAllBytesAsync(Zip(("L_2016119DE.01000101.doc.xml", Encoding.UTF8.GetBytes(Doc)), ("L_2016119DE.01000101.xml", act)), Ct);
        var transport = new InMemoryTransport().Serve(Base + "resource/celex/32016R0679", package);
        var context = Context(["eli/reg/2016/679/oj"], "de", transport);

        var item = Assert.Single(await _source.ListAsync(context, Ct));
        var download = Path.Combine(_work, "32016R0679.download");
        await transport.DownloadAsync(new DownloadRequest(item.Url, download, Headers: item.Headers), Ct);
        var unpacked = await _source.UnpackAsync(item, download, context, Ct);

        var file = Assert.Single(unpacked.Files);
        Assert.Equal("32016R0679/L_2016119DE.01000101.xml", file.RelativePath);
        Assert.Equal(act, file.Content);
        var document = await new XmlParser().ParseAsync(new SourceFile("/in-memory/" + file.RelativePath, file.RelativePath, file.Content),
            new ParseContext("eu-eurlex", "de", null, null, new IngestionLimits()), Ct);
        Assert.Equal("DSGVO", document.Abbreviation);
        Assert.Equal(99, document.Provisions.Count(p => p.Kind == ProvisionKind.Article));
    }
}
