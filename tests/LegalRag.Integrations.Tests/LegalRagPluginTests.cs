using LegalRag.Answering.Tests.Support;
using LegalRag.Integrations.SemanticKernel;
using Microsoft.Extensions.Configuration;
using Microsoft.SemanticKernel;
using Xunit;

namespace LegalRag.Integrations.Tests;

/// <summary>The Semantic Kernel plugin, invoked through a kernel composed by AddLegalRag over the ingested fixture store.</summary>
public sealed class LegalRagPluginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Kernel KernelOver(FixtureCorpus corpus)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LegalRag:DataDirectory"] = corpus.DataDirectory })
            .Build();
        return Kernel.CreateBuilder().AddLegalRagPlugin(configuration).Build();
    }

    private static async Task<T> InvokeAsync<T>(Kernel kernel, string function, KernelArguments arguments) =>
        (await kernel.InvokeAsync(LegalRagPlugin.Name, function, arguments, Ct)).GetValue<T>()
        ?? throw new InvalidOperationException($"{function} returned nothing");

    [Fact]
    public async Task The_kernel_lists_search_show_and_ask_with_described_parameters()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var kernel = KernelOver(corpus);
        var plugin = kernel.Plugins[LegalRagPlugin.Name];
        Assert.Equal(["ask", "search", "show"], plugin.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray());
        var search = plugin["search"].Metadata;
        Assert.False(string.IsNullOrWhiteSpace(search.Description));
        var query = Assert.Single(search.Parameters, p => p.Name == "query");
        Assert.True(query.IsRequired);
        Assert.False(Assert.Single(search.Parameters, p => p.Name == "corpus").IsRequired);
        // The cancellation token is the kernel's business, not a parameter a model fills in.
        Assert.DoesNotContain(search.Parameters, p => p.Name == "cancellationToken");
    }

    [Fact]
    public async Task Search_returns_ranked_provisions_with_citations()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var kernel = KernelOver(corpus);
        var found = await InvokeAsync<LegalSearchResults>(kernel, "search", new() { ["query"] = "Kündigung wegen Eigenbedarf", ["corpus"] = "fixture", ["k"] = 3 });
        Assert.Equal("lexical", found.Mode);
        Assert.InRange(found.Results.Count, 1, 3);
        var top = found.Results[0];
        Assert.Equal("fixture/mietg/s573", top.ProvisionId);
        Assert.Equal("MietG § 573", top.Citation);
        Assert.StartsWith(top.Citation, top.Pinpoint, StringComparison.Ordinal);
        Assert.Contains("Eigenbedarf", top.Snippet, StringComparison.Ordinal);
        Assert.All(found.Results, r => Assert.Equal("fixture", r.Corpus));

        // The same request the CLI and the server make, through the same composition, ranks the same.
        var direct = await corpus.Search.SearchAsync(new() { Query = "Kündigung wegen Eigenbedarf", Corpus = "fixture", K = 3 }, Ct);
        Assert.Equal(direct.Results.Select(r => r.ProvisionId), found.Results.Select(r => r.ProvisionId));

        var byCitation = await InvokeAsync<LegalSearchResults>(kernel, "search", new() { ["query"] = "§ 574 MietG" });
        Assert.Equal("fixture/mietg/s574", byCitation.Results[0].ProvisionId);
    }

    [Fact]
    public async Task Show_returns_a_provisions_text_by_citation_or_id_and_names_bad_input()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var kernel = KernelOver(corpus);
        var byCitation = await InvokeAsync<LegalProvisions>(kernel, "show", new() { ["citation"] = "MietG § 573" });
        var provision = Assert.Single(byCitation.Provisions);
        Assert.Equal("fixture/mietg/s573", provision.ProvisionId);
        Assert.Equal("Ordentliche Kündigung des Vermieters", provision.Heading);
        Assert.Contains(provision.Paragraphs, p => p.Label == "2" && p.Text.Contains("(Eigenbedarf)", StringComparison.Ordinal));

        var byId = await InvokeAsync<LegalProvisions>(kernel, "show", new() { ["citation"] = "fixture/mietg/s573c" });
        Assert.Equal("MietG § 573c", Assert.Single(byId.Provisions).Citation);

        var none = await InvokeAsync<LegalProvisions>(kernel, "show", new() { ["citation"] = "MietG § 999" });
        Assert.Empty(none.Provisions);

        var bad = await Assert.ThrowsAsync<ArgumentException>(() => kernel.InvokeAsync(LegalRagPlugin.Name, "show", new() { ["citation"] = "nothing like a citation" }, Ct));
        Assert.Contains("neither a citation nor a provision id", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_answers_with_verified_citations_and_refuses_what_the_statutes_do_not_cover()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var kernel = KernelOver(corpus);
        var answer = await InvokeAsync<LegalAnswer>(kernel, "ask", new() { ["question"] = "Darf mein Vermieter wegen Eigenbedarf kündigen?", ["corpus"] = "fixture" });
        Assert.False(answer.Refused);
        Assert.Equal("extractive", answer.Mode);
        Assert.Equal("de", answer.Language);
        Assert.StartsWith("In Betracht kommt: MietG § 573", answer.Text, StringComparison.Ordinal);
        var citation = answer.Citations.First(c => c.ProvisionId == "fixture/mietg/s573" && c.Quote.Contains("(Eigenbedarf)", StringComparison.Ordinal));
        Assert.Equal("MietG § 573 Abs. 2", citation.Citation);
        Assert.Contains($"[{citation.Citation}", answer.Text, StringComparison.Ordinal);

        var refused = await InvokeAsync<LegalAnswer>(kernel, "ask", new() { ["question"] = "Wie backe ich einen Schokoladenkuchen?", ["corpus"] = "fixture" });
        Assert.True(refused.Refused);
        Assert.Empty(refused.Citations);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_kernel_build_with_the_key_named()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LegalRag:DataDirectory"] = corpus.DataDirectory, ["LegalRag:Search:DefaultMode"] = "fuzzy" })
            .Build();
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Kernel.CreateBuilder().AddLegalRagPlugin(configuration).Build());
        Assert.Contains("LegalRag:Search:DefaultMode", error.Message, StringComparison.Ordinal);
    }
}
