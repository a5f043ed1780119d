using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.QuestionSets;

public sealed class NativeQuestionSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reads_questions_skipping_blank_and_comment_lines()
    {
        using var temp = new TempFolder();
        var path = temp.File("set.jsonl", """
            # a comment
            {"id": "q1", "question": "Darf der Vermieter kündigen?", "language": "DE", "gold": ["BGB § 573"], "facts": ["Eigenbedarf"], "tags": ["topic:miete"]}

            {"id": "q2", "question": "Wie wird das Wetter?", "language": "de", "tags": ["should_refuse"]}
            """);

        var set = await QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Auto, Ct);

        Assert.Equal(QuestionSetFormat.Native, set.Format);
        Assert.Equal(["q1", "q2"], set.Questions.Select(q => q.Id));
        var q1 = set.Questions[0];
        Assert.Equal("de", q1.Language);
        Assert.Equal(["BGB § 573"], q1.GoldCitations);
        Assert.Equal(["Eigenbedarf"], q1.ExpectedFacts);
        Assert.False(q1.ShouldRefuse);
        Assert.True(set.Questions[1].ShouldRefuse);
        Assert.Empty(set.Questions[1].GoldCitations);
        Assert.Equal(64, set.ContentHash.Length);
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_file_and_line_numbers()
    {
        using var temp = new TempFolder();
        var path = temp.File("broken.jsonl", """
            {"id": "q1", "question": "ok", "language": "de", "gold": ["BGB § 1"]}
            {"id": "q2", "question": "missing comma" "language": "de"}
            {"id": "q3", "question": "typo", "language": "de", "golds": ["BGB § 1"]}
            {"id": "q1", "question": "again", "language": "de", "gold": ["BGB § 2"]}
            {"id": "q5", "question": "no gold", "language": "de"}
            {"id": "q6", "question": "bad language", "language": "deutsch", "gold": ["BGB § 3"]}
            [1, 2]
            """);

        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Native, Ct));

        Assert.Contains("broken.jsonl: line 2, column", error.Message);
        Assert.Contains("not valid JSON", error.Message);
        Assert.Contains("broken.jsonl: line 3: unknown field \"golds\"", error.Message);
        Assert.Contains("broken.jsonl: line 4: duplicate id \"q1\" (first used on line 1)", error.Message);
        Assert.Contains("broken.jsonl: line 5: question \"q5\" has no gold citations", error.Message);
        Assert.Contains("broken.jsonl: line 6: language \"deutsch\"", error.Message);
        Assert.Contains("broken.jsonl: line 7: expected a JSON object", error.Message);
    }

    [Fact]
    public async Task An_empty_set_is_an_error()
    {
        using var temp = new TempFolder();
        var path = temp.File("empty.jsonl", "# only a comment\n\n");
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Native, Ct));
        Assert.Contains("empty.jsonl", error.Message);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public async Task A_missing_file_names_the_path()
    {
        var error = await Assert.ThrowsAsync<EvalInputException>(() => QuestionSetLoader.LoadAsync("/nonexistent/set.jsonl", QuestionSetFormat.Auto, Ct));
        Assert.Contains("/nonexistent/set.jsonl", error.Message);
    }

    [Fact]
    public async Task Limits_reject_oversized_questions()
    {
        using var temp = new TempFolder();
        var path = temp.File("long.jsonl", $$"""{"id": "q1", "question": "{{new string('x', 200)}}", "language": "de", "gold": ["BGB § 1"]}""");
        var error = await Assert.ThrowsAsync<EvalInputException>(() =>
            QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Native, Ct, new QuestionSetLimits { MaxQuestionChars = 100 }));
        Assert.Contains("line 1: question longer than 100 characters", error.Message);
    }

    [Fact]
    public async Task Written_sets_read_back_identically()
    {
        EvalQuestion[] questions =
        [
            new("a", "Darf der Vermieter \"sofort\" kündigen?", "de", ["BGB § 543"], ["Verzug mit zwei Mieten"], ["topic:miete"]),
            new("b", "Quel est le taux de TVA ?", "fr", [], [], ["should_refuse"]),
        ];
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "out.jsonl");
        await using (var writer = new StreamWriter(path)) NativeQuestionSet.Write(writer, questions);

        var text = await File.ReadAllTextAsync(path, Ct);
        Assert.Contains("kündigen", text); // readable in a diff, not \u00fc
        var back = await QuestionSetLoader.LoadAsync(path, QuestionSetFormat.Native, Ct);
        Assert.Equal(questions.Length, back.Questions.Count);
        for (var i = 0; i < questions.Length; i++)
        {
            Assert.Equal(questions[i].Id, back.Questions[i].Id);
            Assert.Equal(questions[i].Question, back.Questions[i].Question);
            Assert.Equal(questions[i].GoldCitations, back.Questions[i].GoldCitations);
            Assert.Equal(questions[i].ExpectedFacts, back.Questions[i].ExpectedFacts);
            Assert.Equal(questions[i].Tags, back.Questions[i].Tags);
        }
    }
}
