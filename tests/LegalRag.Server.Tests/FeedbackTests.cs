using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegalRag.Evaluation.Feedback;
using LegalRag.Server.Tests.Support;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>POST /api/feedback: evaluator or admin only, input checked against the store, appended to data/feedback.jsonl, exportable as gold.</summary>
public sealed class FeedbackTests
{
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluators_mark_citations_right_or_wrong_and_the_log_only_grows()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var path = Path.Combine(host.Corpus.DataDirectory, "feedback.jsonl");
        using var reader = host.Client(ServerHost.ReaderKey);
        using var evaluator = host.Client(ServerHost.EvaluatorKey);
        using var admin = host.Client(ServerHost.AdminKey);

        var forbidden = await reader.PostAsJsonAsync("/api/feedback", new { question = Question, provisionId = "fixture/mietg/s573", verdict = "right" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var right = await evaluator.PostAsJsonAsync("/api/feedback", new { question = Question, provisionId = "fixture/mietg/s573", verdict = "right", corpus = "fixture" }, Ct);
        Assert.True(right.IsSuccessStatusCode, await right.Content.ReadAsStringAsync(Ct));
        var stored = await right.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("MietG § 573", stored.GetProperty("citation").GetString());
        Assert.Equal("de", stored.GetProperty("language").GetString());
        Assert.Equal("eve", stored.GetProperty("user").GetString());
        var first = await LinesAsync(path, 1);

        // By citation, wrong, with the right one named: both resolved to canonical citations.
        var wrong = await admin.PostAsJsonAsync("/api/feedback", new { question = Question, citation = "§ 574 MietG", verdict = "wrong", correct = "MietG § 573c" }, Ct);
        Assert.True(wrong.IsSuccessStatusCode, await wrong.Content.ReadAsStringAsync(Ct));
        var lines = await LinesAsync(path, 2);
        Assert.Equal(2, lines.Count);
        Assert.Equal(first[0], lines[0]); // appended, never rewritten
        var second = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal("fixture/mietg/s574", second.GetProperty("provisionId").GetString());
        Assert.Equal("MietG § 573c", second.GetProperty("correct").GetString());
        Assert.Equal("root", second.GetProperty("user").GetString());

        // What the server wrote is what the export reads.
        var export = FeedbackExport.ToQuestions(await FeedbackExport.ReadAsync(path, Ct));
        Assert.Equal(2, export.Entries);
        Assert.Equal(2, export.Questions.Count); // corpus "fixture" and no corpus are separate questions
        Assert.Contains(export.Questions, q => q.GoldCitations.SequenceEqual(["MietG § 573c"]));
    }

    [Fact]
    public async Task Bad_feedback_is_refused_with_a_clear_message_and_nothing_is_written()
    {
        (string Body, string Message)[] cases =
        [
            ("""{"provisionId": "fixture/mietg/s573", "verdict": "right"}""", "question is required"),
            ("""{"question": "q", "provisionId": "fixture/mietg/s573", "verdict": "maybe"}""", "verdict must be 'right' or 'wrong'"),
            ("""{"question": "q", "verdict": "right"}""", "provisionId or citation is required"),
            ("""{"question": "q", "provisionId": "fixture/mietg/s999", "verdict": "right"}""", "no provision 'fixture/mietg/s999'"),
            ("""{"question": "q", "citation": "Mietrecht", "verdict": "wrong"}""", "is not a citation"),
            ("""{"question": "q", "citation": "MietG § 999", "verdict": "wrong"}""", "matches no provision"),
            ("""{"question": "q", "provisionId": "fixture/mietg/s573", "verdict": "wrong", "correct": "Unsinn"}""", "correct 'Unsinn' is not a citation"),
            ("""{"question": "q", "provisionId": "fixture/mietg/s573", "verdict": "right", "correct": "MietG § 574"}""", "leave it out with verdict 'right'"),
            ("""{"question": "q", "provisionId": "fixture/mietg/s573", "verdict": "right", "language": "deutsch"}""", "two-letter code"),
        ];
        await using var host = await ServerHost.StartAsync(Ct);
        using var evaluator = host.Client(ServerHost.EvaluatorKey);
        foreach (var (json, message) in cases)
        {
            var response = await evaluator.PostAsync("/api/feedback", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{json}: {response.StatusCode}");
            Assert.Contains(message, await response.Content.ReadAsStringAsync(Ct));
        }
        var path = Path.Combine(host.Corpus.DataDirectory, "feedback.jsonl");
        Assert.True(!File.Exists(path) || new FileInfo(path).Length == 0, "refused feedback was written");
    }

    /// <summary>The log's lines once the background writer has caught up.</summary>
    private static async Task<List<string>> LinesAsync(string path, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = new List<string>();
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                lines = (await reader.ReadToEndAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            }
            if (lines.Count >= atLeast || DateTime.UtcNow > deadline) return lines;
            await Task.Delay(50, Ct);
        }
    }
}
