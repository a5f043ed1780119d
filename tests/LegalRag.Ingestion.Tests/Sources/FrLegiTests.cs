using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.FrLegi;
using LegalRag.TestSupport;
using Xunit;
using static LegalRag.Ingestion.Tests.Sources.LegiDumpFixtures;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>
/// fr-legi: DILA's LEGI folder listing next to the items it must give, and small .tar.gz dumps (built here with
/// System.Formats.Tar, laid out as DILA lays them out) next to the files and deletions they must give.
/// </summary>
public sealed class FrLegiTests : IDisposable
{
    private const string Base = "https://echanges.dila.gouv.fr/";
    private const string CodeCivil = "LEGITEXT000006070721";
    private static readonly Uri BaseUri = new(Base);
    private readonly TempDirectory _work = new("fr-legi");
    private readonly FrLegiSource _source = new();

    public void Dispose() => _work.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SourceContext Context(InMemoryTransport? transport = null, IReadOnlyList<string>? items = null, Dictionary<string, string>? options = null, IngestionLimits? limits = null) =>
        new(transport ?? new InMemoryTransport(), new SourceSettings(BaseUri, items ?? [CodeCivil], options ?? []), _work.Path, limits ?? new IngestionLimits());

    // ---- the listing ------------------------------------------------------------------------------------------

    /// <summary>DILA's folder page, as its web server lists it (shortened): two full dumps, increments on both sides of
    /// the newer dump, listed out of order, one by absolute path, and links that are no LEGI archive.</summary>
    private const string Listing = """
        <html><head><title>Index of /OPENDATA/LEGI</title></head><body><h1>Index of /OPENDATA/LEGI</h1><hr><pre>
        <a href="../">../</a>
        <a href="Freemium_legi_global_20240621-163000.tar.gz">Freemium_legi_global_20240621-163000.tar.gz</a>  21-Jun-2024 16:30  1.1G
        <a href="Freemium_legi_global_20250713-140000.tar.gz">Freemium_legi_global_20250713-140000.tar.gz</a>  13-Jul-2025 14:00  1.2G
        <a href="LEGI_20250711-212633.tar.gz">LEGI_20250711-212633.tar.gz</a>  11-Jul-2025 21:26  310K
        <a href="LEGI_20250715-211512.tar.gz">LEGI_20250715-211512.tar.gz</a>  15-Jul-2025 21:15  1.4M
        <a href="LEGI_20250714-210018.tar.gz">LEGI_20250714-210018.tar.gz</a>  14-Jul-2025 21:00  802K
        <a HREF='/OPENDATA/LEGI/LEGI_20250716-203000.tar.gz'>LEGI_20250716-203000.tar.gz</a>  16-Jul-2025 20:30  95K
        <a href="LEGI_20250717-999999.tar.gz">LEGI_20250717-999999.tar.gz</a>
        <a href="LEGI_20250718-210000.tar.gz.md5">LEGI_20250718-210000.tar.gz.md5</a>
        <a href="Descriptif_LEGI.pdf">Descriptif_LEGI.pdf</a>
        </pre><hr></body></html>
        """;

    /// <summary>The newest dump, then the increments after it in publication order; each a dated, immutable dump.</summary>
    private const string ExpectedItems = """
        Freemium_legi_global_20250713-140000.tar.gz | https://echanges.dila.gouv.fr/OPENDATA/LEGI/Freemium_legi_global_20250713-140000.tar.gz | LEGI full dump of 2025-07-13 14:00:00
        LEGI_20250714-210018.tar.gz | https://echanges.dila.gouv.fr/OPENDATA/LEGI/LEGI_20250714-210018.tar.gz | LEGI increment of 2025-07-14 21:00:18
        LEGI_20250715-211512.tar.gz | https://echanges.dila.gouv.fr/OPENDATA/LEGI/LEGI_20250715-211512.tar.gz | LEGI increment of 2025-07-15 21:15:12
        LEGI_20250716-203000.tar.gz | https://echanges.dila.gouv.fr/OPENDATA/LEGI/LEGI_20250716-203000.tar.gz | LEGI increment of 2025-07-16 20:30:00
        """;

    [Fact]
    public async Task The_listing_gives_the_newest_full_dump_then_the_later_increments_in_date_order()
    {
        var transport = new InMemoryTransport().Serve(Base + "OPENDATA/LEGI/", Listing);

        var items = await _source.ListAsync(Context(transport), Ct);

        Assert.Equal(ExpectedItems.ReplaceLineEndings("\n"), string.Join("\n", items.Select(i => $"{i.Key} | {i.Url} | {i.Title}")));
        Assert.All(items, i => Assert.False(i.IsAct));
        Assert.All(items, i => Assert.True(i.Immutable));
        Assert.Equal(Base + "OPENDATA/LEGI/", Assert.Single(transport.Requests).Url.AbsoluteUri);
    }

    [Fact]
    public async Task A_mirror_under_another_base_and_path_is_listed_with_its_own_addresses()
    {
        var transport = new InMemoryTransport().Serve("http://127.0.0.1:8080/mirror/legi/", Listing);
        var context = new SourceContext(transport, new SourceSettings(new Uri("http://127.0.0.1:8080/"), [CodeCivil], new Dictionary<string, string> { ["path"] = "/mirror/legi" }), _work.Path, new IngestionLimits());

        var items = await _source.ListAsync(context, Ct);

        Assert.Equal("http://127.0.0.1:8080/mirror/legi/Freemium_legi_global_20250713-140000.tar.gz", items[0].Url.AbsoluteUri);
    }

    [Fact]
    public async Task A_listing_without_a_full_dump_is_refused_and_an_unreachable_one_is_unavailable()
    {
        var onlyIncrements = new InMemoryTransport().Serve(Base + "OPENDATA/LEGI/", """<a href="LEGI_20250714-210018.tar.gz">x</a>""");
        var refused = await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(onlyIncrements), Ct));
        Assert.Contains("no full dump", refused.Message);
        Assert.Contains("1 increment", refused.Message);

        var notAListing = new InMemoryTransport().Serve(Base + "OPENDATA/LEGI/", "<html><body>Maintenance</body></html>");
        Assert.Contains("no full dump", (await Assert.ThrowsAsync<SourceContentException>(() => _source.ListAsync(Context(notAListing), Ct))).Message);

        await Assert.ThrowsAsync<SourceUnavailableException>(() => _source.ListAsync(Context(new InMemoryTransport()), Ct));
    }

    [Fact]
    public async Task A_manifest_item_that_is_no_text_id_is_refused_before_anything_is_fetched()
    {
        var transport = new InMemoryTransport().Serve(Base + "OPENDATA/LEGI/", Listing);

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => _source.ListAsync(Context(transport, items: ["Code civil"]), Ct));

        Assert.Contains("'Code civil' is not a LEGI text id", bad.Message);
        Assert.Empty(transport.Requests);
        Assert.Contains("maxEntries", (await Assert.ThrowsAsync<ArgumentException>(() =>
            _source.ListAsync(Context(transport, options: new() { ["maxEntries"] = "-1" }), Ct))).Message);
    }

    // ---- unpacking ------------------------------------------------------------------------------------------

    /// <summary>
    /// A full dump, entry by entry, next to what unpacking it for the Code civil keeps:
    ///   code_en_vigueur  Code civil   article LEGIARTI000032041571 (1240, VIGUEUR since 2016)   kept
    ///   code_en_vigueur  Code civil   article LEGIARTI000006438819 (1382, MODIFIE until 2016)   kept: every version is a file
    ///   code_en_vigueur  Code civil   texte/version, texte/struct, section_ta                  not kept: no text
    ///   code_en_vigueur  Code pénal   article LEGIARTI000006417208                             not kept: not chosen
    ///   TNC_en_vigueur   a loi        article and texte/version with visas                     not kept: not chosen
    /// </summary>
    [Fact]
    public async Task A_full_dump_gives_every_article_version_of_the_chosen_codes_under_a_stable_path()
    {
        var dump = TarGz(TarEntryFormat.Pax,
            Folder("legi/global/code_et_TNC_en_vigueur/code_en_vigueur/"),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "Tout fait quelconque de l'homme…"), null),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000006438819"), Article("LEGIARTI000006438819", CodeCivil, "Code civil", "1382", "MODIFIE", "1804-02-19", "2016-10-01", "Tout fait quelconque de l'homme (ancien)…"), null),
            (CodePath("code_en_vigueur", CodeCivil, "texte/version", CodeCivil), TextVersion(CodeCivil, "Code civil", visas: null), null),
            (CodePath("code_en_vigueur", CodeCivil, "texte/struct", CodeCivil), "<TEXTELR><META><META_COMMUN><ID>LEGITEXT000006070721</ID></META_COMMUN></META><STRUCT/></TEXTELR>", null),
            (CodePath("code_en_vigueur", CodeCivil, "section_ta", "LEGISCTA000032021488"), "<SECTION_TA><ID>LEGISCTA000032021488</ID></SECTION_TA>", null),
            (CodePath("code_en_vigueur", "LEGITEXT000006070719", "article", "LEGIARTI000006417208"), Article("LEGIARTI000006417208", "LEGITEXT000006070719", "Code pénal", "111-1", "VIGUEUR", "1994-03-01", "2999-01-01", "Les infractions pénales…"), null),
            (TncPath("JORFTEXT000000886460", "article", "LEGIARTI000006527423"), Article("LEGIARTI000006527423", "JORFTEXT000000886460", "Loi n° 78-17", "1", "VIGUEUR", "2019-06-01", "2999-01-01", "L'informatique doit être au service de chaque citoyen."), null),
            (TncPath("JORFTEXT000000886460", "texte/version", "LEGITEXT000006068624"), TextVersion("LEGITEXT000006068624", "Loi n° 78-17", visas: "L'Assemblée nationale et le Sénat ont adopté,"), null));

        var unpacked = await UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump);

        Assert.Equal(
            [$"{CodeCivil}/article/LEGIARTI000006438819.xml", $"{CodeCivil}/article/LEGIARTI000032041571.xml"],
            unpacked.Files.Select(f => f.RelativePath));
        Assert.Empty(unpacked.Removed);

        // Both versions parse as the Code civil; the one in force keeps the plain key, the superseded one its start date.
        var keys = new List<string>();
        foreach (var file in unpacked.Files) keys.Add((await ParseAsync(file)).Provisions.Single().Key);
        Assert.Equal(["fr-legi/code-civil/a1382@1804-02-19", "fr-legi/code-civil/a1240"], keys);
    }

    [Fact]
    public async Task Without_chosen_texts_every_code_is_kept_but_no_uncodified_text_and_a_loi_is_taken_when_named()
    {
        var dump = TarGz(TarEntryFormat.Gnu,
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "Tout fait…"), null),
            (CodePath("code_non_vigueur", "LEGITEXT000006070666", "article", "LEGIARTI000006398122"), Article("LEGIARTI000006398122", "LEGITEXT000006070666", "Code des instruments monétaires et des médailles", "1", "ABROGE", "1952-06-29", "2001-01-01", "Abrogé."), null),
            (TncPath("JORFTEXT000000886460", "article", "LEGIARTI000006527423"), Article("LEGIARTI000006527423", "JORFTEXT000000886460", "Loi n° 78-17", "1", "VIGUEUR", "2019-06-01", "2999-01-01", "L'informatique…"), null),
            (TncPath("JORFTEXT000000886460", "texte/version", "LEGITEXT000006068624"), TextVersion("LEGITEXT000006068624", "Loi n° 78-17", visas: "L'Assemblée nationale et le Sénat ont adopté,"), null));

        var allCodes = await UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump, items: []);
        Assert.Equal(
            ["LEGITEXT000006070666/article/LEGIARTI000006398122.xml", $"{CodeCivil}/article/LEGIARTI000032041571.xml"],
            allCodes.Files.Select(f => f.RelativePath));

        var loi = await UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump, items: ["JORFTEXT000000886460"]);
        Assert.Equal(
            ["JORFTEXT000000886460/article/LEGIARTI000006527423.xml", "JORFTEXT000000886460/texte/version/LEGITEXT000006068624.xml"],
            loi.Files.Select(f => f.RelativePath));
        // The loi's version record is kept because the parser makes a document of its visas.
        var visas = await ParseAsync(loi.Files[1]);
        Assert.Equal("Loi n° 78-17, visas", visas.Provisions.Single().Citation);
    }

    /// <summary>
    /// An increment (its paths under a dated folder, as DILA packs them) next to what it gives:
    ///   article LEGIARTI000032041571, new copy                                  file, same path as the dump's copy
    ///   deletion list: LEGIARTI000006438819 (Code civil, code_en_vigueur)        removed
    ///                  LEGIARTI000006417208 (Code pénal: not chosen)             ignored
    ///                  Code civil's section_ta and texte/struct                   ignored: never kept
    ///                  Code civil's texte/version, with ".xml"                    removed (whatever was kept there)
    /// </summary>
    [Fact]
    public async Task An_increment_replaces_files_by_path_and_its_deletion_list_removes_the_chosen_texts_files()
    {
        const string dated = "20250714-210018/";
        var deletions = string.Join("\n",
            CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000006438819")[..^4],
            CodePath("code_en_vigueur", "LEGITEXT000006070719", "article", "LEGIARTI000006417208")[..^4],
            CodePath("code_en_vigueur", CodeCivil, "section_ta", "LEGISCTA000032021488")[..^4],
            CodePath("code_en_vigueur", CodeCivil, "texte/struct", CodeCivil)[..^4],
            CodePath("code_en_vigueur", CodeCivil, "texte/version", CodeCivil)) + "\n";
        var increment = TarGz(TarEntryFormat.Gnu,
            Folder(dated),
            (dated + CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "Tout fait quelconque de l'homme, qui cause à autrui un dommage…"), null),
            (dated + "liste_suppression_legi.dat", deletions, null));

        var unpacked = await UnpackAsync("LEGI_20250714-210018.tar.gz", increment);

        var file = Assert.Single(unpacked.Files);
        Assert.Equal($"{CodeCivil}/article/LEGIARTI000032041571.xml", file.RelativePath);
        Assert.Contains("qui cause à autrui un dommage", Encoding.UTF8.GetString(file.Content));
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000006438819.xml", $"{CodeCivil}/texte/version/{CodeCivil}.xml"], unpacked.Removed);
    }

    [Fact]
    public async Task A_text_moved_between_dossiers_keeps_its_file_while_a_deletion_in_place_removes_it()
    {
        // The code was repealed: the increment brings its article under code_non_vigueur and deletes the old place.
        const string moved = "LEGIARTI000006398122", deleted = "LEGIARTI000006398123";
        const string code = "LEGITEXT000006070666";
        var deletions = CodePath("code_en_vigueur", code, "article", moved)[..^4] + "\n" + CodePath("code_non_vigueur", code, "article", deleted)[..^4];
        var increment = TarGz(TarEntryFormat.Gnu,
            ("20250715-211512/" + CodePath("code_non_vigueur", code, "article", moved), Article(moved, code, "Code des instruments monétaires et des médailles", "1", "ABROGE", "1952-06-29", "2001-01-01", "Abrogé."), null),
            ("20250715-211512/" + CodePath("code_non_vigueur", code, "article", deleted), Article(deleted, code, "Code des instruments monétaires et des médailles", "2", "ABROGE", "1952-06-29", "2001-01-01", "Abrogé."), null),
            ("20250715-211512/liste_suppression_legi.dat", deletions, null));

        var unpacked = await UnpackAsync("LEGI_20250715-211512.tar.gz", increment, items: [code]);

        Assert.Equal([$"{code}/article/{moved}.xml"], unpacked.Files.Select(f => f.RelativePath));
        Assert.Equal([$"{code}/article/{deleted}.xml"], unpacked.Removed);
    }

    [Fact]
    public async Task The_same_file_twice_in_one_archive_keeps_the_newer_copy()
    {
        var older = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var newer = older.AddDays(3);
        var dump = TarGz(TarEntryFormat.Pax,
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "la copie récente"), newer),
            (CodePath("code_non_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "la copie ancienne"), older));

        var unpacked = await UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump);

        Assert.Contains("la copie récente", Encoding.UTF8.GetString(Assert.Single(unpacked.Files).Content));
    }

    [Fact]
    public async Task The_real_samples_packed_as_a_dump_unpack_to_files_the_parsers_read()
    {
        var samples = SharedCorpora.Require("corpora/official-samples/fr-legi-xml");
        string Sample(string relative) => File.ReadAllText(Path.Combine(samples, relative));
        const string monnaies = "LEGITEXT000006070666", casf = "LEGITEXT000006074069";
        var dump = TarGz(TarEntryFormat.Pax,
            (CodePath("code_non_vigueur", monnaies, "article", "LEGIARTI000006398122"), Sample("article/LEGIARTI000006398122.xml"), null),
            (CodePath("code_non_vigueur", monnaies, "texte/struct", monnaies), Sample($"texte/struct/{monnaies}.xml"), null),
            (CodePath("code_non_vigueur", monnaies, "texte/version", monnaies), Sample($"texte/version/{monnaies}.xml"), null),
            (CodePath("code_non_vigueur", monnaies, "section_ta", "LEGISCTA000006135575"), Sample("section_ta/LEGISCTA000006135575.xml"), null),
            (CodePath("code_en_vigueur", casf, "article", "LEGIARTI000019325262"), Sample("article/LEGIARTI000019325262.xml"), null));

        var unpacked = await UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump, items: []);

        Assert.Equal([$"{monnaies}/article/LEGIARTI000006398122.xml", $"{casf}/article/LEGIARTI000019325262.xml"], unpacked.Files.Select(f => f.RelativePath));
        var citations = new List<string>();
        foreach (var file in unpacked.Files) citations.Add((await ParseAsync(file)).Provisions.Single().Citation);
        Assert.Equal(["Code des instruments monétaires et des médailles, art. 1", "Code de l'action sociale et des familles, annexe 2-4"], citations);
        Assert.Equal(File.ReadAllBytes(Path.Combine(samples, "article/LEGIARTI000019325262.xml")), unpacked.Files[1].Content);
    }

    // ---- through the fetcher: fetch, then update ------------------------------------------------------------

    [Fact]
    public async Task The_fetcher_applies_the_dump_then_each_increment_once_in_date_order()
    {
        var transport = new InMemoryTransport();
        var folder = Path.Combine(_work.Path, "corpus");
        var context = Context(transport);
        const string dumpName = "Freemium_legi_global_20250713-140000.tar.gz", first = "LEGI_20250714-210018.tar.gz", second = "LEGI_20250715-211512.tar.gz";
        string Link(string name) => $"<a href=\"{name}\">{name}</a>\n";
        string Files(string id) => Path.Combine(folder, "files", CodeCivil, "article", id + ".xml");
        transport.Serve(Base + "OPENDATA/LEGI/" + dumpName, TarGz(TarEntryFormat.Pax,
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "Tout fait quelconque de l'homme…"), null),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000006438819"), Article("LEGIARTI000006438819", CodeCivil, "Code civil", "1382", "MODIFIE", "1804-02-19", "2016-10-01", "ancienne rédaction"), null),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041573"), Article("LEGIARTI000032041573", CodeCivil, "Code civil", "1241", "VIGUEUR", "2016-10-01", "2999-01-01", "rédaction du dump"), null)));
        transport.Serve(Base + "OPENDATA/LEGI/" + first, TarGz(TarEntryFormat.Gnu,
            ("20250714-210018/" + CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041573"), Article("LEGIARTI000032041573", CodeCivil, "Code civil", "1241", "VIGUEUR", "2016-10-01", "2999-01-01", "rédaction corrigée"), null),
            ("20250714-210018/liste_suppression_legi.dat", CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000006438819")[..^4] + "\n", null)));
        transport.Serve(Base + "OPENDATA/LEGI/", Link(dumpName) + Link(first));

        var fetched = await new SourceFetcher(_source).FetchAsync(new FetchRequest("fr-legi", folder), context, null, Ct);

        Assert.Empty(fetched.Failures);
        Assert.Equal([$"{dumpName}:Added", $"{first}:Added", $"{first}:Closed"], fetched.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000006438819.xml"], fetched.ClosedFiles);
        Assert.False(File.Exists(Files("LEGIARTI000006438819")));
        Assert.Contains("rédaction corrigée", File.ReadAllText(Files("LEGIARTI000032041573")));
        Assert.True(File.Exists(Files("LEGIARTI000032041571")));

        // The next day: one more increment. The dump and the first increment are dated and applied: not asked for again.
        transport.Serve(Base + "OPENDATA/LEGI/" + second, TarGz(TarEntryFormat.Gnu,
            ("20250715-211512/" + CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041574"), Article("LEGIARTI000032041574", CodeCivil, "Code civil", "1242", "VIGUEUR", "2016-10-01", "2999-01-01", "On est responsable…"), null)));
        transport.Serve(Base + "OPENDATA/LEGI/", Link(dumpName) + Link(first) + Link(second));
        var before = transport.Requests.Count;

        var updated = await new SourceFetcher(_source).FetchAsync(new FetchRequest("fr-legi", folder), context, null, Ct);

        Assert.Equal([$"{second}:Added"], updated.Changes.Select(c => $"{c.Key}:{c.Kind}"));
        Assert.Equal(2, updated.Unchanged);
        Assert.Equal([Base + "OPENDATA/LEGI/", Base + "OPENDATA/LEGI/" + second], transport.Requests.Skip(before).Select(r => r.Url.AbsoluteUri));
        Assert.True(File.Exists(Files("LEGIARTI000032041574")));
        Assert.Empty(updated.ClosedFiles);
    }

    // ---- damaged and hostile archives -----------------------------------------------------------------------

    [Fact]
    public async Task A_truncated_or_damaged_archive_is_refused_naming_the_dump()
    {
        var articles = Enumerable.Range(0, 40).Select(i =>
        {
            var id = $"LEGIARTI0000320415{i:D2}";
            return (CodePath("code_en_vigueur", CodeCivil, "article", id), Article(id, CodeCivil, "Code civil", (1200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "VIGUEUR", "2016-10-01", "2999-01-01", string.Concat(Enumerable.Repeat($"Alinéa {i} d'un article. ", 50 + i))), (DateTimeOffset?)null);
        }).ToArray();
        var whole = TarGz(TarEntryFormat.Pax, articles);
        Assert.Equal(40, (await UnpackAsync("LEGI_20250714-210018.tar.gz", whole)).Files.Count);

        // Cut mid-entry, in the last blocks, in the gzip trailer, in the gzip header.
        foreach (var length in new[] { whole.Length / 2, whole.Length - 30, whole.Length - 12, whole.Length - 8, whole.Length - 3, 20 })
        {
            var refused = await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("LEGI_20250714-210018.tar.gz", whole[..length]));
            Assert.Contains("fr-legi LEGI_20250714-210018.tar.gz", refused.Message);
            Assert.Contains("truncated or damaged", refused.Message);
        }
        var corrupt = whole.ToArray();
        for (var i = 200; i < 260; i++) corrupt[i] ^= 0x5A;
        Assert.Contains("LEGI_20250714-210018.tar.gz", (await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("LEGI_20250714-210018.tar.gz", corrupt))).Message);
        var errorPage = Encoding.UTF8.GetBytes("<html><body>503 Service Unavailable</body></html>");
        Assert.Contains("not a readable tar.gz", (await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("LEGI_20250714-210018.tar.gz", errorPage))).Message);
    }

    [Fact]
    public async Task An_entry_climbing_out_of_its_folder_refuses_the_archive()
    {
        var hostile = TarGz(TarEntryFormat.Pax,
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "x"), null),
            ("legi/../../etc/cron.d/x", "* * * * * root true", null));

        var refused = await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("LEGI_20250714-210018.tar.gz", hostile));

        Assert.Contains("path traversal", refused.Message);
        Assert.Contains("legi/../../etc/cron.d/x", refused.Message);

        // A dump packed from its folder ("./legi/…") is no traversal.
        var dotted = TarGz(TarEntryFormat.Pax,
            Folder("./"),
            ("./" + CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", "x"), null));
        Assert.Equal([$"{CodeCivil}/article/LEGIARTI000032041571.xml"], (await UnpackAsync("LEGI_20250714-210018.tar.gz", dotted)).Files.Select(f => f.RelativePath));
    }

    [Fact]
    public async Task Entry_size_entry_count_and_kept_bytes_have_limits()
    {
        var big = string.Concat(Enumerable.Repeat("Un alinéa assez long pour dépasser la limite. ", 25_000)); // ~1.2 MB
        var dump = TarGz(TarEntryFormat.Pax,
            Folder("legi/"),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041571"), Article("LEGIARTI000032041571", CodeCivil, "Code civil", "1240", "VIGUEUR", "2016-10-01", "2999-01-01", big), null),
            (CodePath("code_en_vigueur", CodeCivil, "article", "LEGIARTI000032041572"), Article("LEGIARTI000032041572", CodeCivil, "Code civil", "1241", "VIGUEUR", "2016-10-01", "2999-01-01", "court"), null));

        var tooLarge = await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump, limits: new IngestionLimits { MaxFileBytes = 1_000_000 }));
        Assert.Contains("LEGIARTI000032041571.xml' is", tooLarge.Message);
        Assert.Contains("over the limit of 1,000,000", tooLarge.Message);

        var tooMany = await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump, options: new() { ["maxEntries"] = "2" }));
        Assert.Contains("more than 2 entries", tooMany.Message);

        var tooMuch = await Assert.ThrowsAsync<SourceContentException>(() => UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump, options: new() { ["maxUnpackedMiB"] = "1" }));
        Assert.Contains("exceed 1 MiB", tooMuch.Message);

        Assert.Equal(2, (await UnpackAsync("Freemium_legi_global_20250713-140000.tar.gz", dump)).Files.Count);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private async Task<UnpackedItem> UnpackAsync(string name, byte[] archive, IReadOnlyList<string>? items = null, Dictionary<string, string>? options = null, IngestionLimits? limits = null)
    {
        var path = _work.File("downloads/" + name, archive);
        var item = new SourceItem(name, new Uri(BaseUri, "OPENDATA/LEGI/" + name), IsAct: false, Immutable: true);
        return await _source.UnpackAsync(item, path, Context(items: items, options: options, limits: limits), Ct);
    }

    private static Task<LegalRag.Core.Domain.LegalDocument> ParseAsync(UnpackedFile file) =>
        new XmlParser().ParseAsync(new SourceFile("/corpus/" + file.RelativePath, file.RelativePath, file.Content), ParseContext.For("fr-legi", "fr"), Ct);
}
