using LegalRag.Answering.Llm;
using LegalRag.Answering.Tests.Support;
using LegalRag.Retrieval.Search;
using Xunit;

namespace LegalRag.Answering.Tests;

/// <summary>Answers as of a day: the day chosen or named in the question selects the version retrieved, cited and stated.</summary>
public sealed class AsOfAnswerTests
{
    private const string Question = "Une libéralité au profit d'un établissement d'utilité publique doit-elle être autorisée ?";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_year_in_the_question_selects_the_version_then_in_force_and_the_answer_says_so()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = "En 2008, une libéralité au profit d'un établissement d'utilité publique devait-elle être autorisée ?" }, Ct);

        Assert.False(answer.Refused, answer.Text);
        Assert.Equal(new DateOnly(2008, 1, 1), answer.AsOf);
        Assert.Equal(AsOfSource.Question, answer.AsOfSource);
        Assert.Equal("En 2008", answer.AsOfText);
        var lines = answer.Text.Split('\n');
        Assert.StartsWith("Selon le droit en vigueur au 01/01/2008. Date lue dans la question (« En 2008 ») ; pour une autre date", lines[0]);
        Assert.Contains("Code civil, art. 910 (version en vigueur du 13/03/1804)", lines[1]);
        Assert.Equal(VersionedCorpus.OldKey, answer.Citations[0].ProvisionId);
        Assert.Equal(new DateOnly(1804, 3, 13), answer.Citations[0].ValidFrom);
        Assert.DoesNotContain(VersionedCorpus.NewKey, answer.RetrievedProvisionIds);
        // The year is not searched: "2008" is not a term of the query retrieval ran.
        Assert.DoesNotContain("2008", answer.StandaloneQuery);
    }

    [Fact]
    public async Task Without_a_day_the_answer_is_as_of_today_and_has_no_as_of_line()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = Question }, Ct);

        Assert.Equal(VersionedCorpus.Today, answer.AsOf);
        Assert.Equal(AsOfSource.Today, answer.AsOfSource);
        Assert.Null(answer.AsOfText);
        Assert.DoesNotContain("Selon le droit en vigueur", answer.Text);
        Assert.Contains("Code civil, art. 910 (version en vigueur du 19/05/2011)", answer.Text.Split('\n')[0]);
        Assert.Contains(VersionedCorpus.NewKey, answer.RetrievedProvisionIds);
        Assert.DoesNotContain(VersionedCorpus.OldKey, answer.RetrievedProvisionIds);
    }

    [Fact]
    public async Task A_chosen_day_overrides_the_one_the_question_names()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = "En 2015, " + Question, AsOf = new DateOnly(2000, 6, 30) }, Ct);

        Assert.Equal(new DateOnly(2000, 6, 30), answer.AsOf);
        Assert.Equal(AsOfSource.User, answer.AsOfSource);
        Assert.Equal("Selon le droit en vigueur au 30/06/2000.", answer.Text.Split('\n')[0]);
        Assert.Contains(VersionedCorpus.OldKey, answer.RetrievedProvisionIds);
        Assert.DoesNotContain(VersionedCorpus.NewKey, answer.RetrievedProvisionIds);
    }

    [Fact]
    public async Task A_chosen_day_in_another_language_is_written_in_that_language()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = Question, Language = "de", AsOf = new DateOnly(2012, 3, 3) }, Ct);
        Assert.Equal("Nach der am 03.03.2012 geltenden Rechtslage.", answer.Text.Split('\n')[0]);
        Assert.Contains("Code civil, art. 910 (Fassung gültig ab 19.05.2011)", answer.Text);
    }

    [Fact]
    public async Task A_citation_looked_up_as_of_a_day_is_the_version_then_in_force()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        var before = await corpus.Search.SearchAsync(new SearchRequest { Query = "Code civil, art. 910", AsOf = new DateOnly(2010, 12, 31) }, Ct);
        var on = await corpus.Search.SearchAsync(new SearchRequest { Query = "Code civil, art. 910", AsOf = VersionedCorpus.Changed }, Ct);
        var today = await corpus.Search.SearchAsync(new SearchRequest { Query = "Code civil, art. 910" }, Ct);

        Assert.Equal(VersionedCorpus.OldKey, Assert.Single(before.Results, r => r.CitationMatch).ProvisionId);
        // The day a version starts is its own: the old one ended the day before.
        Assert.Equal(VersionedCorpus.NewKey, Assert.Single(on.Results, r => r.CitationMatch).ProvisionId);
        Assert.Equal(VersionedCorpus.NewKey, Assert.Single(today.Results, r => r.CitationMatch).ProvisionId);
    }

    [Fact]
    public async Task Ranked_search_as_of_a_day_offers_only_what_was_in_force_then()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        var old = await corpus.Search.SearchAsync(new SearchRequest { Query = "libéralités établissements autorisation", AsOf = new DateOnly(1990, 1, 1) }, Ct);
        var now = await corpus.Search.SearchAsync(new SearchRequest { Query = "libéralités établissements autorisation" }, Ct);

        Assert.Contains(old.Results, r => r.ProvisionId == VersionedCorpus.OldKey);
        Assert.DoesNotContain(old.Results, r => r.ProvisionId == VersionedCorpus.NewKey);
        Assert.Contains(now.Results, r => r.ProvisionId == VersionedCorpus.NewKey);
        Assert.DoesNotContain(now.Results, r => r.ProvisionId == VersionedCorpus.OldKey);
        // The article that never changed is law on both days.
        Assert.Contains(old.Results, r => r.ProvisionId == VersionedCorpus.StableKey);
        Assert.Contains(now.Results, r => r.ProvisionId == VersionedCorpus.StableKey);
    }

    [Fact]
    public async Task A_model_answer_as_of_a_day_is_given_the_version_and_states_it_with_the_day()
    {
        using var corpus = await VersionedCorpus.CreateAsync(Ct);
        const string old = "Code civil, art. 910 (version en vigueur du 13/03/1804)";
        await using var fake = new FakeOpenAiServer(r =>
        {
            var n = FakeOpenAiServer.SourceNumber(r, old);
            return new FakeReply { Text = $"Oui, elle devait être autorisée par un décret [{n}]." };
        });
        var llm = new LlmOptions { Endpoint = fake.Endpoint, Model = "fake-model", ApiKey = "test-key", TimeoutSeconds = 20 };
        var events = new List<AnswerEvent>();
        await foreach (var e in corpus.Answers(new OpenAiCompatibleChatClient(llm)).StreamAsync(new AnswerRequest { Question = "Au 1er janvier 2008, " + Question }, Ct)) events.Add(e);

        var answer = Assert.IsType<AnswerCompleted>(events[^1]).Answer;
        Assert.Equal(AnswerMode.Llm, answer.Mode);
        Assert.Equal(new DateOnly(2008, 1, 1), answer.AsOf);
        var lines = answer.Text.Split('\n');
        Assert.StartsWith("Selon le droit en vigueur au 01/01/2008. Date lue dans la question (« Au 1er janvier 2008 »)", lines[0]);
        Assert.Equal("Oui, elle devait être autorisée par un décret. [Code civil, art. 910]", lines[1]);
        Assert.Equal($"Versions citées : {old}", lines[^1]);
        // What was streamed is what was answered.
        Assert.Equal(answer.Text, string.Concat(events.OfType<AnswerTextDelta>().Select(d => d.Text)));
    }
}
