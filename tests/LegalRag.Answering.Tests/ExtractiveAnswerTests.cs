using LegalRag.Answering.Tests.Support;
using LegalRag.Answering.Verification;
using Xunit;

namespace LegalRag.Answering.Tests;

/// <summary>Extractive answers on a real ingested corpus: useful, cited, verbatim, in the question's language, refusing off-topic questions.</summary>
public sealed class ExtractiveAnswerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task German_question_gets_a_short_cited_answer_quoting_the_key_sentences()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);

        Assert.False(answer.Refused);
        Assert.Equal(AnswerMode.Extractive, answer.Mode);
        Assert.Equal("de", answer.Language);
        var lines = answer.Text.Split('\n');
        // § 573c also speaks of the landlord's notice, so § 573 is not far enough ahead to be called decisive.
        Assert.StartsWith("In Betracht kommt: MietG § 573 (Ordentliche Kündigung des Vermieters)", lines[0]);
        var quoted = lines.Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.InRange(quoted.Count, 2, 4);
        // The sentence naming Eigenbedarf is quoted with its paragraph pinpoint.
        Assert.Contains(quoted, l => l.Contains("(Eigenbedarf).“ [MietG § 573 Abs. 2]", StringComparison.Ordinal));
        Assert.All(quoted, l => Assert.Matches(@"\[MietG § 57\d[a-z]?( Abs\. \d)?( Satz \d)?( Nr\. \d)?\]$", l));
        // Cited at the depth of the quote: Abs. 1 has two sentences, so its first is "Satz 1".
        Assert.Contains(quoted, l => l.EndsWith("[MietG § 573 Abs. 1 Satz 1]", StringComparison.Ordinal));

        // Every citation's quote is verbatim in its provision, and every marker in the text has its citation.
        foreach (var c in answer.Citations)
        {
            var provision = await corpus.Store.GetProvisionAsync(c.ProvisionId, Ct);
            Assert.NotNull(provision);
            Assert.True(CitationVerifier.ContainsVerbatim(provision.Provision.Text, c.Quote), $"quote not verbatim: {c.Quote}");
            Assert.Contains($"[{c.Citation}]", answer.Text);
        }
        Assert.Contains(answer.Citations, c => c is { Citation: "MietG § 573 Abs. 2", ProvisionId: "fixture/mietg/s573", Paragraph: "2" });
        Assert.Contains("fixture/mietg/s573", answer.RetrievedProvisionIds);
    }

    [Fact]
    public async Task Lead_is_in_the_question_language_and_says_the_quotes_are_in_the_corpus_language()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = "Kündigung Vermieter Eigenbedarf", Language = "en" }, Ct);
        Assert.False(answer.Refused);
        // Named as the deciding provision or as a candidate, depending on the margin; in English either way.
        Assert.Matches("^(The relevant provision|Possibly relevant: )", answer.Text);
        Assert.Contains("(quoted in German):", answer.Text.Split('\n')[0]);
    }

    [Theory]
    [InlineData("Wie backe ich einen Schokoladenkuchen ohne Eier?", "de", "Dazu habe ich in den verfügbaren Vorschriften nichts Einschlägiges gefunden")]
    [InlineData("Who won the football world cup in 2014?", "en", "I found nothing relevant")]
    [InlineData("Comment faire une tarte aux pommes?", "fr", "Je n'ai rien trouvé de pertinent")]
    [InlineData("Hoe laat vertrekt de trein naar Amsterdam?", "nl", "Ik heb hierover in de beschikbare bepalingen niets relevants gevonden")]
    [InlineData("Kui palju maksab lennupilet Tallinnast Pariisi?", "et", "Ma ei leidnud olemasolevatest sätetest")]
    public async Task Off_topic_questions_are_refused_in_their_own_language(string question, string language, string refusal)
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = question }, Ct);
        Assert.True(answer.Refused, answer.Text);
        Assert.Equal(language, answer.Language);
        Assert.StartsWith(refusal, answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task A_citation_as_the_question_quotes_that_provision()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = "§ 574 MietG" }, Ct);
        Assert.False(answer.Refused);
        Assert.Equal("fixture/mietg/s574", answer.Citations[0].ProvisionId);
    }

    [Fact]
    public async Task Excluded_corpora_never_reach_the_answer()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var question = "Welche Pflichten hat der Verkäufer beim Kaufvertrag einer Sache?";
        var open = await corpus.Answers().AskAsync(new AnswerRequest { Question = question }, Ct);
        Assert.Contains(open.Citations, c => c.Corpus == FixtureCorpus.InternalCorpus);
        var restricted = await corpus.Answers().AskAsync(new AnswerRequest { Question = question, ExcludedCorpora = new HashSet<string> { FixtureCorpus.InternalCorpus } }, Ct);
        Assert.DoesNotContain(restricted.Citations, c => c.Corpus == FixtureCorpus.InternalCorpus);
        Assert.DoesNotContain(restricted.RetrievedProvisionIds, id => id.StartsWith(FixtureCorpus.InternalCorpus + "/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streams_the_lead_first_and_the_same_text_as_the_final_answer()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var events = new List<AnswerEvent>();
        await foreach (var e in corpus.Answers().StreamAsync(new AnswerRequest { Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct)) events.Add(e);
        Assert.IsType<AnswerStarted>(events[0]);
        var deltas = events.OfType<AnswerTextDelta>().Select(d => d.Text).ToList();
        Assert.True(deltas.Count >= 3);
        var done = Assert.IsType<AnswerCompleted>(events[^1]);
        Assert.Equal(done.Answer.Text, string.Concat(deltas));
        Assert.True(done.Answer.Timings.FirstTokenMs <= done.Answer.Timings.TotalMs);
    }
}
