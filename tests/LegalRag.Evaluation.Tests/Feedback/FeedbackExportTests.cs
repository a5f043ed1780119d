using System.CommandLine;
using LegalRag.Core.Domain;
using LegalRag.Cli.Commands.Eval;
using LegalRag.Evaluation.Feedback;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Feedback;

public sealed class FeedbackExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CitationFeedback Entry(string question, string verdict, string citation, string? correct = null, string? corpus = "fixtures-de") =>
        new(DateTimeOffset.UnixEpoch, "eve", "evaluator", question, verdict, "id/" + citation, citation, correct, corpus, "de");

    [Fact]
    public void Gold_is_what_was_marked_right_plus_named_corrections_and_later_verdicts_win()
    {
        var result = FeedbackExport.ToQuestions(
        [
            Entry("Eigenbedarf?", CitationFeedback.Right, "BGB § 573"),
            Entry("Eigenbedarf?", CitationFeedback.Wrong, "BGB § 574", correct: "BGB § 573c"),
            Entry("Kaution?", CitationFeedback.Wrong, "BGB § 535"),                    // only wrong, no correction: skipped
            Entry("Mängel?", CitationFeedback.Right, "BGB § 536"),
            Entry("Mängel?", CitationFeedback.Wrong, "BGB § 536"),                     // changed mind: no gold left
            Entry(" Eigenbedarf? ", CitationFeedback.Right, "BGB § 573"),              // same question, no duplicate gold
            Entry("Eigenbedarf?", CitationFeedback.Right, "BGB § 573", corpus: null),  // another corpus: another question
        ]);

        Assert.Equal(7, result.Entries);
        Assert.Equal(2, result.Skipped);
        Assert.Equal(2, result.Questions.Count);
        var first = result.Questions[0];
        Assert.Equal("Eigenbedarf?", first.Question);
        Assert.Equal(["BGB § 573", "BGB § 573c"], first.GoldCitations);
        Assert.Equal(["source:feedback", "corpus:fixtures-de"], first.Tags);
        Assert.StartsWith("fb-", first.Id);
        Assert.NotEqual(first.Id, result.Questions[1].Id);
        Assert.Equal(["source:feedback"], result.Questions[1].Tags);
    }

    [Fact]
    public async Task Export_feedback_writes_a_native_set_that_loads_and_names_bad_lines()
    {
        using var temp = new TempFolder();
        var log = temp.File("feedback.jsonl",
            """{"time":"2026-01-01T00:00:00Z","user":"eve","role":"evaluator","question":"Darf mein Vermieter kündigen?","verdict":"wrong","provisionId":"fixtures-de/bgb/s574","citation":"BGB § 574","correct":"BGB § 573","corpus":"fixtures-de","language":"de"}""" + "\n" +
            """{"time":"2026-01-01T00:00:01Z","user":"eve","role":"evaluator","question":"Kaution?","verdict":"wrong","provisionId":"fixtures-de/bgb/s535","citation":"BGB § 535","language":"de"}""" + "\n");
        var output = Path.Combine(temp.Path, "evals", "feedback.jsonl");
        var host = new EvalCommandHost { CreateServices = (_, _) => throw new InvalidOperationException("export-feedback needs no services") };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await new RootCommand { EvalCommands.Create(host) }.Parse(["eval", "export-feedback", "--feedback", log, "--out", output])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);
        Assert.True(exit == EvalCommands.ExitOk, stderr.ToString());
        Assert.Contains("1 questions from 2 feedback entries", stdout.ToString());
        Assert.Contains("1 skipped", stdout.ToString());

        var set = await QuestionSetLoader.LoadAsync(output, QuestionSetFormat.Native, Ct);
        var question = Assert.Single(set.Questions);
        Assert.Equal(["BGB § 573"], question.GoldCitations);
        Assert.Equal("de", question.Language);

        var broken = temp.File("broken.jsonl", "{\"question\": \"q\", \"verdict\": \"maybe\", \"citation\": \"BGB § 1\"}\n");
        stderr = new StringWriter();
        exit = await new RootCommand { EvalCommands.Create(host) }.Parse(["eval", "export-feedback", "--feedback", broken, "--out", output])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = stderr }, Ct);
        Assert.Equal(EvalCommands.ExitBadInput, exit);
        Assert.Contains($"{broken}: line 1", stderr.ToString());
    }
}
