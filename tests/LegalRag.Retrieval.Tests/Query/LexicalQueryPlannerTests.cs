using LegalRag.Core.Abstractions;
using LegalRag.Retrieval.Query;
using Xunit;

namespace LegalRag.Retrieval.Tests.Query;

public sealed class LexicalQueryPlannerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Document frequencies by asked term ("kundig*" for a prefix), as an index would report them.</summary>
    private sealed class FakeStatistics(long totalChunks, Dictionary<string, long> frequencies) : IRankingSignals
    {
        public List<IReadOnlyCollection<string>> Asked { get; } = [];

        public Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyCollection<string> terms, CancellationToken cancellationToken)
        {
            Asked.Add(terms);
            return Task.FromResult(new TermStatistics(totalChunks, terms.ToDictionary(t => t, t => frequencies.GetValueOrDefault(t))));
        }

        public Task<IReadOnlyList<ActSummary>> GetActsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActSummary>>([]);

        public Task<IReadOnlyList<StoredProvision>> GetProvisionsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredProvision>>([]);
    }

    private static string Stem(string word) => new LegalRag.Core.Text.TextAnalyzer("de").Analyze(word).Single();

    [Fact]
    public async Task A_keyword_query_keeps_every_term_and_matches_long_words_as_prefixes()
    {
        var statistics = new FakeStatistics(100_000, []);
        var plan = await new LexicalQueryPlanner(statistics: statistics).PlanAsync("Kündigung: Eigenbedarf", ["de"], Ct);

        Assert.Equal(["kundigung", "eigenbedarf"], plan.Terms.Select(t => t.Text));
        Assert.All(plan.Terms, t => Assert.True(t.Prefix));
        Assert.Empty(statistics.Asked); // a keyword query needs no statistics
    }

    [Fact]
    public async Task Short_terms_and_numbers_are_never_prefixes()
    {
        var plan = await new LexicalQueryPlanner().PlanAsync("Miete 573 Kauf", ["de"], Ct);

        Assert.DoesNotContain(plan.Terms, t => t.Prefix && (t.Text.Length < 5 || char.IsDigit(t.Text[0])));
        Assert.Contains(plan.Terms, t => t.Text == "573" && !t.Prefix);
    }

    [Fact]
    public async Task A_long_question_keeps_its_rarest_terms_and_drops_common_ones()
    {
        // 10,000 chunks: "vermiet" is in 30 % of them (common), the others are rare to rarer.
        var statistics = new FakeStatistics(10_000, new Dictionary<string, long>
        {
            [Stem("Vermieter") + "*"] = 3_000, [Stem("Wohnung") + "*"] = 400, [Stem("Eigenbedarf") + "*"] = 12,
            [Stem("Tochter") + "*"] = 90, [Stem("kündigen") + "*"] = 700, [Stem("einziehen") + "*"] = 40,
        });
        var plan = await new LexicalQueryPlanner(statistics: statistics)
            .PlanAsync("Darf mein Vermieter die Wohnung kündigen, weil seine Tochter einziehen will? Eigenbedarf", ["de"], Ct);

        var kept = plan.Terms.Select(t => t.Text).ToList();
        Assert.DoesNotContain(Stem("Vermieter"), kept);
        Assert.Equal(Stem("Eigenbedarf"), kept[0]); // rarest first
        Assert.Contains(Stem("Tochter"), kept);
        Assert.Equal(5, kept.Count);
    }

    [Fact]
    public async Task The_postings_budget_stops_after_three_terms_once_exceeded()
    {
        var statistics = new FakeStatistics(1_000_000, new Dictionary<string, long>
        {
            ["alpha*"] = 5_000, ["bravo*"] = 6_000, ["charlie*"] = 7_000, ["delta*"] = 8_000, ["echoes*"] = 9_000,
        });
        var planner = new LexicalQueryPlanner(new LexicalPlanOptions { MaxQueryPostings = 12_000 }, statistics);
        var plan = await planner.PlanAsync("alpha bravo charlie delta echoes", ["en"], Ct);

        Assert.Equal(["alpha", "bravo", "charlie"], plan.Terms.Select(t => t.Text));
    }

    [Fact]
    public async Task An_index_without_statistics_is_asked_for_every_term()
    {
        var plan = await new LexicalQueryPlanner(statistics: new FakeStatistics(0, [])).PlanAsync("alpha bravo charlie delta echoes foxtrot", ["en"], Ct);

        Assert.Equal(6, plan.Terms.Count);
    }

    [Fact]
    public async Task Terms_that_occur_nowhere_are_not_asked_for_when_others_do()
    {
        var statistics = new FakeStatistics(10_000, new Dictionary<string, long> { ["bravo*"] = 20 });
        var plan = await new LexicalQueryPlanner(statistics: statistics).PlanAsync("alpha bravo charlie delta echoes", ["en"], Ct);

        Assert.Equal(["bravo"], plan.Terms.Select(t => t.Text));
    }

    [Fact]
    public async Task Field_weights_travel_with_the_query()
    {
        var weights = new LexicalFieldWeights(Heading: 2.5, Context: 0.5);
        var plan = await new LexicalQueryPlanner(new LexicalPlanOptions { FieldWeights = weights }).PlanAsync("Eigenbedarf", ["de"], Ct);

        Assert.Equal(weights, plan.FieldWeights);
    }

    [Fact]
    public async Task Hostile_input_is_cut_to_a_bounded_number_of_terms()
    {
        var text = string.Join(' ', Enumerable.Range(0, 5_000).Select(i => "wort" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var plan = await new LexicalQueryPlanner().PlanAsync(text, ["de", "fr"], Ct);

        Assert.True(plan.Terms.Count <= LexicalQueryPlanner.MaxAnalyzedTerms);
    }

    [Fact]
    public async Task Only_stopwords_plan_an_empty_query()
    {
        var plan = await new LexicalQueryPlanner().PlanAsync("und der die das", ["de"], Ct);

        Assert.True(plan.IsEmpty);
    }
}
