using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.DeGii;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using LegalRag.TestSupport.Replay;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>de-gii end to end: the fetcher, the HTTP transport and the connector against a loopback server that serves
/// the index and the per-act zips under the official paths (test-made acts, and the real samples from ../shared).</summary>
public sealed class DeGiiReplayTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _folder = new("degii-replay");
    private readonly HttpSourceTransport _transport = new(new SourceTransportOptions { RequestsPerHostInterval = TimeSpan.Zero, RetryDelay = TimeSpan.Zero, MaxAttempts = 2 });
    private ReplayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ReplayServer.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _transport.Dispose();
        _folder.Dispose();
    }

    private Task<FetchReport> FetchAsync(params string[] items) =>
        new SourceFetcher(new DeGiiSource()).FetchAsync(
            new FetchRequest("de-gii", _folder.Path),
            new SourceContext(_transport, new SourceSettings(_server.BaseUrl, items, new Dictionary<string, string>()), Path.Combine(_folder.Path, "work"), new IngestionLimits()),
            null, Ct);

    private string FilePath(string relative) => Path.Combine(_folder.Path, "files", relative);

    private static string Changes(FetchReport report) => string.Join(" ", report.Changes.Select(c => $"{c.Key}:{c.Kind}"));

    [Fact]
    public async Task Fetch_and_update_take_only_changed_acts_keep_a_broken_one_as_it_was_and_close_a_withdrawn_one()
    {
        _server.Serve("/gii-toc.xml", GiiFixtures.Index("testg", "otherg", "thirdg"));
        foreach (var slug in new[] { "testg", "otherg", "thirdg" })
            _server.Serve($"/{slug}/xml.zip", GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Amended($"(1) {slug} gilt."))));

        var first = await FetchAsync();

        Assert.Equal("testg:Added otherg:Added thirdg:Added", Changes(first));
        Assert.Empty(first.Failures);
        Assert.Contains("(1) otherg gilt.", await File.ReadAllTextAsync(FilePath("otherg/BJNR000000000.xml"), Ct));
        Assert.Equal(new Uri(_server.BaseUrl, "testg/xml.zip").AbsoluteUri, first.Origins["testg/BJNR000000000.xml"].SourceUrl);

        // otherg is amended; thirdg's new zip arrives whole over HTTP but is itself cut off; testg is as it was.
        _server.Serve("/otherg/xml.zip", GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Amended("(1) otherg gilt, geändert."))));
        var cut = GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Amended("(1) thirdg gilt, geändert.")));
        _server.Serve("/thirdg/xml.zip", cut[..(cut.Length / 2)]);
        var before = _server.Requests.Count;

        var update = await FetchAsync();

        Assert.Equal("otherg:Changed", Changes(update));
        Assert.Equal(1, update.Unchanged);
        Assert.Contains(_server.Requests.Skip(before), r => r is { Path: "/testg/xml.zip", Status: 304 });
        var failure = Assert.Single(update.Failures);
        Assert.Equal("thirdg", failure.Key);
        Assert.Contains("not a readable zip archive", failure.Reason);
        Assert.Contains("(1) otherg gilt, geändert.", await File.ReadAllTextAsync(FilePath("otherg/BJNR000000000.xml"), Ct));
        Assert.Contains("(1) thirdg gilt.", await File.ReadAllTextAsync(FilePath("thirdg/BJNR000000000.xml"), Ct));

        // thirdg is withdrawn from the index: closed, its file out of the corpus folder.
        _server.Serve("/gii-toc.xml", GiiFixtures.Index("testg", "otherg"));

        var withdrawn = await FetchAsync();

        Assert.Equal("thirdg:Closed", Changes(withdrawn));
        Assert.Equal(["thirdg/BJNR000000000.xml"], withdrawn.ClosedFiles);
        Assert.False(File.Exists(FilePath("thirdg/BJNR000000000.xml")));
    }

    [Fact]
    public async Task An_index_the_server_fails_to_give_changes_nothing()
    {
        _server.Serve("/gii-toc.xml", GiiFixtures.Index("testg")).Serve("/testg/xml.zip", GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Act)));
        await FetchAsync();
        var state = await File.ReadAllBytesAsync(Path.Combine(_folder.Path, FetchState.FileName), Ct);
        _server.Serve("/gii-toc.xml", GiiFixtures.Index()).Fail("/gii-toc.xml", 500);

        await Assert.ThrowsAsync<SourceUnavailableException>(() => FetchAsync());

        Assert.Equal(state, await File.ReadAllBytesAsync(Path.Combine(_folder.Path, FetchState.FileName), Ct));
        Assert.True(File.Exists(FilePath("testg/BJNR000000000.xml")));
    }

    [Fact]
    public async Task A_zip_cut_off_in_transfer_is_resumed_and_unpacked_whole()
    {
        var zip = GiiFixtures.Zip(("BJNR000000000.xml", GiiFixtures.Act));
        _server.Serve("/gii-toc.xml", GiiFixtures.Index("testg")).Serve("/testg/xml.zip", zip).Truncate("/testg/xml.zip", zip.Length / 3);

        var report = await FetchAsync();

        Assert.Equal("testg:Added", Changes(report));
        Assert.Contains(_server.Requests, r => r is { Path: "/testg/xml.zip", Range: not null });
        Assert.Equal(GiiFixtures.Act, await File.ReadAllTextAsync(FilePath("testg/BJNR000000000.xml"), Ct));
    }

    [Fact]
    public async Task The_real_index_and_sample_acts_served_under_the_official_paths_fetch_parse_and_then_answer_not_modified()
    {
        var toc = SharedCorpora.Require("corpora/official-samples/de-gii-xml/gii-toc.xml");
        _server.Serve("/gii-toc.xml", await File.ReadAllBytesAsync(toc, Ct));
        var slugs = new List<string>();
        foreach (var folder in Directory.GetDirectories(Path.GetDirectoryName(toc)!))
        {
            var xml = Assert.Single(Directory.GetFiles(folder, "BJNR*.xml"));
            var slug = Path.GetFileName(folder);
            _server.Serve($"/{slug}/xml.zip", GiiFixtures.Zip((Path.GetFileName(xml), await File.ReadAllBytesAsync(xml, Ct))));
            slugs.Add(slug);
        }

        var first = await FetchAsync([.. slugs]);

        Assert.Empty(first.Failures);
        Assert.Equal(slugs.Order(StringComparer.Ordinal), first.Changes.Where(c => c.Kind == ChangeKind.Added).Select(c => c.Key).Order(StringComparer.Ordinal));
        var parser = new XmlParser();
        foreach (var path in first.Origins.Keys)
        {
            var file = new SourceFile(FilePath(path), path, await File.ReadAllBytesAsync(FilePath(path), Ct));
            var document = await parser.ParseAsync(file, new ParseContext("de-gii", "de", null, null, new IngestionLimits()), Ct);
            Assert.Equal("gii-xml", document.Format);
            Assert.NotEmpty(document.Provisions);
        }
        Assert.Equal(slugs.Count, first.Origins.Count);

        var before = _server.Requests.Count;
        var second = await FetchAsync([.. slugs]);

        Assert.Empty(second.Changes);
        Assert.Equal(slugs.Count, second.Unchanged);
        Assert.All(_server.Requests.Skip(before).Where(r => r.Path.EndsWith("/xml.zip", StringComparison.Ordinal)), r => Assert.Equal(304, r.Status));
    }
}
