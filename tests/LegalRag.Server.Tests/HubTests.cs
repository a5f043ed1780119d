using System.Net;
using System.Text.Json;
using LegalRag.Answering.Tests.Support;
using LegalRag.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>The chat hub over a real WebSocket, with the .NET SignalR client.</summary>
public sealed class HubTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Type(JsonElement item) => item.GetProperty("type").GetString()!;

    [Fact]
    public async Task Streams_tokens_then_citations_then_a_final_message_with_timings()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        var items = await hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?", corpus = "fixture" }, Ct);

        Assert.Equal("start", Type(items[0]));
        Assert.Equal("de", items[0].GetProperty("language").GetString());
        var types = items.Select(Type).ToList();
        var firstCitation = types.IndexOf("citation");
        Assert.True(types.LastIndexOf("token") < firstCitation, "all text precedes the citations");
        Assert.Equal("done", types[^1]);
        var text = string.Concat(items.Where(i => Type(i) == "token").Select(i => i.GetProperty("text").GetString()));
        Assert.StartsWith("In Betracht kommt: MietG § 573", text);
        var citation = items.First(i => Type(i) == "citation").GetProperty("citation");
        Assert.Equal("fixture/mietg/s573", citation.GetProperty("provisionId").GetString());
        Assert.False(string.IsNullOrEmpty(citation.GetProperty("quote").GetString()));
        Assert.Equal("mietg/index.md", Path.GetFileName(Path.GetDirectoryName(citation.GetProperty("sourcePath").GetString())) + "/" + Path.GetFileName(citation.GetProperty("sourcePath").GetString()));
        var done = items[^1];
        Assert.False(done.GetProperty("refused").GetBoolean());
        Assert.Equal("extractive", done.GetProperty("mode").GetString());
        Assert.True(done.GetProperty("timings").GetProperty("firstTokenMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Follow_up_questions_use_the_connections_history_and_reset_forgets_it()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        await hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);
        var followUp = await hub.AskAsync(new { question = "Und welche Fristen gelten dafür?" }, Ct);
        var standalone = followUp[^1].GetProperty("standaloneQuery").GetString()!;
        Assert.Contains("Eigenbedarf", standalone);
        Assert.Contains(followUp, i => Type(i) == "citation" && i.GetProperty("citation").GetProperty("provisionId").GetString() == "fixture/mietg/s573c");

        // Another connection has its own, empty history.
        await using var other = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        var fresh = await other.AskAsync(new { question = "Und welche Fristen gelten dafür?" }, Ct);
        Assert.Equal("Und welche Fristen gelten dafür?", fresh[^1].GetProperty("standaloneQuery").GetString());

        await hub.InvokeAsync("Reset", Ct);
        var afterReset = await hub.AskAsync(new { question = "Und welche Fristen gelten dafür?" }, Ct);
        Assert.Equal("Und welche Fristen gelten dafür?", afterReset[^1].GetProperty("standaloneQuery").GetString());
    }

    [Fact]
    public async Task The_client_can_cancel_a_streaming_answer_and_ask_again()
    {
        var calls = 0;
        await using var fake = new FakeOpenAiServer(r =>
        {
            var n = FakeOpenAiServer.SourceNumber(r, "MietG § 573");
            // The first answer is long and slow (40 sentences, ~12 s); later ones are short.
            return Interlocked.Increment(ref calls) == 1
                ? new FakeReply { Text = string.Concat(Enumerable.Repeat($"Der Vermieter braucht ein berechtigtes Interesse [{n}]. ", 40)), ChunkDelay = TimeSpan.FromMilliseconds(50) }
                : new FakeReply { Text = $"Der Mieter kann der Kündigung widersprechen [{n}]." };
        });
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Llm:Endpoint"] = fake.Endpoint });
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<string>();
        // Cancelling the token the stream was started with sends CancelInvocation: the server stops generating.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in hub.StreamAsync<JsonElement>("Ask", new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, stop.Token))
            {
                seen.Add(Type(item));
                if (Type(item) == "token") stop.Cancel();
            }
        });
        Assert.DoesNotContain("done", seen);

        // The same connection answers the next question at once: the cancelled answer no longer holds it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var second = await hub.AskAsync(new { question = "Was gilt für den Widerspruch des Mieters gegen die Kündigung?" }, Ct);
        Assert.Equal("done", Type(second[^1]));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"second answer took {clock.Elapsed}");
        var lines = await host.AuditLinesAsync(atLeast: 2, Ct);
        Assert.Contains(lines, l => l.TryGetProperty("cancelled", out var c) && c.GetBoolean());
    }

    [Fact]
    public async Task Without_a_valid_key_the_connection_is_refused()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var missing = await Assert.ThrowsAsync<HttpRequestException>(() => HubConnections.ConnectAsync(host.Address, null, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var wrong = await Assert.ThrowsAsync<HttpRequestException>(() => HubConnections.ConnectAsync(host.Address, "wrong-key-wrong-key", Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task A_refused_question_is_a_hub_error_and_the_connection_stays_usable()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        var empty = await Assert.ThrowsAsync<HubException>(() => hub.AskAsync(new { question = "  " }, Ct));
        Assert.Contains("question is required", empty.Message, StringComparison.Ordinal);
        var reserved = await Assert.ThrowsAsync<HubException>(() => hub.AskAsync(new { question = "Kaufvertrag", corpus = "intern" }, Ct));
        Assert.Contains("corpus 'intern' is not readable with role reader", reserved.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.Equal("done", Type((await hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct))[^1]));
    }

    [Fact]
    public async Task Llm_mode_over_the_hub_flags_unsupported_claims_and_falls_back_visibly()
    {
        await using var fake = new FakeOpenAiServer(r => new FakeReply { Text = $"Bei Eigenbedarf darf der Vermieter kündigen [{FakeOpenAiServer.SourceNumber(r, "MietG § 573")}]. Die Kündigung ist immer formlos möglich [9]." });
        await using (var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Llm:Endpoint"] = fake.Endpoint }))
        {
            await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
            var items = await hub.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);
            Assert.Equal("llm", items[0].GetProperty("mode").GetString());
            var tokens = items.Where(i => Type(i) == "token").Select(i => i.GetProperty("text").GetString()!).ToList();
            Assert.Equal(2, tokens.Count);
            Assert.Contains("[MietG § 573", tokens[0]);
            Assert.Contains("⚠", tokens[1]);
            Assert.Contains(items, i => Type(i) == "notice");
            Assert.Equal("unknown-source", items[^1].GetProperty("flags")[0].GetProperty("kind").GetString());
        }

        await using var down = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Llm:Endpoint"] = FakeOpenAiServer.DeadEndpoint() });
        await using var hub2 = await HubConnections.ConnectAsync(down.Address, ServerHost.ReaderKey, Ct);
        var fallback = await hub2.AskAsync(new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?" }, Ct);
        Assert.Contains(fallback, i => Type(i) == "notice" && i.GetProperty("text").GetString()!.Contains("nicht erreichbar", StringComparison.Ordinal));
        Assert.Equal("extractive-fallback", fallback[^1].GetProperty("mode").GetString());
        Assert.Contains(fallback, i => Type(i) == "citation");
        var audit = await down.AuditLinesAsync(atLeast: 1, Ct);
        Assert.Contains(audit, l => l.GetProperty("mode").GetString() == "extractive-fallback");
    }
}
