using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Retrieval.Ranking;
using LegalRag.Retrieval.Search;
using Xunit;

namespace LegalRag.Retrieval.Tests.Ranking;

public sealed class RankingStageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<string>> RankAsync(FakeRankingStore store, IRanker? ranker = null, string query = "Kündigung Wohnung Vermieter")
    {
        var search = new SearchService(store, store, rankers: ranker is null ? null : [ranker], signalsSource: store, references: store);
        var hits = await search.RetrieveAsync(new SearchRequest { Query = query, K = 10 }, SearchFilter.None, search.CandidatesFor(10), Ct);
        return hits.Select(h => h.ProvisionKey).ToList();
    }

    [Fact]
    public async Task The_same_text_is_shown_once_and_its_best_placed_copy_stays()
    {
        var store = new FakeRankingStore();
        var a = store.Add("SokaSiG", "1", "Tarif: Beitrag des Arbeitgebers 20,5 Prozent der Bruttolohnsumme.");
        var b = store.Add("SokaSiG", "1~2", "Tarif: Beitrag des Arbeitgebers 20,5 Prozent der Bruttolohnsumme.");
        var c = store.Add("SokaSiG", "1~3", "Tarif:  beitrag des Arbeitgebers, 20,5 Prozent der Bruttolohnsumme");
        var d = store.Add("SokaSiG", "2", "Tarif: Beitrag des Arbeitgebers 21,5 Prozent der Bruttolohnsumme.");
        store.LexicalOrder.AddRange([b.Key, a.Key, c.Key, d.Key]);

        Assert.Equal([b.Key, d.Key], await RankAsync(store));
    }

    [Fact]
    public async Task Only_law_in_force_today_is_ranked_superseded_future_and_withdrawn_texts_are_not()
    {
        var store = new FakeRankingStore();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        StoredProvision Dated(StoredProvision p, DateOnly? from = null, DateOnly? to = null, DateOnly? actTo = null)
        {
            var dated = p with
            {
                Provision = new Provision
                {
                    Key = p.Provision.Key, Kind = p.Provision.Kind, Number = p.Provision.Number, Citation = p.Provision.Citation,
                    Paragraphs = p.Provision.Paragraphs, Ordinal = p.Provision.Ordinal, ValidFrom = from, ValidTo = to,
                },
                Act = actTo is null ? null : new StoredActInfo(null, [], null, actTo, null),
            };
            store.Provisions[store.Provisions.IndexOf(p)] = dated;
            return dated;
        }
        var superseded = Dated(store.Add("CC", "1240", "Tout fait quelconque de l'homme, qui cause à autrui un dommage"), new DateOnly(1804, 2, 19), new DateOnly(2016, 10, 1));
        var future = Dated(store.Add("CC", "1240~2", "Tout fait quelconque de la personne, qui cause à autrui un dommage"), today.AddDays(30));
        var withdrawn = Dated(store.Add("AltG", "1", "Wer einen Schaden verursacht, ersetzt ihn."), actTo: today);
        var inForce = Dated(store.Add("CC", "1240~3", "Tout fait quelconque de l'homme, qui cause à autrui un dommage, oblige"), new DateOnly(2016, 10, 1));
        var undated = store.Add("BGB", "823", "Wer vorsätzlich oder fahrlässig das Leben verletzt, ist zum Ersatz verpflichtet.");
        store.LexicalOrder.AddRange([superseded.Key, future.Key, withdrawn.Key, inForce.Key, undated.Key]);

        Assert.Equal([inForce.Key, undated.Key], await RankAsync(store));
    }

    [Fact]
    public async Task Repealed_provisions_are_never_ranked()
    {
        var store = new FakeRankingStore();
        var gone = store.Add("BGB", "564a", "(weggefallen)", repealed: true);
        var live = store.Add("BGB", "573", "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse hat.");
        store.LexicalOrder.AddRange([gone.Key, live.Key]);

        Assert.Equal([live.Key], await RankAsync(store));
    }

    [Fact]
    public async Task A_ranker_for_the_mode_reorders_by_its_score_and_one_for_another_mode_is_not_used()
    {
        var store = new FakeRankingStore();
        var small = store.Add("SchuldRAnpG", "52", "Kündigung durch den Vermieter einer Wohnung.");
        var big = store.Add("BGB", "573", "Der Vermieter kann kündigen, wenn er ein berechtigtes Interesse an der Beendigung hat.");
        for (var i = 0; i < 30; i++) store.Add("BGB", (600 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), $"Text {i} über etwas anderes Nummer {i}.");
        store.LexicalOrder.AddRange([small.Key, big.Key]);

        // One stump on act size: the larger act first.
        var actSize = RankingFeatures.Names.ToList().IndexOf("act_size");
        var model = new TreeEnsembleModel
        {
            Mode = "lexical",
            Features = RankingFeatures.Names,
            Trees = [new RegressionTreeModel([actSize], [2.0f], [-1], [-2], [0.0, 1.0])],
        };
        Assert.Equal([big.Key, small.Key], await RankAsync(store, new TreeEnsembleRanker(model, "test")));
        Assert.Equal([small.Key, big.Key], await RankAsync(store, new TreeEnsembleRanker(model with { Mode = "hybrid" }, "test")));
        Assert.Equal(2, store.ProvisionBatches); // one batch read per ranking, not one read per provision
    }

    [Fact]
    public async Task Candidates_carry_features_from_the_act_the_text_and_the_reference_graph()
    {
        var store = new FakeRankingStore();
        var p = store.Add("BGB", "573", "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse hat.", heading: "Ordentliche Kündigung des Vermieters",
            title: "Bürgerliches Gesetzbuch", path: "Mietverhältnisse über Wohnungen");
        var annex = store.Add("AnpV", "1", "Anlage zur Wohnung", kind: Core.Domain.ProvisionKind.Annex, title: "Verordnung zur Anpassung");
        store.InDegrees[p.Key] = 7;
        store.LexicalOrder.AddRange([p.Key, annex.Key]);
        var search = new SearchService(store, store, signalsSource: store, references: store);
        var candidates = await search.CandidatesAsync(new SearchRequest { Query = "Darf der Vermieter die Wohnung kündigen?", K = 10 }, SearchFilter.None, 100, Ct);

        float F(RankedCandidate c, string name) => c.Features[RankingFeatures.Names.ToList().IndexOf(name)];
        var first = candidates[0];
        Assert.Equal(p.Key, first.Hit.ProvisionKey);
        Assert.Equal(1f, F(first, "lexical_rr"));
        Assert.Equal(0f, F(first, "dense_available"));
        Assert.Equal((float)Math.Log(8), F(first, "in_degree"), 5);
        Assert.True(F(first, "cover_context") > 0, "'Wohnung' is in the hierarchy path");
        Assert.True(F(first, "cover_heading") > 0, "'kündigen' matches the heading's 'Kündigung' after stemming");
        Assert.Equal(0f, F(first, "annex"));
        var second = candidates[1];
        Assert.Equal(1f, F(second, "annex"));
        Assert.Equal(1f, F(second, "act_ordinance"));
        Assert.Equal(0.5f, F(second, "lexical_rr"));
    }

    [Fact]
    public async Task A_corpus_in_a_language_the_embedding_model_was_not_trained_on_is_searched_lexically()
    {
        var store = new FakeRankingStore();
        store.Add("BGB", "1", "Die Rechtsfähigkeit des Menschen beginnt mit der Vollendung der Geburt.");
        SearchService Search(string[]? languages) => new(store, store, new SearchOptions { DenseLanguages = languages }, signalsSource: store);
        var hybrid = new SearchRequest { Query = "Geburt", Corpus = "c", Mode = RetrievalMode.Hybrid };

        Assert.Equal(RetrievalMode.Lexical, await Search(["fr"]).EffectiveModeAsync(hybrid, Ct));
        Assert.Equal(RetrievalMode.Hybrid, await Search(["de"]).EffectiveModeAsync(hybrid, Ct));
        Assert.Equal(RetrievalMode.Hybrid, await Search(null).EffectiveModeAsync(hybrid, Ct));
        Assert.Equal(RetrievalMode.Hybrid, await Search(["fr"]).EffectiveModeAsync(hybrid with { Corpus = null }, Ct));
    }

    [Theory]
    [InlineData("de", "Bürgerliches Gesetzbuch", ActKind.Statute)]
    [InlineData("de", "Abgabenordnung", ActKind.Statute)]
    [InlineData("de", "Verordnung über die Zulassung von Personen zum Straßenverkehr", ActKind.Ordinance)]
    [InlineData("de", "Gesetz zur Änderung des Bürgerlichen Gesetzbuchs", ActKind.Amending)]
    [InlineData("de", "Einführungsgesetz zum Bürgerlichen Gesetzbuche", ActKind.Transitional)]
    [InlineData("de", "Abkommen zwischen der Bundesrepublik Deutschland und Frankreich", ActKind.Treaty)]
    [InlineData("fr", "Décret relatif aux congés", ActKind.Ordinance)]
    [InlineData("nl", "Besluit huurprijzen woonruimte", ActKind.Ordinance)]
    [InlineData("nl", "Invoeringswet Omgevingswet", ActKind.Transitional)]
    [InlineData("nl", "Burgerlijk Wetboek Boek 7", ActKind.Statute)]
    [InlineData("xx", "Verordnung", ActKind.Statute)]
    public void Acts_are_classified_by_the_words_of_their_title(string language, string title, ActKind expected) =>
        Assert.Equal(expected, ActKinds.Classify(language, title));
}
