using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.NlBwb;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>The nl-bwb connector: BWB repository manifest → the toestand in force → the repository's own file layout.</summary>
public sealed class NlBwbSourceTests : IDisposable
{
    private const string Base = "https://repository.officiele-overheidspublicaties.nl/";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "nlbwb-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_work)) Directory.Delete(_work, recursive: true);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A toestand of a made-up act: one article, in force from 2024-01-01.
    private static string Toestand(string bwbId, string date) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <toestand bwb-id="{bwbId}" inwerkingtreding="{date}">
          <wetgeving soort="wet">
            <citeertitel>Testwet</citeertitel>
            <wettekst>
              <artikel label="Artikel" nr="1">
                <kop><label>Artikel</label><nr>1</nr></kop>
                <al>Deze wet geldt voor testgevallen.</al>
              </artikel>
            </wettekst>
          </wetgeving>
        </toestand>
        """;

    private static string Expression(string label, string from, string to, string? sha512 = null) => $"""
          <expression label="{label}">
            <metadata><datum_inwerkingtreding>{from}</datum_inwerkingtreding><einddatum>{to}</einddatum></metadata>
            <manifestation label="xml">
              <metadata>{(sha512 is null ? "" : $"<hashcode>{sha512}</hashcode>")}</metadata>
              <item label="BWBR9999999_{label}.xml" _deleted="false"/>
            </manifestation>
          </expression>
        """;

    // The act's versions, as the repository's manifest lists them: three periods, the middle one corrected once (_1).
    private static readonly string Manifest = $"""
        <work label="BWBR9999999">
        {Expression("2020-01-01_0", "2020-01-01", "2023-12-31")}
        {Expression("2024-01-01_0", "2024-01-01", "2025-06-30")}
        {Expression("2024-01-01_1", "2024-01-01", "2025-06-30")}
        {Expression("2025-07-01_0", "2025-07-01", "2026-12-31")}
        </work>
        """;

    private SourceContext Context(InMemoryTransport transport, params string[] items) => Context(transport, items, new Dictionary<string, string>());

    private SourceContext Context(InMemoryTransport transport, string[] items, Dictionary<string, string> options) =>
        new(transport, new SourceSettings(new Uri(Base), items, options), _work, new IngestionLimits());

    private static NlBwbSource SourceOn(int year, int month, int day) =>
        new(new FixedClock(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero)));

    [Theory]
    // today         → the toestand chosen
    [InlineData("2021-05-01", "2020-01-01_0")] // inside the first period
    [InlineData("2023-12-31", "2020-01-01_0")] // the einddatum is the last day in force
    [InlineData("2024-01-01", "2024-01-01_1")] // the later correction of the same date
    [InlineData("2026-01-01", "2025-07-01_0")]
    [InlineData("2019-01-01", "2025-07-01_0")] // none in force yet: the latest
    [InlineData("2027-01-01", "2025-07-01_0")] // none in force any more: the latest
    public async Task The_toestand_in_force_today_is_listed_else_the_latest(string today, string expected)
    {
        var transport = new InMemoryTransport().Serve(Base + "bwb/BWBR9999999/manifest.xml", Manifest);
        var date = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);

        var items = await SourceOn(date.Year, date.Month, date.Day).ListAsync(Context(transport, "BWBR9999999"), Ct);

        var item = Assert.Single(items);
        Assert.Equal("BWBR9999999", item.Key);
        Assert.True(item.IsAct);
        Assert.False(item.Immutable);
        Assert.Equal($"{Base}bwb/BWBR9999999/{expected}/xml/BWBR9999999_{expected}.xml", item.Url.AbsoluteUri);
    }

    [Fact]
    public async Task The_asOf_option_replaces_today_and_a_bad_date_is_refused_by_name()
    {
        var transport = new InMemoryTransport().Serve(Base + "bwb/BWBR9999999/manifest.xml", Manifest);

        var items = await SourceOn(2026, 1, 1).ListAsync(Context(transport, ["bwbr9999999"], new() { ["asOf"] = "2022-02-02" }), Ct);
        Assert.EndsWith("/2020-01-01_0/xml/BWBR9999999_2020-01-01_0.xml", Assert.Single(items).Url.AbsoluteUri);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SourceOn(2026, 1, 1).ListAsync(Context(transport, ["BWBR9999999"], new() { ["asOf"] = "2.2.2022" }), Ct));
        Assert.Contains("asOf", error.Message);
    }

    [Fact]
    public async Task A_missing_manifest_is_unavailable_naming_the_id_and_a_bad_id_is_refused_before_any_request()
    {
        var transport = new InMemoryTransport().Serve(Base + "bwb/BWBR9999999/manifest.xml", Manifest);

        var missing = await Assert.ThrowsAsync<SourceUnavailableException>(() => SourceOn(2026, 1, 1).ListAsync(Context(transport, "BWBR9999999", "BWBR0000001"), Ct));
        Assert.Contains("BWBR0000001", missing.Message);
        Assert.Contains(Base + "bwb/BWBR0000001/manifest.xml", missing.Message);

        transport.Requests.Clear();
        var bad = await Assert.ThrowsAsync<ArgumentException>(() => SourceOn(2026, 1, 1).ListAsync(Context(transport, "../BWBR9999999"), Ct));
        Assert.Contains("'../BWBR9999999' is not a BWB id", bad.Message);
        Assert.Empty(transport.Requests);
        await Assert.ThrowsAsync<ArgumentException>(() => SourceOn(2026, 1, 1).ListAsync(Context(transport), Ct));
    }

    [Fact]
    public async Task A_manifest_that_is_not_one_is_bad_content_naming_the_id()
    {
        var transport = new InMemoryTransport()
            .Serve(Base + "bwb/BWBR9999999/manifest.xml", "<html><body>Onderhoud</body></html>")
            .Serve(Base + "bwb/BWBR8888888/manifest.xml", "<work label=\"BWBR8888888\"><expression");

        var notManifest = await Assert.ThrowsAsync<SourceContentException>(() => SourceOn(2026, 1, 1).ListAsync(Context(transport, "BWBR9999999"), Ct));
        Assert.Contains("BWBR9999999", notManifest.Message);
        Assert.Contains("not a BWB manifest", notManifest.Message);
        var truncated = await Assert.ThrowsAsync<SourceContentException>(() => SourceOn(2026, 1, 1).ListAsync(Context(transport, "BWBR8888888"), Ct));
        Assert.Contains("not well-formed", truncated.Message);
    }

    [Fact]
    public async Task A_toestand_unpacks_into_the_repository_layout_and_parses_with_the_manifests_end_date()
    {
        var toestand = Encoding.UTF8.GetBytes(Toestand("BWBR9999999", "2024-01-01"));
        var manifest = $"<work label=\"BWBR9999999\">{Expression("2024-01-01_1", "2024-01-01", "2025-06-30", Sha512(toestand))}</work>";
        var transport = new InMemoryTransport().Serve(Base + "bwb/BWBR9999999/manifest.xml", manifest);
        var context = Context(transport, "BWBR9999999");
        var source = SourceOn(2024, 3, 1);
        var item = Assert.Single(await source.ListAsync(context, Ct));
        var download = Path.Combine(_work, "download.xml");
        await File.WriteAllBytesAsync(download, toestand, Ct);

        var unpacked = await source.UnpackAsync(item, download, context, Ct);

        Assert.Equal(["BWBR9999999/2024-01-01_1/xml/BWBR9999999_2024-01-01_1.xml", "BWBR9999999/manifest.xml"], unpacked.Files.Select(f => f.RelativePath));
        Assert.Empty(unpacked.Removed);
        var documents = await ParseWritten(unpacked, Path.Combine(_work, "corpus"));
        var document = Assert.Single(documents);
        Assert.Equal("BWBR9999999", document.Identifier);
        Assert.Equal((new DateOnly(2024, 1, 1), new DateOnly(2025, 6, 30)), (document.ValidFrom, document.ValidTo));
        Assert.Contains(document.Provisions, p => p.Kind == ProvisionKind.Article && p.Text.Contains("testgevallen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_download_that_is_not_the_stated_toestand_is_bad_content_with_the_reason()
    {
        var toestand = Encoding.UTF8.GetBytes(Toestand("BWBR9999999", "2024-01-01"));
        var manifest = $"<work label=\"BWBR9999999\">{Expression("2024-01-01_1", "2024-01-01", "2025-06-30", Sha512(toestand))}</work>";
        var transport = new InMemoryTransport().Serve(Base + "bwb/BWBR9999999/manifest.xml", manifest);
        var context = Context(transport, "BWBR9999999");
        var source = SourceOn(2024, 3, 1);
        var item = Assert.Single(await source.ListAsync(context, Ct));

        async Task<string> Refusal(string body)
        {
            var path = Path.Combine(_work, "download.xml");
            await File.WriteAllTextAsync(path, body, Ct);
            return (await Assert.ThrowsAsync<SourceContentException>(() => source.UnpackAsync(item, path, context, Ct))).Message;
        }

        Assert.Contains("SHA-512", await Refusal(Toestand("BWBR9999999", "2024-01-01").Replace("testgevallen", "andere gevallen", StringComparison.Ordinal)));
        Assert.Contains("is of BWBR1111111, not of BWBR9999999", await Refusal(Toestand("BWBR1111111", "2024-01-01")));
        Assert.Contains("not a BWB toestand", await Refusal("<html><body>Niet gevonden</body></html>"));
        Assert.Contains("not well-formed", await Refusal(Toestand("BWBR9999999", "2024-01-01")[..200]));
        Assert.StartsWith($"nl-bwb BWBR9999999 ({item.Url})", await Refusal("<html/>"));
    }

    [Fact]
    public async Task The_real_Drank_en_Horecawet_manifest_picks_each_period_and_its_toestand_matches_the_stated_SHA512()
    {
        var folder = SharedData.RequirePath("corpora/official-samples/nl-bwb-xml");
        var transport = new InMemoryTransport()
            .Serve(Base + "bwb/BWBR0002458/manifest.xml", await File.ReadAllBytesAsync(Path.Combine(folder, "BWBR0002458_manifest.xml"), Ct));
        foreach (var label in new[] { "2000-11-01_0", "2015-01-01_0" })
            transport.Serve($"{Base}bwb/BWBR0002458/{label}/xml/BWBR0002458_{label}.xml", await File.ReadAllBytesAsync(Path.Combine(folder, $"BWBR0002458_{label}.xml"), Ct));

        var older = await FetchOne(SourceOn(2001, 6, 1), transport, "older");
        var newer = await FetchOne(SourceOn(2026, 12, 1), transport, "newer");

        Assert.Equal("Drank- en Horecawet", newer.ActName);
        Assert.Equal((new DateOnly(2000, 11, 1), new DateOnly(2002, 6, 30)), (older.ValidFrom, older.ValidTo));
        Assert.Equal((new DateOnly(2015, 1, 1), (DateOnly?)null), (newer.ValidFrom, newer.ValidTo));
        Assert.True(newer.Provisions.Count(p => p.Kind == ProvisionKind.Article) >= 50);
    }

    [Fact]
    public async Task Through_the_fetcher_a_new_toestand_replaces_the_old_one_which_is_closed()
    {
        var clock = new FixedClock(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var source = new NlBwbSource(clock);
        var first = Encoding.UTF8.GetBytes(Toestand("BWBR9999999", "2024-01-01"));
        var second = Encoding.UTF8.GetBytes(Toestand("BWBR9999999", "2024-07-01").Replace("testgevallen", "alle gevallen", StringComparison.Ordinal));
        var transport = new InMemoryTransport()
            .Serve(Base + "bwb/BWBR9999999/manifest.xml", $"<work label=\"BWBR9999999\">{Expression("2024-01-01_0", "2024-01-01", "9999-12-31", Sha512(first))}</work>")
            .Serve(Base + "bwb/BWBR9999999/2024-01-01_0/xml/BWBR9999999_2024-01-01_0.xml", first);
        var folder = Path.Combine(_work, "corpus");
        var fetcher = new SourceFetcher(source, clock);
        var request = new FetchRequest("nl-bwb", folder);

        var added = await fetcher.FetchAsync(request, Context(transport, "BWBR9999999"), null, Ct);

        Assert.Equal(["BWBR9999999:Added"], added.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(Base + "bwb/BWBR9999999/2024-01-01_0/xml/BWBR9999999_2024-01-01_0.xml", added.Origins["BWBR9999999/2024-01-01_0/xml/BWBR9999999_2024-01-01_0.xml"].SourceUrl);

        // The repository publishes the next toestand; half a year later it is in force.
        transport
            .Serve(Base + "bwb/BWBR9999999/manifest.xml", $"<work label=\"BWBR9999999\">{Expression("2024-01-01_0", "2024-01-01", "2024-06-30", Sha512(first))}{Expression("2024-07-01_0", "2024-07-01", "9999-12-31", Sha512(second))}</work>")
            .Serve(Base + "bwb/BWBR9999999/2024-07-01_0/xml/BWBR9999999_2024-07-01_0.xml", second);
        clock.Now = new DateTimeOffset(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

        var changed = await fetcher.FetchAsync(request, Context(transport, "BWBR9999999"), null, Ct);

        Assert.Equal(["BWBR9999999:Changed"], changed.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(["BWBR9999999/2024-01-01_0/xml/BWBR9999999_2024-01-01_0.xml"], changed.ClosedFiles);
        var documents = await ParseWritten(UnpackedItem.Of([]), Path.Combine(folder, "files"));
        var document = Assert.Single(documents);
        Assert.Equal((new DateOnly(2024, 7, 1), (DateOnly?)null), (document.ValidFrom, document.ValidTo));
        Assert.Contains(document.Provisions, p => p.Text.Contains("alle gevallen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_corpus_manifests_include_takes_the_toestanden_of_the_local_sample_folder_and_not_the_manifest()
    {
        var folder = SharedData.RequirePath("corpora/official-samples/nl-bwb-xml");

        var taken = SourceWalker.Walk(folder, await CommittedInclude()).Select(e => e.RelativePath).Order(StringComparer.Ordinal);

        Assert.Equal(["BWBR0002458_2000-11-01_0.xml", "BWBR0002458_2015-01-01_0.xml", "BWBR0018450_2025-07-05_0.xml", "BWBR0018451_2025-01-01_0.xml", "BWBR0018472_2025-01-01_0.xml"], taken);
    }

    /// <summary>corpora/nl-bwb.json's include globs: the top-level ones for its local copy, fetch.include for what the connector writes.</summary>
    private static async Task<List<string>> CommittedInclude(bool fetched = false)
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "corpora", "nl-bwb.json"), Ct));
        var holder = fetched ? manifest.RootElement.GetProperty("fetch") : manifest.RootElement;
        return holder.GetProperty("include").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private async Task<LegalDocument> FetchOne(NlBwbSource source, InMemoryTransport transport, string name)
    {
        var context = Context(transport, "BWBR0002458");
        var item = Assert.Single(await source.ListAsync(context, Ct));
        var download = Path.Combine(_work, name + ".download");
        await transport.DownloadAsync(new DownloadRequest(item.Url, download, Headers: item.Headers), Ct);
        var unpacked = await source.UnpackAsync(item, download, context, Ct);
        return Assert.Single(await ParseWritten(unpacked, Path.Combine(_work, name)));
    }

    /// <summary>Writes the unpacked files as the fetcher would, walks them with the committed corpus manifest's
    /// fetch.include patterns and parses what the walk yields: the act manifest must not come out as a (failed) document.</summary>
    private static async Task<List<LegalDocument>> ParseWritten(UnpackedItem unpacked, string root)
    {
        foreach (var file in unpacked.Files)
        {
            var path = Path.Combine(root, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, file.Content, Ct);
        }
        var include = await CommittedInclude(fetched: true);
        var parser = new XmlParser();
        var documents = new List<LegalDocument>();
        foreach (var entry in SourceWalker.Walk(root, include))
        {
            Assert.Null(entry.Error);
            var file = new SourceFile(entry.FullPath, entry.RelativePath, await File.ReadAllBytesAsync(entry.FullPath, Ct));
            documents.Add(await parser.ParseAsync(file, new ParseContext("nl-bwb", "nl", null, null, new IngestionLimits()), Ct));
        }
        return documents;
    }

    private static string Sha512(byte[] bytes) => Convert.ToHexStringLower(SHA512.HashData(bytes));

    /// <summary>A clock stopped at one instant, for "in force today".</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
