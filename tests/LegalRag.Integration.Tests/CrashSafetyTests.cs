using System.Diagnostics;
using System.Text;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>
/// The short, CI version of tools/crash-test.sh: a fixture corpus the test writes, an ingest killed with SIGKILL a
/// few times at random points of its writing, `verify` after each kill, and `stats --json` after a final run equal to
/// a clean ingest's. Also `verify`'s contract on a damaged store: exit 1, each problem with its repair, and
/// `--repair` then the printed ingest command making it consistent.
/// </summary>
public sealed class CrashSafetyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const int Files = 300;
    private const int SectionsPerFile = 20;

    private static string WriteCorpus(TempDirectory dir)
    {
        for (var i = 0; i < Files; i++)
        {
            var sb = new StringBuilder($"---\nTitle: Verordnung {i}\njurabk: V{i}\n---\n\n# Verordnung {i} (V{i})\n\n");
            for (var s = 1; s <= SectionsPerFile; s++)
                sb.Append($"## § {s} Regel {s}\n\n(1) Regel {s} der Verordnung {i} über Fristen und Kündigung, siehe § {s % 7 + 1} V{(i + 1) % Files}.\n\n(2) Ergänzung {s}.\n\n");
            dir.File($"acts/v{i:D4}/index.md", sb.ToString());
        }
        return Path.Combine(dir.Path, "acts");
    }

    [Fact]
    public async Task Killed_ingests_leave_a_verifiable_store_and_a_final_run_equals_a_clean_ingest()
    {
        var clock = Stopwatch.StartNew();
        using var dir = new TempDirectory("crash");
        var acts = WriteCorpus(dir);
        var clean = new CliRunner(Path.Combine(dir.Path, "clean"));
        var cleanIngest = await clean.RunAsync(Ct, "ingest", acts, "--corpus", "fixture", "--lang", "de", "--json");
        Assert.Equal(0, cleanIngest.ExitCode);
        var cleanStats = (await clean.RunAsync(Ct, "stats", "--json")).Json;

        var crashData = Path.Combine(dir.Path, "crash");
        var crash = new CliRunner(crashData);
        var random = new Random(20260101);
        var killedMidWrite = 0;
        for (var kill = 0; kill < 3; kill++)
        {
            // Each kill waits for a random number of further documents to be written, so it lands inside the writes.
            var target = await StoreProbe.CountDocumentsAsync(crashData) + random.Next(5, 60);
            using (var process = crash.Start("ingest", acts, "--corpus", "fixture", "--lang", "de"))
            {
                var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(Ct), process.StandardError.ReadToEndAsync(Ct));
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!process.HasExited && DateTime.UtcNow < deadline && await StoreProbe.CountDocumentsAsync(crashData) < target)
                    await Task.Delay(20, Ct);
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true); // SIGKILL on Unix: no handler, no flush
                    killedMidWrite++;
                }
                await process.WaitForExitAsync(Ct);
                await drain;
            }
            var verify = await crash.RunAsync(Ct, "verify", "--json");
            Assert.True(verify.ExitCode == 0, $"verify after kill {kill + 1} exited {verify.ExitCode}: {verify.Stdout} {verify.Stderr}");
            Assert.True(verify.Json.GetProperty("consistent").GetBoolean());
        }
        Assert.True(killedMidWrite >= 2, $"only {killedMidWrite} of 3 kills landed inside an ingest; make the fixture larger");

        var final = await crash.RunAsync(Ct, "ingest", acts, "--corpus", "fixture", "--lang", "de", "--json");
        Assert.Equal(0, final.ExitCode);
        var finalStats = (await crash.RunAsync(Ct, "stats", "--json")).Json;
        // stats --json is counts only: nothing in it depends on time, so every field must match.
        var names = cleanStats.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names, finalStats.EnumerateObject().Select(p => p.Name).ToList());
        foreach (var name in names)
            Assert.True(cleanStats.GetProperty(name).GetRawText() == finalStats.GetProperty(name).GetRawText(),
                $"stats field {name}: clean {cleanStats.GetProperty(name)}, after kills {finalStats.GetProperty(name)}");
        Assert.Equal(0, (await crash.RunAsync(Ct, "verify")).ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the short crash test took {clock.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    public async Task Verify_reports_damage_with_its_repair_and_repair_with_the_printed_ingest_makes_the_store_consistent()
    {
        using var dir = new TempDirectory("verify-cli");
        CliEndToEndTests.WriteFixtureCorpus(dir);
        var data = Path.Combine(dir.Path, "data");
        var cli = new CliRunner(data);
        Assert.Equal(0, (await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--lang", "de")).ExitCode);
        var ok = await cli.RunAsync(Ct, "verify");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("consistent", ok.Stdout);

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "legalrag.db")};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            // A truncated document (one chunk and its full-text row gone) and an orphan full-text row.
            cmd.CommandText = """
                DELETE FROM chunks_fts WHERE rowid = (SELECT MIN(id) FROM chunks);
                DELETE FROM chunks WHERE id = (SELECT MIN(id) FROM chunks);
                INSERT INTO chunks_fts(rowid, heading, context, body, scope) VALUES (99999, 'h', 'x', 'verwaist', 'c1');
                """;
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        var bad = await cli.RunAsync(Ct, "verify");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("problem: 1 full-text rows without a chunk", bad.Stdout);
        Assert.Contains("is not whole", bad.Stdout);
        Assert.Contains("  repair: legalrag verify --repair", bad.Stdout);
        var json = (await cli.RunAsync(Ct, "verify", "--json")).Json;
        Assert.False(json.GetProperty("consistent").GetBoolean());
        Assert.Equal(["DamagedDocument", "Orphans"], json.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));

        // No manifest names this corpus's folder, so repair removes the document and says which ingest stores it again.
        var repair = await cli.RunAsync(Ct, "verify", "--repair");
        Assert.Equal(1, repair.ExitCode);
        Assert.Contains("repaired: removed damaged document fixture:", repair.Stdout);
        Assert.Contains("to do: 1 removed documents of corpus fixture: run 'legalrag ingest", repair.Stdout);
        Assert.Equal(0, (await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "acts"), "--corpus", "fixture", "--lang", "de")).ExitCode);
        var after = await cli.RunAsync(Ct, "verify", "--json");
        Assert.Equal(0, after.ExitCode);
        Assert.True(after.Json.GetProperty("consistent").GetBoolean());
    }
}

/// <summary>The document count of a store another process is writing (0 before its schema exists), read-only.</summary>
internal static class StoreProbe
{
    public static async Task<long> CountDocumentsAsync(string data)
    {
        if (!File.Exists(Path.Combine(data, "legalrag.db"))) return 0;
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
            return 0;
        }
    }
}
