using System.Formats.Tar;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.FrLegi;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using LegalRag.TestSupport.Replay;
using Xunit;
using static LegalRag.Ingestion.Tests.Sources.LegiDumpFixtures;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>
/// fr-legi end to end over loopback HTTP: the replay server plays echanges.dila.gouv.fr under its official paths
/// (/OPENDATA/LEGI/ and the archives in it), the fetcher drives the connector.
/// </summary>
public sealed class FrLegiReplayTests : IDisposable
{
    private const string Folder = "OPENDATA/LEGI/";
    private const string Dump = "Freemium_legi_global_20250713-140000.tar.gz", Increment = "LEGI_20250714-210018.tar.gz";
    private const string CodeCivil = "LEGITEXT000006070721";
    private readonly TempDirectory _temp = new("fr-legi-replay");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private static string Listing(params string[] names) =>
        "<html><body><h1>Index of /OPENDATA/LEGI</h1><pre>\n" + string.Concat(names.Select(n => $"<a href=\"{n}\">{n}</a>  13-Jul-2025 14:00  1.2G\n")) + "</pre></body></html>";

    private async Task<FetchReport> FetchAsync(ReplayServer server, IReadOnlyList<string> items)
    {
        // No pauses: the replay server is local and its faults are injected on purpose.
        using var transport = new HttpSourceTransport(new SourceTransportOptions { RequestsPerHostInterval = TimeSpan.Zero, RetryDelay = TimeSpan.Zero, MaxAttempts = 2 });
        return await FetchAsync(transport, server.BaseUrl, items);
    }

    private async Task<FetchReport> FetchAsync(ISourceTransport transport, Uri baseUrl, IReadOnlyList<string> items)
    {
        var context = new SourceContext(transport, new SourceSettings(baseUrl, items, new Dictionary<string, string>()), Path.Combine(_temp.Path, "work"), new IngestionLimits());
        return await new SourceFetcher(new FrLegiSource()).FetchAsync(new FetchRequest("fr-legi", Path.Combine(_temp.Path, "corpus")), context, null, Ct);
    }

    private string[] CorpusFiles() =>
        Directory.EnumerateFiles(Path.Combine(_temp.Path, "corpus", "files"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(_temp.Path, "corpus", "files"), f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task The_real_samples_served_as_DILAs_dump_are_fetched_into_the_corpus_files()
    {
        var samples = SharedCorpora.Require("corpora/official-samples/fr-legi-xml");
        string Sample(string relative) => File.ReadAllText(Path.Combine(samples, relative));
        await using var server = await ReplayServer.StartAsync(Ct);
        server.Serve("/" + Folder, Listing(Dump), "text/html");
        server.Serve("/" + Folder + Dump, TarGz(TarEntryFormat.Pax,
            (CodePath("code_non_vigueur", "LEGITEXT000006070666", "article", "LEGIARTI000006398122"), Sample("article/LEGIARTI000006398122.xml"), null),
            (CodePath("code_non_vigueur", "LEGITEXT000006070666", "texte/version", "LEGITEXT000006070666"), Sample("texte/version/LEGITEXT000006070666.xml"), null),
            (CodePath("code_non_vigueur", "LEGITEXT000006070666", "section_ta", "LEGISCTA000006135575"), Sample("section_ta/LEGISCTA000006135575.xml"), null),
            (CodePath("code_en_vigueur", "LEGITEXT000006074069", "article", "LEGIARTI000019325262"), Sample("article/LEGIARTI000019325262.xml"), null)));

        var report = await FetchAsync(server, []);

        Assert.Empty(report.Failures);
        Assert.Equal(["LEGITEXT000006070666/article/LEGIARTI000006398122.xml", "LEGITEXT000006074069/article/LEGIARTI000019325262.xml"], CorpusFiles());
        Assert.Equal(["/" + Folder, "/" + Folder + Dump], server.Requests.Select(r => r.Path));
        Assert.Equal(server.BaseUrl + Folder + Dump, report.Origins["LEGITEXT000006074069/article/LEGIARTI000019325262.xml"].SourceUrl);
    }

    [Fact]
    public async Task A_test_made_dump_and_increment_are_fetched_and_a_server_error_is_retried_on_the_next_fetch()
    {
        await using var server = await ReplayServer.StartAsync(Ct);
        server.Serve("/" + Folder, Listing(Dump, Increment), "text/html");
        server.Serve("/" + Folder + Dump, TarGz(TarEntryFormat.Pax,
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "Tout fait quelconque de l'homme…"), null),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000006438819"), Article("LEGIARTI000006438819", CodeCivil, "Code civil", "1382", "MODIFIE", "1804-02-19", "2016-10-01", "ancienne rédaction"), null)));
        server.Serve("/" + Folder + Increment, TarGz(TarEntryFormat.Gnu,
            ("20250714-210018/liste_suppression_legi.dat", CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000006438819")[..^4] + "\n", null)));
        server.Fail("/" + Folder + Increment, 500, times: 2); // both of the transport's attempts

        var first = await FetchAsync(server, [CodeCivil]);

        var failure = Assert.Single(first.Failures);
        Assert.Equal(Increment, failure.Key);
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000006438819.xml", $"{CodeCivil}/article/LEGIARTI000032041571.xml"], CorpusFiles());

        var second = await FetchAsync(server, [CodeCivil]);

        Assert.Empty(second.Failures);
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000006438819.xml"], second.ClosedFiles);
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000032041571.xml"], CorpusFiles());
        Assert.Equal(1, server.Requests.Count(r => r.Path == "/" + Folder + Dump)); // the applied dump is not fetched again
    }

    [Fact]
    public async Task From_a_folder_of_downloaded_archives_the_folders_own_listing_stands_in_for_DILAs()
    {
        // An air-gapped copy: the archives as `wget -m` leaves them, and no index.html.
        var mirror = Path.Combine(_temp.Path, "usb");
        var dila = Path.Combine(mirror, "echanges.dila.gouv.fr", "OPENDATA", "LEGI");
        Directory.CreateDirectory(dila);
        File.WriteAllBytes(Path.Combine(dila, Dump), TarGz(TarEntryFormat.Pax,
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "Tout fait quelconque de l'homme…"), null)));
        File.WriteAllBytes(Path.Combine(dila, Increment), TarGz(TarEntryFormat.Gnu,
            ("20250714-210018/" + CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041573"), Article("LEGIARTI000032041573", CodeCivil, "Code civil", "1241", "VIGUEUR", "2016-10-01", "2999-01-01", "Chacun est responsable…"), null)));

        var report = await FetchAsync(new FolderSourceTransport(mirror), new Uri("https://echanges.dila.gouv.fr/"), [CodeCivil]);

        Assert.Empty(report.Failures);
        Assert.Equal([$"{Dump}:Added", $"{Increment}:Added"], report.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000032041571.xml", $"{CodeCivil}/article/LEGIARTI000032041573.xml"], CorpusFiles());
    }
}
