using System.Xml;
using System.Xml.Linq;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.DeGii;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>de-gii: a small index in the publisher's shape next to the items it must give, the per-act zip next to
/// the files it must give, the hostile variants of both, and the real index and acts from the shared samples.</summary>
public sealed class DeGiiSourceTests : IDisposable
{
    private static readonly Uri Mirror = new("http://mirror.test/gii/");
    private readonly TempDirectory _work = new("degii");
    private readonly DeGiiSource _source = new();

    public void Dispose() => _work.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Three acts, as gii-toc.xml lists them: DOCTYPE line, absolute links on the official host.</summary>
    private const string Index = """
        <?xml version="1.0" encoding="UTF-8" ?><!DOCTYPE items SYSTEM "http://www.gesetze-im-internet.de/dtd/1.0/gii-toc.dtd">

        <items>

        <item>
        <title>Bürgerliches Gesetzbuch</title>
        <link>http://www.gesetze-im-internet.de/bgb/xml.zip</link>
        </item>
        <item>
        <title>Grundgesetz für die
          Bundesrepublik Deutschland</title>
        <link>http://www.gesetze-im-internet.de/gg/xml.zip</link>
        </item>
        <item>
        <title>Straßenverkehrs-Ordnung</title>
        <link>http://www.gesetze-im-internet.de/stvo_2013/xml.zip</link>
        </item>
        </items>
        """;

    private SourceContext Context(InMemoryTransport transport, params string[] items) =>
        new(transport, new SourceSettings(Mirror, items, new Dictionary<string, string>()), _work.Path, new IngestionLimits());

    private static InMemoryTransport Serving(string index) => new InMemoryTransport().Serve(Mirror + "gii-toc.xml", index);

    [Fact]
    public async Task The_index_gives_one_act_per_item_keyed_by_slug_with_its_title_and_the_zip_on_the_configured_base()
    {
        var transport = Serving(Index);

        var items = await _source.ListAsync(Context(transport), Ct);

        Assert.Equal(
            [
                new SourceItem("bgb", new Uri("http://mirror.test/gii/bgb/xml.zip"), "Bürgerliches Gesetzbuch"),
                new SourceItem("gg", new Uri("http://mirror.test/gii/gg/xml.zip"), "Grundgesetz für die Bundesrepublik Deutschland"),
                new SourceItem("stvo_2013", new Uri("http://mirror.test/gii/stvo_2013/xml.zip"), "Straßenverkehrs-Ordnung"),
            ],
            items);
        Assert.All(items, i => Assert.True(i.IsAct));
        Assert.Equal(["http://mirror.test/gii/gii-toc.xml"], transport.Requests.Select(r => r.Url.AbsoluteUri));
    }

    [Fact]
    public async Task Items_select_slugs_in_index_order_whatever_their_case()
    {
        var items = await _source.ListAsync(Context(Serving(Index), "stvo_2013", "BGB", "bgb"), Ct);

        Assert.Equal(["bgb", "stvo_2013"], items.Select(i => i.Key));
    }

    [Fact]
    public async Task An_unknown_slug_is_an_error_naming_the_index_and_the_acts_it_probably_meant()
    {
        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(Serving(Index), "stvo", "bgbb", "zzzzzzzz"), Ct));

        Assert.Contains("http://mirror.test/gii/gii-toc.xml", error.Message);
        Assert.Contains("'stvo' (did you mean stvo_2013?)", error.Message);
        Assert.Contains("'bgbb' (did you mean bgb?)", error.Message);
        Assert.Contains("'zzzzzzzz' (nothing similar)", error.Message);
    }

    [Theory]
    [InlineData("<items><item><title>X</title><link>%2e%2e/xml.zip</link></item></items>", "not a safe folder name")]
    [InlineData("<items><item><title>X</title><link>http://www.gesetze-im-internet.de/bgb/BJNR001950896.html</link></item></items>", "not to '<act>/xml.zip'")]
    [InlineData("<items><item><title>X</title></item></items>", "item 1 ('X') has no <link>")]
    [InlineData("<items><item><link>/a/xml.zip</link></item><item><link>/a/xml.zip</link></item></items>", "item 2 repeats the act 'a'")]
    [InlineData("<items><item><link>/a/xml.zip</link></item><item><link>/A/xml.zip</link></item></items>", "item 2 repeats the act 'A'")]
    [InlineData("<dokumente doknr=\"BJNR001950896\"/>", "the root element is <dokumente>, not <items>")]
    [InlineData("<items><item><title>X</title><link>/a/xml.zip</link></item>", "not well-formed XML")]
    public async Task A_bad_index_is_refused_with_the_reason(string index, string reason)
    {
        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(Serving(index)), Ct));

        Assert.Contains("de-gii index http://mirror.test/gii/gii-toc.xml", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task An_internal_subset_in_the_index_declares_nothing_so_an_entity_bomb_stays_an_error()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE items [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <items><item><title>&c;</title><link>/a/xml.zip</link></item></items>
            """;

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(Serving(bomb)), Ct));

        Assert.Contains("not well-formed XML", error.Message);
    }

    [Fact]
    public async Task An_index_over_the_size_limit_is_refused_before_it_is_read()
    {
        var context = Context(Serving(Index)) with { Limits = new IngestionLimits { MaxFileBytes = 100 } };

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(context, Ct));

        Assert.Contains("over the limit of 100", error.Message);
    }

    [Fact]
    public async Task An_unreachable_index_is_unavailable_not_empty()
    {
        await Assert.ThrowsAsync<SourceUnavailableException>(() => _source.ListAsync(Context(new InMemoryTransport()), Ct));
    }

    private static SourceItem Item(string slug) => new(slug, new Uri(Mirror, slug + "/xml.zip"));

    [Fact]
    public async Task The_zip_gives_the_act_xml_under_its_slug_leaving_images_out_and_the_gii_parser_reads_it()
    {
        var zip = _work.File("testg.zip", GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Act), ("BJNR000000000_0010.jpg", "not law text")));

        var unpacked = await _source.UnpackAsync(Item("testg"), zip, Context(new InMemoryTransport()), Ct);

        var file = Assert.Single(unpacked.Files);
        Assert.Equal("testg/BJNR000000000.xml", file.RelativePath);
        Assert.Empty(unpacked.Removed);
        var document = await ParseAsync(file);
        Assert.Equal("gii-xml", document.Format);
        Assert.Contains("TestG § 1", document.Provisions.Select(p => p.Citation));
    }

    [Fact]
    public async Task A_zip_entry_climbing_out_of_its_folder_refuses_the_archive()
    {
        var zip = _work.File("evil.zip", GiiFixtures.Zip(("../../etc/BJNR000000000.xml", GiiFixtures.Act)));

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(Item("evil"), zip, Context(new InMemoryTransport()), Ct));

        Assert.Contains("path traversal", error.Message);
        Assert.Contains("de-gii evil (http://mirror.test/gii/evil/xml.zip)", error.Message);
    }

    [Fact]
    public async Task A_truncated_zip_is_bad_content_naming_the_act()
    {
        var whole = GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Act));
        var zip = _work.File("cut.zip", whole[..(whole.Length / 2)]);

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(Item("cut"), zip, Context(new InMemoryTransport()), Ct));

        Assert.Contains("de-gii cut", error.Message);
    }

    [Fact]
    public async Task A_zip_without_xml_is_bad_content()
    {
        var zip = _work.File("empty.zip", GiiFixtures.Zip(("readme.txt", "nothing")));

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(Item("empty"), zip, Context(new InMemoryTransport()), Ct));

        Assert.Contains("holds no XML file", error.Message);
    }

    [Theory]
    [InlineData("<items/>", "is not a Gesetze im Internet act (the root element is <items>, not <dokumente>)")]
    [InlineData("<dokumente><norm>", "is not well-formed XML")]
    public async Task An_xml_entry_that_is_not_a_whole_act_is_bad_content_naming_the_entry(string xml, string reason)
    {
        var zip = _work.File("odd.zip", GiiFixtures.Zip(("BJNR000000000.xml", xml)));

        var error = await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(Item("odd"), zip, Context(new InMemoryTransport()), Ct));

        Assert.Contains("de-gii odd (http://mirror.test/gii/odd/xml.zip): entry 'BJNR000000000.xml'", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task A_key_that_is_not_a_folder_name_is_refused_before_the_zip_is_opened()
    {
        var zip = _work.File("x.zip", GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Act)));

        await Assert.ThrowsAsync<SourceContentException>(() => _source.UnpackAsync(Item(".."), zip, Context(new InMemoryTransport()), Ct));
    }

    [Fact]
    public async Task A_wget_mirror_of_the_official_site_carried_into_an_air_gapped_network_fetches_like_the_server()
    {
        _work.File("mirror/www.gesetze-im-internet.de/gii-toc.xml", GiiFixtures.Index("testg"));
        _work.File("mirror/www.gesetze-im-internet.de/testg/xml.zip", GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Act)));
        var context = new SourceContext(new FolderSourceTransport(Path.Combine(_work.Path, "mirror")),
            new SourceSettings(new Uri("https://www.gesetze-im-internet.de/"), [], new Dictionary<string, string>()), Path.Combine(_work.Path, "work"), new IngestionLimits());
        var fetcher = new SourceFetcher(_source);

        var first = await fetcher.FetchAsync(new FetchRequest("de-gii", Path.Combine(_work.Path, "corpus")), context, null, Ct);
        var again = await fetcher.FetchAsync(new FetchRequest("de-gii", Path.Combine(_work.Path, "corpus")), context, null, Ct);

        Assert.Equal(["testg:Added"], first.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal("https://www.gesetze-im-internet.de/testg/xml.zip", first.Origins["testg/BJNR000000000.xml"].SourceUrl);
        Assert.Empty(again.Changes);
        Assert.Equal(1, again.Unchanged);
    }

    // --- The real index and acts (../shared) ---

    private const string Samples = "corpora/official-samples/de-gii-xml";

    [Fact]
    public async Task The_real_index_gives_one_item_per_item_element_and_lists_every_sample_act()
    {
        var toc = SharedCorpora.Require($"{Samples}/gii-toc.xml");
        var sampleSlugs = Directory.GetDirectories(Path.GetDirectoryName(toc)!).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var transport = new InMemoryTransport().Serve(Mirror + "gii-toc.xml", await File.ReadAllBytesAsync(toc, Ct));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var all = await _source.ListAsync(Context(transport), Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"gii-toc.xml: {all.Count:N0} items listed in {watch.Elapsed.TotalMilliseconds:F0} ms");
        var samples = await _source.ListAsync(Context(transport, [.. sampleSlugs]), Ct);

        // Counted independently: every <item> element of the file, read as a whole document.
        using var reader = XmlReader.Create(toc, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
        var itemElements = XDocument.Load(reader).Descendants("item").Count();
        Assert.Equal(itemElements, all.Count);
        Assert.Equal(all.Count, all.Select(i => i.Key).Distinct().Count());
        Assert.All(all, i => Assert.Equal(new Uri(Mirror, i.Key + "/xml.zip"), i.Url));
        Assert.NotEmpty(sampleSlugs);
        Assert.Equal(sampleSlugs, samples.Select(i => i.Key).Order(StringComparer.Ordinal));
        Assert.All(samples, i => Assert.False(string.IsNullOrWhiteSpace(i.Title)));
    }

    [Fact]
    public async Task The_sample_acts_served_as_their_official_zips_unpack_to_files_the_gii_parser_reads()
    {
        var toc = SharedCorpora.Require($"{Samples}/gii-toc.xml");
        var folder = Path.GetDirectoryName(toc)!;
        var transport = new InMemoryTransport().Serve(Mirror + "gii-toc.xml", await File.ReadAllBytesAsync(toc, Ct));
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var actFolder in Directory.GetDirectories(folder))
        {
            var slug = Path.GetFileName(actFolder);
            var xml = Assert.Single(Directory.GetFiles(actFolder, "BJNR*.xml"));
            transport.Serve(new Uri(Mirror, slug + "/xml.zip").AbsoluteUri, GiiFixtures.Zip((Path.GetFileName(xml), await File.ReadAllBytesAsync(xml, Ct))));
            expected[slug] = $"{slug}/{Path.GetFileName(xml)}";
        }
        var context = Context(transport, [.. expected.Keys]);

        var items = await _source.ListAsync(context, Ct);
        foreach (var item in items)
        {
            var download = Path.Combine(_work.Path, "downloads", item.Key + ".zip");
            await transport.DownloadAsync(new DownloadRequest(item.Url, download), Ct);
            var unpacked = await _source.UnpackAsync(item, download, context, Ct);

            var file = Assert.Single(unpacked.Files);
            Assert.Equal(expected[item.Key], file.RelativePath);
            var document = await ParseAsync(file);
            Assert.Equal("gii-xml", document.Format);
            Assert.NotEmpty(document.Provisions);
        }
        Assert.Equal(expected.Count, items.Count);
    }

    private static async Task<Core.Domain.LegalDocument> ParseAsync(UnpackedFile file)
    {
        var source = new SourceFile("/unpacked/" + file.RelativePath, file.RelativePath, file.Content);
        var parser = new ParserRegistry([new XmlParser()]).Find(source);
        Assert.NotNull(parser);
        return await parser.ParseAsync(source, new ParseContext("de-gii", "de", null, null, new IngestionLimits()), Ct);
    }
}
