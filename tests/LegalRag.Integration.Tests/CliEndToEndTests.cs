using System.Text;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>The CLI end to end on a small corpus the test writes: ingest, search, show, stats, corpus, exit codes.</summary>
public sealed class CliEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static void WriteFixtureCorpus(TempDirectory dir)
    {
        dir.File("acts/b/mietg/index.md", """
            ---
            Title: Mietgesetz
            jurabk: MietG
            ---

            # Mietgesetz (MietG)

            ## Abschnitt 1 - Wohnraum

            ### § 573 Ordentliche Kündigung des Vermieters

            (1) Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse an der Beendigung des Mietverhältnisses hat.

            (2) Ein berechtigtes Interesse liegt insbesondere vor, wenn der Vermieter die Räume als Wohnung für sich benötigt (Eigenbedarf).

            ### § 574 Widerspruch des Mieters gegen die Kündigung

            (1) Der Mieter kann der Kündigung widersprechen, wenn die Beendigung für ihn eine Härte bedeuten würde.

            (2) Für die Gründe gilt § 573 Abs. 2 entsprechend; § 433 KaufG bleibt unberührt.

            ### § 575 (weggefallen)
            """);
        dir.File("acts/k/kaufg/index.md", """
            ---
            Title: Kaufgesetz
            jurabk: KaufG
            ---

            # Kaufgesetz (KaufG)

            ## § 433 Vertragstypische Pflichten beim Kaufvertrag

            (1) Durch den Kaufvertrag wird der Verkäufer einer Sache verpflichtet, dem Käufer die Sache zu übergeben.
            """);
    }

    [Fact]
    public async Task Ingest_search_show_stats_and_corpus_commands()
    {
        using var dir = new TempDirectory("cli");
        WriteFixtureCorpus(dir);
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var ingest = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--lang", "de", "--json");
        Assert.Equal(0, ingest.ExitCode);
        Assert.Equal(2, ingest.Json.GetProperty("added").GetInt32());
        Assert.Equal(0, ingest.Json.GetProperty("failed").GetInt32());
        // § 574 cites § 573 (same act) and § 433 KaufG (another file, possibly stored after it).
        Assert.Equal(2, ingest.Json.GetProperty("references").GetProperty("found").GetInt64());
        Assert.Equal(2, ingest.Json.GetProperty("references").GetProperty("resolved").GetInt64());

        var search = await cli.RunAsync(Ct, "search", "Darf mein Vermieter wegen Eigenbedarf kündigen?", "--json", "--k", "3");
        Assert.Equal(0, search.ExitCode);
        var top = search.Json.GetProperty("results")[0];
        Assert.Equal("MietG § 573", top.GetProperty("citation").GetString());
        Assert.Equal("fixture/mietg/s573", top.GetProperty("provisionId").GetString());
        Assert.Equal("Abschnitt 1 - Wohnraum", top.GetProperty("path").GetString());
        Assert.Contains("**Eigenbedarf**", top.GetProperty("snippet").GetString());
        Assert.True(top.GetProperty("score").GetDouble() > 0);
        Assert.True(search.Json.GetProperty("tookMs").GetDouble() >= 0);

        var byCitation = await cli.RunAsync(Ct, "search", "§ 573 Abs. 2 MietG", "--json");
        var exact = byCitation.Json.GetProperty("results")[0];
        Assert.Equal("MietG § 573", exact.GetProperty("citation").GetString());
        Assert.Equal("MietG § 573 Abs. 2", exact.GetProperty("pinpoint").GetString());

        var show = await cli.RunAsync(Ct, "show", "MietG § 574");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("Der Mieter kann der Kündigung widersprechen", show.Stdout);

        var graph = (await cli.RunAsync(Ct, "show", "MietG § 574", "--json")).Json.GetProperty("provisions")[0];
        Assert.Equal(["fixture/mietg/s573", "fixture/kaufg/s433"], graph.GetProperty("refersTo").EnumerateArray().Select(r => r.GetProperty("provisionId").GetString()));
        var cited = (await cli.RunAsync(Ct, "show", "§ 433 KaufG", "--json")).Json.GetProperty("provisions")[0];
        Assert.Equal("MietG § 574", cited.GetProperty("referredToBy")[0].GetProperty("citation").GetString());

        var repealed = await cli.RunAsync(Ct, "show", "§ 575 MietG", "--json");
        Assert.True(repealed.Json.GetProperty("provisions")[0].GetProperty("repealed").GetBoolean());

        var stats = await cli.RunAsync(Ct, "stats", "--json");
        var s = stats.Json;
        Assert.Equal(1, s.GetProperty("corpora").GetInt64());
        Assert.Equal(2, s.GetProperty("documents").GetInt64());
        Assert.Equal(4, s.GetProperty("provisions").GetInt64());
        Assert.Equal(3, s.GetProperty("chunks").GetInt64()); // the repealed § 575 is kept but not indexed
        Assert.All(s.EnumerateObject(), p => Assert.Equal(System.Text.Json.JsonValueKind.Number, p.Value.ValueKind));

        var again = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--json");
        Assert.Equal(2, again.Json.GetProperty("unchanged").GetInt32());

        var list = await cli.RunAsync(Ct, "corpus", "list", "--json");
        Assert.Equal("fixture", list.Json.GetProperty("corpora")[0].GetProperty("name").GetString());
        Assert.Equal(0, (await cli.RunAsync(Ct, "corpus", "remove", "fixture")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync(Ct, "stats", "--json")).Json.GetProperty("documents").GetInt64());
    }

    [Fact]
    public async Task Bad_files_fail_with_reasons_and_the_batch_goes_on()
    {
        using var dir = new TempDirectory("cli-bad");
        WriteFixtureCorpus(dir);
        dir.File("acts/empty.md", "");
        dir.File("acts/binary.md", new byte[] { 0, 1, 2, 3, 0, 0, 7, 8 });
        dir.File("acts/latin1.md", Encoding.Latin1.GetBytes("# Probe\n\n## § 1 Gebühr\n\nDie Gebühr für die Prüfung beträgt 5 Mark.\n"));
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var ingest = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--json");
        Assert.Equal(1, ingest.ExitCode);
        Assert.Equal(3, ingest.Json.GetProperty("added").GetInt32());
        var failures = ingest.Json.GetProperty("failures").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("reason").GetString()!);
        Assert.Contains("empty", failures["empty.md"]);
        Assert.Contains("binary", failures["binary.md"]);

        var search = await cli.RunAsync(Ct, "search", "Prüfung Gebühr", "--json");
        Assert.Contains("Prüfung", search.Json.GetProperty("results")[0].GetProperty("snippet").GetString());
    }

    [Theory]
    [InlineData("search")]
    [InlineData("ingest", "/tmp")]
    [InlineData("search", "x", "--k", "0")]
    [InlineData("search", "x", "--mode", "telepathy")]
    [InlineData("frobnicate")]
    [InlineData("corpus", "fetch", "no-such-source")]
    [InlineData("corpus", "fetch", "de-bundesrecht")] // a manifest without a fetch section
    [InlineData("corpus", "update", "never-fetched")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        using var dir = new TempDirectory("cli-usage");
        var result = await new CliRunner(dir.Path).RunAsync(Ct, args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error", result.Stderr);
    }

    [Fact]
    public async Task Killing_an_ingest_midway_leaves_a_consistent_store_and_a_rerun_completes()
    {
        using var dir = new TempDirectory("cli-kill");
        const int files = 400;
        for (var i = 0; i < files; i++)
        {
            var sb = new StringBuilder($"---\nTitle: Gesetz {i}\njurabk: G{i}\n---\n\n# Gesetz {i} (G{i})\n\n");
            for (var s = 1; s <= 30; s++) sb.Append($"## § {s} Vorschrift {s}\n\n(1) Text {i} der Vorschrift {s} über Mietverhältnisse und Kündigung.\n\n(2) Weiterer Absatz {s}.\n\n");
            dir.File($"acts/g{i:D4}/index.md", sb.ToString());
        }
        var data = Path.Combine(dir.Path, "data");
        var cli = new CliRunner(data);
        using (var process = cli.Start("ingest", Path.Combine(dir.Path, "acts"), "--corpus", "big", "--lang", "de"))
        {
            // Kill once the store has some documents but before it is done.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, Ct);
                if (File.Exists(Path.Combine(data, "legalrag.db")) && await CountDocumentsAsync(data) > 20) break;
            }
            Assert.False(process.HasExited, "ingest finished before it could be killed; make the fixture larger");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
        }

        using (var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = data }, Ct))
        {
            Assert.Empty(await store.CheckConsistencyAsync(Ct));
            var stats = await store.GetStatisticsAsync(Ct);
            Assert.InRange(stats.Documents, 1, files - 1);
            // Every stored document is whole: all 30 provisions, 30 chunks.
            Assert.Equal(stats.Documents * 30, stats.Provisions);
            Assert.Equal(stats.Documents * 30, stats.Chunks);
        }

        var rerun = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "big", "--json");
        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(files, rerun.Json.GetProperty("added").GetInt32() + rerun.Json.GetProperty("unchanged").GetInt32());
        Assert.True(rerun.Json.GetProperty("unchanged").GetInt32() > 0);
        var final = await cli.RunAsync(Ct, "stats", "--json");
        Assert.Equal(files, final.Json.GetProperty("documents").GetInt64());
        Assert.Equal(files * 30, final.Json.GetProperty("provisions").GetInt64());
    }

    private static async Task<long> CountDocumentsAsync(string data)
    {
        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "legalrag.db")};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM documents";
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // schema not created yet
        }
    }
}
