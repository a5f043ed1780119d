using System.Security.Cryptography;
using System.Text;
using LegalRag.Ingestion.Sources;
using LegalRag.Ingestion.Sources.Transport;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Sources.Transport;

/// <summary>The air-gapped transport (<c>--from DIR</c>): a folder laid out like the publisher's paths stands in for its server.</summary>
public sealed class FolderSourceTransportTests : IDisposable
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private readonly TempDirectory _mirror = new("mirror");
    private readonly TempDirectory _work = new("work");

    public void Dispose()
    {
        _mirror.Dispose();
        _work.Dispose();
    }

    private FolderSourceTransport Transport => new(_mirror.Path);
    private string Destination => Path.Combine(_work.Path, "item", "download");

    private static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private Task<DownloadResult> Download(string url, string? etag = null, string? expectedSha256 = null) =>
        Transport.DownloadAsync(new DownloadRequest(new Uri(url), Destination, etag, ExpectedSha256: expectedSha256), Token);

    [Fact]
    public async Task A_wget_mirror_layout_maps_host_and_path_to_a_file()
    {
        _mirror.File("www.gesetze-im-internet.de/bgb/xml.zip", "bgb zip");

        var result = await Download("https://www.gesetze-im-internet.de/bgb/xml.zip");

        Assert.False(result.NotModified);
        Assert.Equal("bgb zip", await File.ReadAllTextAsync(Destination, Token));
        Assert.Equal(Sha("bgb zip"), result.Sha256);
        Assert.Equal("sha256:" + Sha("bgb zip"), result.ETag);
        Assert.Equal(7, result.Bytes);
        Assert.NotNull(result.LastModified);
    }

    [Fact]
    public async Task A_bare_layout_maps_the_path_alone_and_the_mirror_layout_wins_when_both_exist()
    {
        _mirror.File("bwb/BWBR0005416/manifest.xml", "<manifest/>");
        _mirror.File("bgb/xml.zip", "bare copy");
        _mirror.File("www.gesetze-im-internet.de/bgb/xml.zip", "mirror copy");

        await Download("https://repository.officiele-overheidspublicaties.nl/bwb/BWBR0005416/manifest.xml");
        Assert.Equal("<manifest/>", await File.ReadAllTextAsync(Destination, Token));

        await Download("https://www.gesetze-im-internet.de/bgb/xml.zip");
        Assert.Equal("mirror copy", await File.ReadAllTextAsync(Destination, Token));
    }

    [Fact]
    public async Task The_ETag_returned_makes_an_unchanged_file_not_modified_and_a_changed_one_downloaded_again()
    {
        var file = _mirror.File("bgb/xml.zip", "version 1");
        var first = await Download("https://www.gesetze-im-internet.de/bgb/xml.zip");

        await File.WriteAllTextAsync(Destination, "kept as it was", Token);
        var unchanged = await Download("https://www.gesetze-im-internet.de/bgb/xml.zip", first.ETag);
        Assert.True(unchanged.NotModified);
        Assert.Equal(first.ETag, unchanged.ETag);
        Assert.Equal("kept as it was", await File.ReadAllTextAsync(Destination, Token));

        await File.WriteAllTextAsync(file, "version 2", Token);
        var changed = await Download("https://www.gesetze-im-internet.de/bgb/xml.zip", first.ETag);
        Assert.False(changed.NotModified);
        Assert.Equal("sha256:" + Sha("version 2"), changed.ETag);
        Assert.Equal("version 2", await File.ReadAllTextAsync(Destination, Token));
    }

    [Fact]
    public async Task A_folder_URL_is_its_index_html()
    {
        _mirror.File("www.gesetze-im-internet.de/aktuell.html", "not this");
        _mirror.File("www.gesetze-im-internet.de/index.html", "<html>the index</html>");

        await Download("https://www.gesetze-im-internet.de/");

        Assert.Equal("<html>the index</html>", await File.ReadAllTextAsync(Destination, Token));
    }

    [Fact]
    public async Task A_folder_URL_without_index_html_gets_a_listing_of_the_folder_linking_each_file()
    {
        _mirror.File("OPENDATA/LEGI/Freemium_legi_global_20250713-140000.tar.gz", "full dump");
        _mirror.File("OPENDATA/LEGI/LEGI_20250714-210018.tar.gz", "increment");
        _mirror.File("OPENDATA/LEGI/old/LEGI_20240101-000000.tar.gz", "older");

        var result = await Download("https://echanges.dila.gouv.fr/OPENDATA/LEGI/");
        var html = await File.ReadAllTextAsync(Destination, Token);

        Assert.Contains("<title>Index of /OPENDATA/LEGI/</title>", html);
        Assert.Contains("<a href=\"Freemium_legi_global_20250713-140000.tar.gz\">", html);
        Assert.Contains("<a href=\"LEGI_20250714-210018.tar.gz\">", html);
        Assert.Contains("<a href=\"old/\">old/</a>", html);
        Assert.DoesNotContain("LEGI_20240101", html);
        Assert.True(html.IndexOf("Freemium", StringComparison.Ordinal) < html.IndexOf("LEGI_2025", StringComparison.Ordinal));

        var again = await Download("https://echanges.dila.gouv.fr/OPENDATA/LEGI/", result.ETag);
        Assert.True(again.NotModified);
        _mirror.File("OPENDATA/LEGI/LEGI_20250715-210021.tar.gz", "next increment");
        var grown = await Download("https://echanges.dila.gouv.fr/OPENDATA/LEGI/", result.ETag);
        Assert.False(grown.NotModified);
        Assert.Contains("LEGI_20250715-210021.tar.gz", await File.ReadAllTextAsync(Destination, Token));
    }

    [Fact]
    public async Task A_SHA256SUMS_listing_the_file_is_checked_and_a_mismatch_names_the_file()
    {
        _mirror.File("OPENDATA/LEGI/LEGI_20250714-210018.tar.gz", "increment");
        _mirror.File("OPENDATA/LEGI/LEGI_20250715-210021.tar.gz", "damaged in transit");
        // At the root, relative paths, the binary-mode marker and a "./" prefix, as sha256sum writes them.
        _mirror.File("SHA256SUMS",
            $"{Sha("increment")}  OPENDATA/LEGI/LEGI_20250714-210018.tar.gz\n{Sha("the publisher's bytes")} *./OPENDATA/LEGI/LEGI_20250715-210021.tar.gz\n");

        await Download("https://echanges.dila.gouv.fr/OPENDATA/LEGI/LEGI_20250714-210018.tar.gz");
        Assert.Equal("increment", await File.ReadAllTextAsync(Destination, Token));

        var error = await Assert.ThrowsAsync<SourceContentException>(() => Download("https://echanges.dila.gouv.fr/OPENDATA/LEGI/LEGI_20250715-210021.tar.gz"));
        Assert.Contains("LEGI_20250715-210021.tar.gz", error.Message);
        Assert.Contains(Path.Combine(_mirror.Path, "SHA256SUMS"), error.Message);
        Assert.Contains(Sha("the publisher's bytes"), error.Message);
        Assert.Equal("increment", await File.ReadAllTextAsync(Destination, Token));
    }

    [Fact]
    public async Task A_SHA256SUMS_beside_the_file_is_read_relative_to_its_own_folder()
    {
        _mirror.File("dumps/a.tar.gz", "a");
        _mirror.File("dumps/SHA256SUMS", $"{Sha("not a")}  a.tar.gz\n");

        var error = await Assert.ThrowsAsync<SourceContentException>(() => Download("https://example.org/dumps/a.tar.gz"));

        Assert.Contains(Path.Combine(_mirror.Path, "dumps", "a.tar.gz"), error.Message);
    }

    [Fact]
    public async Task A_malformed_SHA256SUMS_line_is_reported_with_its_line_number()
    {
        _mirror.File("a.xml", "<a/>");
        _mirror.File("SHA256SUMS", $"{Sha("<a/>")}  a.xml\nthis is not a checksum line\n");

        var error = await Assert.ThrowsAsync<SourceContentException>(() => Download("https://example.org/a.xml"));

        Assert.Contains(Path.Combine(_mirror.Path, "SHA256SUMS") + ":2", error.Message);
    }

    [Fact]
    public async Task An_expected_checksum_that_does_not_match_is_refused()
    {
        _mirror.File("a.xml", "<a/>");

        var error = await Assert.ThrowsAsync<SourceContentException>(() => Download("https://example.org/a.xml", expectedSha256: Sha("<b/>")));

        Assert.Contains(Sha("<b/>"), error.Message);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task A_missing_file_is_unavailable_naming_the_paths_looked_for()
    {
        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => Download("https://www.gesetze-im-internet.de/bgb/xml.zip"));

        Assert.Contains(Path.Combine(_mirror.Path, "www.gesetze-im-internet.de", "bgb", "xml.zip"), error.Message);
        Assert.Contains(Path.Combine(_mirror.Path, "bgb", "xml.zip"), error.Message);
        Assert.False(File.Exists(Destination));
    }

    [Fact]
    public async Task A_missing_folder_is_unavailable_naming_it()
    {
        var absent = Path.Combine(_mirror.Path, "not-there");

        var error = await Assert.ThrowsAsync<SourceUnavailableException>(() =>
            new FolderSourceTransport(absent).DownloadAsync(new DownloadRequest(new Uri("https://example.org/a.xml"), Destination), Token));

        Assert.Contains(absent, error.Message);
    }

    [Fact]
    public async Task A_URL_whose_path_would_leave_the_folder_is_refused()
    {
        _mirror.File("secret.txt", "outside the folder read from");
        _mirror.File("root/a/readme.txt", "inside");
        var transport = new FolderSourceTransport(Path.Combine(_mirror.Path, "root"));
        Task<DownloadResult> Download(string url) => transport.DownloadAsync(new DownloadRequest(new Uri(url), Destination), Token);

        var escaped = await Assert.ThrowsAsync<SourceUnavailableException>(() => Download("https://example.org/a/..%2F..%2Fsecret.txt"));
        Assert.Contains("cannot name a file", escaped.Message);
        // Dot segments are resolved within the URL (RFC 3986) before mapping, so they cannot climb out either.
        await Assert.ThrowsAsync<SourceUnavailableException>(() => Download("https://example.org/a/%2E%2E/%2E%2E/secret.txt"));
        Assert.False(File.Exists(Destination));
    }
}
