using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>Versions end to end (issue 14): a versions file, snapshots with --as-of, show --history and --diff.</summary>
public sealed class VersionsCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Versions = """
        {"act": "Code civil", "article": "Article 229", "path": "Livre Ier/Titre VI/Article 229.md", "valid_from": "1976-01-01", "valid_to": "2005-01-01", "changed_by": "Modifié par Décret 75-1122", "text": "Le divorce peut être prononcé en cas soit de consentement mutuel, soit de rupture de la vie commune, soit de faute."}
        {"act": "Code civil", "article": "Article 229", "path": "Livre Ier/Titre VI/Article 229.md", "valid_from": "2005-01-01", "valid_to": null, "changed_by": "Modifié par Loi n°2003-516", "text": "Le divorce peut être prononcé en cas soit de consentement mutuel, soit d'acceptation du principe de la rupture du mariage, soit de faute."}
        {"act": "Code civil", "article": "Article 1", "path": "Titre préliminaire/Article 1.md", "valid_from": "1803-03-15", "valid_to": null, "changed_by": "Créé par Loi 1803-03-05", "text": "Les lois sont exécutoires dans tout le territoire."}
        """;

    [Fact]
    public async Task A_versions_file_is_ingested_and_show_lists_the_history_and_diffs_two_days()
    {
        using var dir = new TempDirectory("cli-versions");
        var file = dir.File("history/versions.jsonl", Versions);
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var ingest = await cli.RunAsync(Ct, "ingest", file, "--corpus", "cc", "--lang", "fr", "--json");
        Assert.Equal(0, ingest.ExitCode);
        Assert.Equal(3, ingest.Json.GetProperty("provisions").GetInt64());

        // Without a date the citation names the version in force today.
        var show = await cli.RunAsync(Ct, "show", "Code civil, art. 229", "--json");
        Assert.Equal(0, show.ExitCode);
        var current = Assert.Single(show.Json.GetProperty("provisions").EnumerateArray());
        Assert.Equal("cc/code-civil/a229@2005-01-01", current.GetProperty("provisionId").GetString());

        var history = await cli.RunAsync(Ct, "show", "Code civil, art. 229", "--history", "--json");
        Assert.Equal(0, history.ExitCode);
        var versions = history.Json.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(["1976-01-01", "2005-01-01"], versions.Select(v => v.GetProperty("validFrom").GetString()));
        Assert.Equal("2005-01-01", versions[0].GetProperty("validTo").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, versions[1].GetProperty("validTo").ValueKind);
        Assert.Equal("Modifié par Décret 75-1122", versions[0].GetProperty("changedBy").GetString());
        Assert.Equal([false, true], versions.Select(v => v.GetProperty("inForce").GetBoolean()));

        var diff = await cli.RunAsync(Ct, "show", "Code civil, art. 229", "--diff", "1990-01-01", "2010-01-01", "--json");
        Assert.Equal(0, diff.ExitCode);
        var segments = diff.Json.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("op").GetString(), s.GetProperty("text").GetString())).ToList();
        Assert.Contains(("delete", "de rupture"), segments);
        Assert.Contains(("insert", "d'acceptation du principe"), segments);
        Assert.True(diff.Json.GetProperty("changed").GetBoolean());

        var plain = await cli.RunAsync(Ct, "show", "Code civil, art. 229", "--diff", "1990-01-01", "2010-01-01");
        Assert.Contains("[-de rupture-] {+d'acceptation du principe+}", plain.Stdout.ReplaceLineEndings(" "));

        var none = await cli.RunAsync(Ct, "show", "Code civil, art. 229", "--diff", "1900-01-01", "2010-01-01");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no version of Code civil, art. 229 is in force on 1900-01-01", none.Stderr);
    }

    [Fact]
    public async Task Snapshots_with_as_of_add_versions_for_changed_texts_and_close_what_is_gone()
    {
        using var dir = new TempDirectory("cli-snapshots");
        dir.File("s1/Titre Ier/Article 1.md", "# Article 1\n\nLes lois sont exécutoires.\n");
        dir.File("s1/Titre Ier/Article 2.md", "# Article 2\n\nLa loi ne dispose que pour l'avenir.\n");
        dir.File("s2/Titre Ier/Article 1.md", "# Article 1\n\nLes lois sont exécutoires dans tout le territoire.\n");
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));

        var first = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "s1"), "--corpus", "cc", "--lang", "fr", "--act", "Code civil", "--as-of", "2000-01-01", "--json");
        Assert.Equal(0, first.ExitCode);
        var second = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "s2"), "--corpus", "cc", "--lang", "fr", "--act", "Code civil", "--as-of", "2010-06-01", "--json");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(1, second.Json.GetProperty("newVersions").GetInt64());
        Assert.Equal(1, second.Json.GetProperty("closed").GetInt32());

        var history = await cli.RunAsync(Ct, "show", "Code civil, art. 1", "--history", "--json");
        Assert.Equal(["2000-01-01", "2010-06-01"], history.Json.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("validFrom").GetString()));
        // Article 2 is gone from the 2010 snapshot: closed that day, still there.
        var gone = await cli.RunAsync(Ct, "show", "Code civil, art. 2", "--json");
        Assert.Equal(0, gone.ExitCode);
        var article2 = Assert.Single(gone.Json.GetProperty("provisions").EnumerateArray());
        Assert.Equal("2010-06-01", article2.GetProperty("validTo").GetString());

        var bad = await cli.RunAsync(Ct, "ingest", Path.Combine(dir.Path, "s2"), "--corpus", "cc", "--as-of", "1.6.2010");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("not a date YYYY-MM-DD", bad.Stderr);
    }
}
