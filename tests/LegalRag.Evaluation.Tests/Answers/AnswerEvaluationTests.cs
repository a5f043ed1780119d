using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LegalRag.Evaluation.Answers;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Answers;

public sealed class AnswerEvaluationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An in-process answer path with fixed answers per question.</summary>
    private sealed class FixedAnswers(Dictionary<string, AnswerResult> answers) : IAnswerClient
    {
        public Task<AnswerResult> AskAsync(string question, string? corpus, DateOnly? asOf, CancellationToken cancellationToken) =>
            answers.TryGetValue(question, out var a) ? Task.FromResult(a) : throw new HttpRequestException("answer service down");
    }

    private static readonly Dictionary<string, AnswerResult> Answers = new()
    {
        // Cites the gold § 573 with a true quote, plus § 535 with a quote that is not in § 535: precision 1/2, recall 1, not grounded.
        ["Eigenbedarf?"] = new("Ja, bei Eigenbedarf.", [
            new("BGB § 573 Abs. 2", "fixtures-de/bgb/s573", "als Wohnung für sich oder seine Familienangehörigen benötigt"),
            new("BGB § 535", null, "Der Mieter darf nie kündigen")], false),
        // Cites one of two gold provisions by citation only, quoting across a line break with other spacing: grounded.
        ["Kaution und Minderung?"] = new("Drei Monatsmieten.", [
            new("BGB § 551", null, "höchstens das  Dreifache der\nmonatlichen Kaltmiete")], false),
        // Refuses a question it should answer.
        ["Eigentum?"] = new("Dazu kann ich nichts sagen.", [], true),
        // Correctly refuses.
        ["Kfz-Steuer?"] = new("Das steht nicht im Korpus.", [], true),
        // Cites a provision that does not exist.
        ["Schaden?"] = new("Ja.", [new("BGB § 8230", null, null)], false),
    };

    [Fact]
    public async Task Answer_metrics_match_hand_computation()
    {
        using var temp = new TempFolder();
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());
        var options = new EvalRunOptions { SetPath = temp.File("set.jsonl", EvalRunnerTests.SetText), BootstrapResamples = 50 };
        var services = new EvalServices(EvalRunnerTests.Scripted()) { GoldResolver = catalog, ProvisionText = catalog, AnswerClient = new FixedAnswers(Answers) };

        var report = (await EvalRunner.RunAsync(options, services, null, Ct)).Report;
        var byId = report.Questions.ToDictionary(q => q.Id);

        var q1 = byId["q1"].Answer!;
        Assert.Equal(0.5, q1.CitationPrecision);
        Assert.Equal(1.0, q1.CitationRecall);
        Assert.False(q1.Grounded);
        Assert.Null(q1.Citations[0].Problem);
        Assert.Equal("quoted text does not appear verbatim in the cited provision", q1.Citations[1].Problem);
        Assert.Equal("fixtures-de/bgb/s535", q1.Citations[1].ResolvedKey);

        var q2 = byId["q2"].Answer!;
        Assert.Equal((1.0, 0.5, true), (q2.CitationPrecision, q2.CitationRecall, q2.Grounded));
        Assert.Equal(0.0, byId["q3"].Answer!.CitationRecall);
        Assert.True(byId["q4"].Answer!.RefusalCorrect);
        Assert.False(byId["q3"].Answer!.RefusalCorrect);
        Assert.Contains("does not exist", byId["q5"].Answer!.Citations[0].Problem);

        // Should-answer questions: q1, q2, q3, q5. Precision over those citing something: (0.5 + 1 + 0) / 3;
        // recall: (1 + 0.5 + 0 + 0) / 4; false refusals 1/4; the one should_refuse question was refused.
        // Groundedness over answers with citations or not refused: q1 no, q2 yes, q5 no → 1/3.
        Assert.Equal(0.5, report.Metrics["answer_citation_precision"], 6);
        Assert.Equal(0.375, report.Metrics["answer_citation_recall"], 6);
        Assert.Equal(0.25, report.Metrics["false_refusal_rate"], 6);
        Assert.Equal(1.0, report.Metrics["refusal_accuracy"], 6);
        Assert.Equal(1.0 / 3, report.Metrics["groundedness"], 6);
        Assert.True(report.Run.AnswersEvaluated);
    }

    [Fact]
    public async Task A_failing_answer_is_recorded_and_left_out_of_answer_metrics()
    {
        using var temp = new TempFolder();
        var partial = new Dictionary<string, AnswerResult>(Answers);
        partial.Remove("Eigentum?");
        var options = new EvalRunOptions { SetPath = temp.File("set.jsonl", EvalRunnerTests.SetText), BootstrapResamples = 0 };
        var catalog = new ProvisionCatalog(FixtureCorpus.Load());
        var services = new EvalServices(EvalRunnerTests.Scripted()) { GoldResolver = catalog, ProvisionText = catalog, AnswerClient = new FixedAnswers(partial) };

        var report = (await EvalRunner.RunAsync(options, services, null, Ct)).Report;

        Assert.Contains("answer service down", report.Questions.Single(q => q.Id == "q3").Answer!.Error);
        Assert.Equal(1, report.Counts.AnswerErrors);
        Assert.Equal(0.0, report.Metrics["false_refusal_rate"], 6); // q3's refusal no longer counts
    }

    [Fact]
    public async Task Http_client_posts_question_and_corpus_and_reads_the_answer()
    {
        using var server = new OneShotServer("""
            {"answer": "Ja.", "citations": [{"citation": "BGB § 573", "provisionId": "de/bgb/s573", "quote": "Eigenbedarf"}, {"citation": "BGB § 574"}], "refused": false}
            """);
        using var http = new HttpClient();
        var client = new HttpAnswerClient(http, server.BaseAddress);

        var answer = await client.AskAsync("Darf er kündigen?", "de-bundesrecht", null, Ct);

        Assert.Equal("Ja.", answer.Answer);
        Assert.False(answer.Refused);
        Assert.Equal(2, answer.Citations.Count);
        Assert.Equal(new AnswerCitation("BGB § 573", "de/bgb/s573", "Eigenbedarf"), answer.Citations[0]);
        Assert.Null(answer.Citations[1].ProvisionId);
        var request = await server.Request;
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/ask", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("Darf er kündigen?", body.RootElement.GetProperty("question").GetString());
        Assert.Equal("de-bundesrecht", body.RootElement.GetProperty("corpus").GetString());
    }

    [Fact]
    public async Task Http_client_reports_server_errors_and_wrong_contracts()
    {
        using (var server = new OneShotServer("{\"error\": \"boom\"}", HttpStatusCode.InternalServerError))
        using (var http = new HttpClient())
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => new HttpAnswerClient(http, server.BaseAddress).AskAsync("q", null, null, Ct));
            Assert.Contains("500", error.Message);
            Assert.Contains("boom", error.Message);
        }
        var invalid = Assert.Throws<InvalidDataException>(() => HttpAnswerClient.Parse("{\"citations\": \"none\"}"u8, "test"));
        Assert.Contains("\"citations\" must be an array", invalid.Message);
        Assert.Throws<InvalidDataException>(() => HttpAnswerClient.Parse("<html>"u8, "test"));
    }

    [Fact]
    public void Verbatim_check_ignores_whitespace_differences_only()
    {
        Assert.True(AnswerScorer.ContainsVerbatim("Der Mieter muss\ndie Miete zahlen.", "Mieter muss die  Miete"));
        Assert.False(AnswerScorer.ContainsVerbatim("Der Mieter muss die Miete zahlen.", "Mieter soll die Miete"));
        Assert.False(AnswerScorer.ContainsVerbatim("Der Mieter muss die Miete zahlen.", "mieter muss"));
    }

    /// <summary>A real HTTP server on a free loopback port that answers one request.</summary>
    private sealed class OneShotServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        public Uri BaseAddress { get; }
        public Task<(string Method, string Path, string Body)> Request { get; }

        public OneShotServer(string responseJson, HttpStatusCode status = HttpStatusCode.OK)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(BaseAddress.ToString());
            _listener.Start();
            Request = ServeAsync(responseJson, status);
        }

        private async Task<(string, string, string)> ServeAsync(string responseJson, HttpStatusCode status)
        {
            var context = await _listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var bytes = Encoding.UTF8.GetBytes(responseJson);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
            return (context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body);
        }

        public void Dispose() => _listener.Close();
    }
}
