using System.IO.Compression;
using System.Text;
using LegalRag.TestSupport;
using LegalRag.TestSupport.Replay;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>
/// <c>corpus fetch</c> and <c>corpus update</c> end to end, as a user runs them, against Gesetze im Internet's layout
/// served by the loopback replay server (never the internet): the index, per-act xml.zip files, ETags, an amendment,
/// an act the publisher stops listing, and an unreachable publisher.
/// </summary>
public sealed class CorpusFetchCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Toc(params (string Slug, string Title)[] acts) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><!DOCTYPE items SYSTEM \"http://www.gesetze-im-internet.de/dtd/1.0/gii-toc.dtd\">\n<items>\n" +
        string.Concat(acts.Select(a => $"<item>\n<title>{a.Title}</title>\n<link>http://www.gesetze-im-internet.de/{a.Slug}/xml.zip</link>\n</item>\n")) +
        "</items>\n";

    private static string Act(string doknr, string jurabk, string title, string section, string heading, string text) => $"""
        <?xml version="1.0" encoding="UTF-8" ?><!DOCTYPE dokumente SYSTEM "http://www.gesetze-im-internet.de/dtd/1.01/gii-norm.dtd">
        <dokumente builddate="20260101000000" doknr="{doknr}">
          <norm doknr="{doknr}"><metadaten><jurabk>{jurabk}</jurabk><amtabk>{jurabk}</amtabk><langue>{title}</langue></metadaten>
            <textdaten><text format="XML"><Content><P/></Content></text></textdaten></norm>
          <norm doknr="{doknr}BJNE000100000">
            <metadaten><jurabk>{jurabk}</jurabk><enbez>{section}</enbez><titel format="parat">{heading}</titel></metadaten>
            <textdaten><text format="XML"><Content><P>{text}</P></Content></text></textdaten>
          </norm>
        </dokumente>
        """;

    private static byte[] Zip(string entry, string xml)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(entry).Open();
            stream.Write(Encoding.UTF8.GetBytes(xml));
        }
        return buffer.ToArray();
    }

    [Fact]
    public async Task Fetch_then_update_takes_only_changes_closes_a_withdrawn_act_and_an_unreachable_publisher_changes_nothing()
    {
        using var dir = new TempDirectory("cli-fetch");
        await using var server = await ReplayServer.StartAsync(Ct);
        server.Serve("/gii-toc.xml", Toc(("hundg", "Hundegesetz"), ("katzg", "Katzengesetz")));
        server.Serve("/hundg/xml.zip", Zip("BJNR000000001.xml", Act("BJNR000000001", "HundG", "Hundegesetz", "§ 1", "Leinenpflicht", "Hunde sind an der Leine zu führen.")));
        server.Serve("/katzg/xml.zip", Zip("BJNR000000002.xml", Act("BJNR000000002", "KatzG", "Katzengesetz", "§ 1", "Freigang", "Katzen dürfen frei laufen.")));
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));
        string[] Fetch(params string[] extra) => ["corpus", "fetch", "de-gii", "--corpus", "gii", "--base-url", server.BaseUrl.AbsoluteUri, "--json", .. extra];

        var first = await cli.RunAsync(Ct, Fetch());
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal((2, 2, 0), (first.Json.GetProperty("listed").GetInt32(), first.Json.GetProperty("added").GetInt32(), first.Json.GetProperty("failed").GetInt32()));
        Assert.Equal(2, first.Json.GetProperty("ingest").GetProperty("added").GetInt32());

        // Every document names the official address its bytes came from.
        var show = await cli.RunAsync(Ct, "show", "HundG § 1", "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains($"{server.BaseUrl}hundg/xml.zip", show.Stdout);

        // The publisher amends one act: the update downloads only it (the other answers 304) and replaces its document.
        server.Serve("/katzg/xml.zip", Zip("BJNR000000002.xml", Act("BJNR000000002", "KatzG", "Katzengesetz", "§ 1", "Freigang", "Katzen dürfen nachts nicht frei laufen.")));
        var update = await cli.RunAsync(Ct, "corpus", "update", "gii", "--base-url", server.BaseUrl.AbsoluteUri, "--json");
        Assert.True(update.ExitCode == 0, update.Stderr);
        Assert.Equal((1, 1, 0), (update.Json.GetProperty("changed").GetInt32(), update.Json.GetProperty("unchanged").GetInt32(), update.Json.GetProperty("added").GetInt32()));
        Assert.Equal((1, 1), (update.Json.GetProperty("ingest").GetProperty("replaced").GetInt32(), update.Json.GetProperty("ingest").GetProperty("unchanged").GetInt32()));
        Assert.Contains(server.Requests, r => r.Path == "/hundg/xml.zip" && r.Status == 304);

        // The publisher stops listing one act: it is closed, not deleted.
        server.Serve("/gii-toc.xml", Toc(("katzg", "Katzengesetz")));
        var closing = await cli.RunAsync(Ct, "corpus", "update", "gii", "--base-url", server.BaseUrl.AbsoluteUri, "--json");
        Assert.True(closing.ExitCode == 0, closing.Stderr);
        Assert.Equal(1, closing.Json.GetProperty("closed").GetInt32());
        Assert.Equal(1, closing.Json.GetProperty("documentsClosed").GetInt32());
        var closed = await cli.RunAsync(Ct, "show", "HundG § 1", "--json");
        Assert.True(closed.ExitCode == 0, closed.Stderr);
        Assert.Contains($"\"validTo\": \"{DateTime.UtcNow:yyyy-MM-dd}\"", closed.Stdout.Replace("\":\"", "\": \""));
        Assert.Contains("\"kind\":\"closed\"", File.ReadAllText(Path.Combine(dir.Path, "data", "sources", "gii", "changes.jsonl")));

        // No publisher to reach: a clear error, exit 3, and the store as it was.
        var before = await cli.RunAsync(Ct, "stats", "--json");
        var offline = await cli.RunAsync(Ct, "corpus", "update", "gii", "--base-url", "http://127.0.0.1:9/", "--json");
        Assert.Equal(3, offline.ExitCode);
        Assert.Contains("cannot reach", offline.Stderr);
        Assert.Contains("nothing was changed", offline.Stderr);
        Assert.Equal(before.Stdout, (await cli.RunAsync(Ct, "stats", "--json")).Stdout);
    }

    [Fact]
    public async Task An_air_gapped_fetch_reads_the_publishers_paths_from_a_folder()
    {
        using var dir = new TempDirectory("cli-fetch-from");
        dir.File("mirror/www.gesetze-im-internet.de/gii-toc.xml", Toc(("hundg", "Hundegesetz")));
        dir.File("mirror/www.gesetze-im-internet.de/hundg/xml.zip",
            Zip("BJNR000000001.xml", Act("BJNR000000001", "HundG", "Hundegesetz", "§ 1", "Leinenpflicht", "Hunde sind an der Leine zu führen.")));
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var result = await cli.RunAsync(Ct, "corpus", "fetch", "de-gii", "--from", Path.Combine(dir.Path, "mirror"), "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal((1, 1), (result.Json.GetProperty("added").GetInt32(), result.Json.GetProperty("ingest").GetProperty("added").GetInt32()));
        var again = await cli.RunAsync(Ct, "corpus", "update", "de-gii", "--from", Path.Combine(dir.Path, "mirror"), "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal((0, 1), (again.Json.GetProperty("changed").GetInt32(), again.Json.GetProperty("unchanged").GetInt32()));
    }
}
