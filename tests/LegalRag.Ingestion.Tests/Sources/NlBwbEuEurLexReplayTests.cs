using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.EuEurLex;
using LegalRag.Ingestion.Sources.NlBwb;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using LegalRag.TestSupport.Replay;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>
/// nl-bwb and eu-eurlex end to end over HTTP: the fetcher and the HTTP transport against the replay server on
/// loopback, which serves the publishers' files under their official paths (the real samples from ../shared, and
/// test-made ones that need no ../shared), with ETags, a 304, a 500 and a cut-off body.
/// </summary>
public sealed class NlBwbEuEurLexReplayTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly SourceTransportOptions Quick = new() { RequestsPerHostInterval = TimeSpan.Zero, RetryDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(10), MaxAttempts = 2 };

    private readonly TempDirectory _temp = new("nlbwb-eurlex-replay");
    private ReplayServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await ReplayServer.StartAsync(Ct);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private SourceContext Context(ISourceTransport transport, string[] items, Dictionary<string, string>? options = null) =>
        new(transport, new SourceSettings(_server.BaseUrl, items, options ?? []), Path.Combine(_temp.Path, "work"), new IngestionLimits());

    private FetchRequest Request(string name) => new(name, Path.Combine(_temp.Path, name));

    [Fact]
    public async Task The_real_BWB_manifest_and_toestanden_are_fetched_then_answered_304_and_a_new_period_replaces_the_old_toestand()
    {
        var folder = SharedData.RequirePath("corpora/official-samples/nl-bwb-xml");
        _server.Serve("/bwb/BWBR0002458/manifest.xml", await File.ReadAllBytesAsync(Path.Combine(folder, "BWBR0002458_manifest.xml"), Ct));
        foreach (var label in new[] { "2000-11-01_0", "2015-01-01_0" })
            _server.Serve($"/bwb/BWBR0002458/{label}/xml/BWBR0002458_{label}.xml", await File.ReadAllBytesAsync(Path.Combine(folder, $"BWBR0002458_{label}.xml"), Ct));
        using var transport = new HttpSourceTransport(Quick);
        var context = Context(transport, ["BWBR0002458"]);
        var request = Request("nl-bwb");
        var clock = new StoppedClock(new DateTimeOffset(2001, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var fetcher = new SourceFetcher(new NlBwbSource(clock), clock);

        var first = await fetcher.FetchAsync(request, context, null, Ct);
        var again = await fetcher.FetchAsync(request, context, null, Ct);
        clock.Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var later = await fetcher.FetchAsync(request, context, null, Ct);

        Assert.Empty(first.Failures);
        Assert.Equal(["BWBR0002458/2000-11-01_0/xml/BWBR0002458_2000-11-01_0.xml", "BWBR0002458/manifest.xml"], first.Changes.Single().Files);
        Assert.Equal((0, 1), (again.Changes.Count, again.Unchanged));
        Assert.Contains(_server.Requests, r => r.Path == "/bwb/BWBR0002458/2000-11-01_0/xml/BWBR0002458_2000-11-01_0.xml" && r.Status == 304);
        Assert.Equal(["BWBR0002458:Changed"], later.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(["BWBR0002458/2000-11-01_0/xml/BWBR0002458_2000-11-01_0.xml"], later.ClosedFiles);
        Assert.True(File.Exists(Path.Combine(request.FilesFolder, "BWBR0002458", "2015-01-01_0", "xml", "BWBR0002458_2015-01-01_0.xml")));
        Assert.Equal(_server.BaseUrl + "bwb/BWBR0002458/2015-01-01_0/xml/BWBR0002458_2015-01-01_0.xml",
            later.Origins["BWBR0002458/2015-01-01_0/xml/BWBR0002458_2015-01-01_0.xml"].SourceUrl);
    }

    [Fact]
    public async Task A_BWB_toestand_answered_500_is_one_failure_that_writes_nothing_a_cut_off_one_is_resumed_intact_and_a_missing_manifest_stops_the_fetch()
    {
        var toestand = Encoding.UTF8.GetBytes("""<toestand bwb-id="BWBR9999999" inwerkingtreding="2024-01-01"><wetgeving><wettekst><artikel><kop><label>Artikel</label><nr>1</nr></kop><al>Tekst.</al></artikel></wettekst></wetgeving></toestand>""");
        _server.Serve("/bwb/BWBR9999999/manifest.xml",
            $"""<work label="BWBR9999999"><expression label="2024-01-01_0"><metadata><datum_inwerkingtreding>2024-01-01</datum_inwerkingtreding></metadata><manifestation label="xml"><metadata><hashcode>{Convert.ToHexStringLower(SHA512.HashData(toestand))}</hashcode></metadata><item label="BWBR9999999_2024-01-01_0.xml"/></manifestation></expression></work>""");
        const string toestandPath = "/bwb/BWBR9999999/2024-01-01_0/xml/BWBR9999999_2024-01-01_0.xml";
        _server.Serve(toestandPath, toestand).Fail(toestandPath, 500);
        using var transport = new HttpSourceTransport(Quick);
        var request = Request("nl-bwb");
        var fetcher = new SourceFetcher(new NlBwbSource());

        var failed = await fetcher.FetchAsync(request, Context(transport, ["BWBR9999999"]), null, Ct);

        var failure = Assert.Single(failed.Failures);
        Assert.Equal("BWBR9999999", failure.Key);
        Assert.Contains("500", failure.Reason);
        Assert.False(Directory.EnumerateFiles(request.FilesFolder, "*", SearchOption.AllDirectories).Any());

        // The server recovers but cuts the next body off after 40 bytes: the transport resumes it with a Range request,
        // and the manifest's SHA-512 vouches for the joined bytes.
        _server.Truncate(toestandPath, 40, times: 1);
        var resumed = await fetcher.FetchAsync(request, Context(transport, ["BWBR9999999"]), null, Ct);
        Assert.Empty(resumed.Failures);
        Assert.Contains(_server.Requests, r => r.Path == toestandPath && r.Range is not null);
        Assert.Equal(toestand, await File.ReadAllBytesAsync(Path.Combine(request.FilesFolder, "BWBR9999999", "2024-01-01_0", "xml", "BWBR9999999_2024-01-01_0.xml"), Ct));

        var missing = await Assert.ThrowsAsync<SourceUnavailableException>(() => fetcher.FetchAsync(request, Context(transport, ["BWBR9999999", "BWBR0000404"]), null, Ct));
        Assert.Contains("BWBR0000404", missing.Message);
    }

    [Fact]
    public async Task The_GDPR_Formex_package_is_asked_for_with_the_Formex_media_type_unpacked_then_answered_304()
    {
        var act = await File.ReadAllBytesAsync(SharedData.RequirePath("corpora/official-samples/eu/GDPR_DE_Formex_OJ_L_2016_119_L_2016119DE.01000101.xml"), Ct);
        _server.Serve("/resource/celex/32016R0679", Zip(("L_2016119DE.01000101.doc.xml", "<DOC/>"u8.ToArray()), ("L_2016119DE.01000101.xml", act)), "application/zip");
        using var transport = new HttpSourceTransport(Quick);
        var context = Context(transport, ["32016R0679"], new() { ["language"] = "DEU" });
        var request = Request("eu-eurlex");
        var fetcher = new SourceFetcher(new EuEurLexSource());

        var first = await fetcher.FetchAsync(request, context, null, Ct);
        var again = await fetcher.FetchAsync(request, context, null, Ct);

        Assert.Empty(first.Failures);
        Assert.Equal(["32016R0679/L_2016119DE.01000101.xml"], first.Changes.Single().Files);
        Assert.Equal(act, await File.ReadAllBytesAsync(Path.Combine(request.FilesFolder, "32016R0679", "L_2016119DE.01000101.xml"), Ct));
        Assert.Equal((0, 1), (again.Changes.Count, again.Unchanged));
        Assert.All(_server.Requests, r => Assert.Equal(EuEurLexSource.FormexZipMediaType, r.Accept));
        Assert.Equal([200, 304], _server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_cut_off_Formex_package_is_resumed_intact_and_one_without_an_act_is_a_failure_naming_the_CELEX()
    {
        var act = """<ACT><BIB.INSTANCE/><TITLE><TI><P>Verordnung (EU) 2099/1</P></TI></TITLE><ENACTING.TERMS><ARTICLE><TI.ART>Artikel 1</TI.ART><PARAG><NO.PARAG>(1)</NO.PARAG><ALINEA>Text.</ALINEA></PARAG></ARTICLE></ENACTING.TERMS></ACT>"""u8.ToArray();
        _server.Serve("/resource/celex/32099R0001", Zip(("L_2099001DE.01000101.xml", act)), "application/zip").Truncate("/resource/celex/32099R0001", 30, times: 1);
        _server.Serve("/resource/celex/32099R0002", Zip(("L_2099002DE.01000101.doc.xml", "<DOC/>"u8.ToArray())), "application/zip");
        using var transport = new HttpSourceTransport(Quick);
        var request = Request("eu-eurlex");

        var report = await new SourceFetcher(new EuEurLexSource()).FetchAsync(request, Context(transport, ["32099R0001", "32099R0002"]), null, Ct);

        Assert.Equal(["32099R0001:Added"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(act, await File.ReadAllBytesAsync(Path.Combine(request.FilesFolder, "32099R0001", "L_2099001DE.01000101.xml"), Ct));
        Assert.Contains(_server.Requests, r => r.Path == "/resource/celex/32099R0001" && r.Range is not null);
        var failure = Assert.Single(report.Failures);
        Assert.Equal("32099R0002", failure.Key);
        Assert.Contains("holds no act", failure.Reason);
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        return buffer.ToArray();
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
