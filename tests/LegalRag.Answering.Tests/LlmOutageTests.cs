using System.Diagnostics;
using LegalRag.Answering.Llm;
using LegalRag.Answering.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit;

namespace LegalRag.Answering.Tests;

/// <summary>
/// The language model down, slow or talking garbage, through the real answer path against a local fake
/// OpenAI-compatible server: every fault ends in the extractive answer with a notice and a warning that
/// says what failed, within the configured timeouts; and once the endpoint is healthy the next question
/// is answered by the model again (no sticky failure state).
/// </summary>
public sealed class LlmOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";
    // Short enough for a quick test, long enough that a loaded 2-core machine does not time out a healthy reply.
    private const double FirstTokenTimeout = 3;
    private const double Timeout = 4;
    // Time on top of the configured timeouts for retrieval and the extractive answer on a loaded 2-core machine.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(6);

    private static LlmOptions Llm(string endpoint) => new() { Endpoint = endpoint, Model = "fake-model", FirstTokenTimeoutSeconds = FirstTokenTimeout, TimeoutSeconds = Timeout };

    private static AnswerService Service(FixtureCorpus corpus, string endpoint, RecordingLogger<AnswerService> logger) =>
        new(corpus.Search, corpus.Store, new AnswerOptions { Llm = Llm(endpoint) }, new OpenAiCompatibleChatClient(Llm(endpoint)), logger);

    private static string Good(FakeRequest r) => $"Bei Eigenbedarf darf der Vermieter kündigen [{FakeOpenAiServer.SourceNumber(r, "MietG § 573")}].";

    /// <summary>The faults: what the fake server does, and a word the warning's reason must contain.</summary>
    public static TheoryData<string> Faults => ["refused", "first-token-late", "stalls-mid-answer", "invalid-json-event", "html-page", "http-500", "empty-stream"];

    private static FakeReply Reply(string fault, FakeRequest r) => fault switch
    {
        "first-token-late" => new FakeReply { Delay = TimeSpan.FromSeconds(30), Text = Good(r) },
        // Two chunks of a sentence, then silence with the connection open.
        "stalls-mid-answer" => new FakeReply { Text = Good(r), StallAfterChunks = 2 },
        "invalid-json-event" => new FakeReply { RawBody = "data: {\"choices\": [{\"delta\": {\"content\": \"Bei\n\n", RawContentType = "text/event-stream" },
        "html-page" => new FakeReply { RawBody = "<html><body><h1>502 Bad Gateway</h1></body></html>", RawContentType = "text/html" },
        "http-500" => new FakeReply { Status = 500 },
        "empty-stream" => new FakeReply { Text = "" },
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "unknown fault"),
    };

    private static string ExpectedReason(string fault) => fault switch
    {
        "refused" => "unreachable",
        "first-token-late" => "no first token within 3 s",
        "stalls-mid-answer" => "stalled",
        "http-500" => "HTTP 500",
        "empty-stream" or "html-page" => "no text",
        _ => "not a chat completion",
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Each_fault_falls_back_to_the_extractive_answer_with_a_notice_and_a_clear_warning(string fault)
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var port = FakeOpenAiServer.FreePort();
        var logger = new RecordingLogger<AnswerService>();
        var service = Service(corpus, FakeOpenAiServer.EndpointAt(port), logger);

        var events = new List<AnswerEvent>();
        var clock = Stopwatch.StartNew();
        await using (var server = fault == "refused" ? null : new FakeOpenAiServer(r => Reply(fault, r), port))
        {
            await foreach (var e in service.StreamAsync(new AnswerRequest { Question = Question }, Ct)) events.Add(e);
        }
        clock.Stop();

        var answer = Assert.IsType<AnswerCompleted>(events[^1]).Answer;
        Assert.Equal(AnswerMode.ExtractiveFallback, answer.Mode);
        Assert.Contains(events, e => e is AnswerNotice n && n.Text.StartsWith("Das Sprachmodell ist gerade nicht erreichbar", StringComparison.Ordinal));
        Assert.Equal(answer.Notice, events.OfType<AnswerNotice>().Last().Text);
        Assert.Contains("In Betracht kommt: MietG § 573", answer.Text);
        Assert.Contains(answer.Citations, c => c.Citation == "MietG § 573 Abs. 2");
        var bound = TimeSpan.FromSeconds(FirstTokenTimeout + Timeout) + Slack;
        Assert.True(clock.Elapsed < bound, $"{fault}: fallback took {clock.Elapsed}, configured bound {bound}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{fault}: extractive fallback complete after {clock.ElapsedMilliseconds} ms");
        var warning = Assert.Single(logger.Entries, e => e.EventId == 2002);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(FakeOpenAiServer.EndpointAt(port), warning.Message);
        Assert.True(warning.Message.Contains(ExpectedReason(fault), StringComparison.Ordinal), $"{fault}: the warning was \"{warning.Message}\"");
    }

    [Fact]
    public async Task An_endpoint_that_comes_back_answers_the_next_question_with_the_model()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var port = FakeOpenAiServer.FreePort();
        var logger = new RecordingLogger<AnswerService>();
        var service = Service(corpus, FakeOpenAiServer.EndpointAt(port), logger);

        // Down twice: nothing listens on the port.
        for (var i = 0; i < 2; i++)
            Assert.Equal(AnswerMode.ExtractiveFallback, (await service.AskAsync(new AnswerRequest { Question = Question }, Ct)).Mode);

        // Up, but failing; then healthy: the very next question after it heals is the model's.
        var healthy = false;
        await using var server = new FakeOpenAiServer(r => Volatile.Read(ref healthy) ? new FakeReply { Text = Good(r) } : new FakeReply { Status = 503 }, port);
        Assert.Equal(AnswerMode.ExtractiveFallback, (await service.AskAsync(new AnswerRequest { Question = Question }, Ct)).Mode);
        Volatile.Write(ref healthy, true);
        var answer = await service.AskAsync(new AnswerRequest { Question = Question }, Ct);

        Assert.Equal(AnswerMode.Llm, answer.Mode);
        Assert.Null(answer.Notice);
        Assert.Contains("[MietG § 573", answer.Text);
        Assert.Equal(3, logger.Entries.Count(e => e.EventId == 2002));
        var recovered = Assert.Single(logger.Entries, e => e.EventId == 2004);
        Assert.Contains("after 3 failed answers", recovered.Message);
        Assert.Equal(2, server.Requests.Count);
    }
}
