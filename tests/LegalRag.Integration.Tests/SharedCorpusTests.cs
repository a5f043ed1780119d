using System.Text.Json;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Integration.Tests;

/// <summary>Ingests all German federal law once for the tests of this class (about a minute on 2 cores).</summary>
public sealed class BundesrechtFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("bundesrecht");
    public CliRunner Cli => new(Path.Combine(_dir.Path, "data"));
    public CliRunner.Result? Ingest { get; private set; }
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var root = SharedData.Root;
        var corpus = root is null ? null : Path.Combine(root, "corpora", "de-bundesrecht");
        if (corpus is null || !Directory.Exists(corpus))
        {
            SkipReason = "shared/corpora/de-bundesrecht is absent (set LEGALRAG_SHARED or place shared/ beside the repository)";
            return;
        }
        Ingest = await Cli.RunAsync(CancellationToken.None, "ingest", corpus, "--corpus", "de-bundesrecht", "--lang", "de", "--include", "*/*/index.md", "--json");
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class BundesrechtTests(BundesrechtFixture fixture) : IClassFixture<BundesrechtFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CliRunner.Result Ingested()
    {
        if (fixture.SkipReason is not null) Assert.Skip(fixture.SkipReason);
        return fixture.Ingest!;
    }

    [Fact]
    public void All_german_federal_law_ingests_without_a_single_failure()
    {
        var ingest = Ingested();
        Assert.True(ingest.ExitCode == 0, ingest.Stdout + ingest.Stderr);
        Assert.Equal(0, ingest.Json.GetProperty("failed").GetInt32());
        Assert.Equal(6636, ingest.Json.GetProperty("added").GetInt32());
        Assert.InRange(ingest.Json.GetProperty("provisions").GetInt64(), 92_000, 150_000);
    }

    [Fact]
    public async Task BGB_573_is_found_by_citation()
    {
        Ingested();
        var show = await fixture.Cli.RunAsync(Ct, "show", "BGB § 573", "--json");
        Assert.Equal(0, show.ExitCode);
        var p = Assert.Single(show.Json.GetProperty("provisions").EnumerateArray());
        Assert.Equal("BGB § 573", p.GetProperty("citation").GetString());
        Assert.Equal("Ordentliche Kündigung des Vermieters", p.GetProperty("heading").GetString());
        Assert.Contains("Titel 5 - Mietvertrag, Pachtvertrag", p.GetProperty("path").GetString());

        var search = await fixture.Cli.RunAsync(Ct, "search", "§ 573 BGB", "--json", "--k", "1");
        Assert.Equal("de-bundesrecht/bgb/s573", search.Json.GetProperty("results")[0].GetProperty("provisionId").GetString());
    }

    [Fact]
    public async Task A_lexical_query_finds_the_landlord_termination_rules()
    {
        Ingested();
        var search = await fixture.Cli.RunAsync(Ct, "search", "ordentliche Kündigung des Vermieters berechtigtes Interesse", "--json", "--k", "10", "--act", "BGB");
        var citations = search.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("citation").GetString()).ToList();
        Assert.Contains("BGB § 573", citations);
    }
}

public sealed class CodeCivilTests
{
    [Fact]
    public async Task French_query_ranks_article_544_first()
    {
        var corpus = SharedData.RequirePath("corpora/fr-code-civil");
        using var dir = new TempDirectory("fr");
        var cli = new CliRunner(Path.Combine(dir.Path, "data"));
        var ct = TestContext.Current.CancellationToken;
        var ingest = await cli.RunAsync(ct, "ingest", corpus, "--corpus", "fr-code-civil", "--lang", "fr", "--act", "Code civil", "--include", "**/Article *.md", "--json");
        Assert.Equal(0, ingest.ExitCode);
        Assert.True(ingest.Json.GetProperty("added").GetInt32() > 2500);

        var search = await cli.RunAsync(ct, "search", "droit de jouir et disposer des choses", "--json", "--k", "5");
        var top = search.Json.GetProperty("results")[0];
        Assert.Equal("Code civil, art. 544", top.GetProperty("citation").GetString());

        var show = await cli.RunAsync(ct, "show", "Art. 544 Code civil", "--json");
        Assert.Contains("La propriété est le droit de jouir", show.Json.GetProperty("provisions")[0].GetProperty("text").GetString());
    }
}
