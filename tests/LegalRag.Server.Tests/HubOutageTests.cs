using System.Diagnostics;
using System.Text.Json;
using LegalRag.Answering.Tests.Support;
using LegalRag.Server.Tests.Support;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// The language model failing and coming back while a hub session stays connected: the user sees a
/// notice and the extractive answer within the configured first-token timeout, and the next question
/// after the endpoint heals is the model's again, on the same connection and the same server.
/// </summary>
public sealed class HubOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";

    private static string Type(JsonElement item) => item.GetProperty("type").GetString()!;

    [Fact]
    public async Task A_failing_model_falls_back_visibly_and_the_session_gets_the_model_again_when_it_heals()
    {
        // 0 = hung (no first token), 1 = garbage, 2 = healthy.
        var state = 0;
        await using var fake = new FakeOpenAiServer(r => Volatile.Read(ref state) switch
        {
            0 => new FakeReply { Delay = TimeSpan.FromSeconds(30), Text = "zu spät." },
            1 => new FakeReply { RawBody = "{\"oops\": ", RawContentType = "application/json" },
            _ => new FakeReply { Text = $"Bei Eigenbedarf darf der Vermieter kündigen [{FakeOpenAiServer.SourceNumber(r, "MietG § 573")}]." },
        });
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?>
        {
            ["LegalRag:Llm:Endpoint"] = fake.Endpoint,
            ["LegalRag:Llm:FirstTokenTimeoutSeconds"] = "3",
            ["LegalRag:Llm:TimeoutSeconds"] = "4",
        });
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);

        foreach (var fault in new[] { 0, 1 })
        {
            Volatile.Write(ref state, fault);
            var clock = Stopwatch.StartNew();
            var items = await hub.AskAsync(new { question = Question, corpus = "fixture" }, Ct);
            clock.Stop();
            Assert.Contains(items, i => Type(i) == "notice" && i.GetProperty("text").GetString()!.Contains("nicht erreichbar", StringComparison.Ordinal));
            Assert.Equal("extractive-fallback", items[^1].GetProperty("mode").GetString());
            Assert.Contains(items, i => Type(i) == "citation");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3 + 4 + 6), $"fault {fault}: fallback took {clock.Elapsed}");
        }

        Volatile.Write(ref state, 2);
        var healed = await hub.AskAsync(new { question = Question, corpus = "fixture" }, Ct);
        Assert.Equal("llm", healed[^1].GetProperty("mode").GetString());
        Assert.DoesNotContain(healed, i => Type(i) == "notice");
        Assert.Contains("[MietG § 573", string.Concat(healed.Where(i => Type(i) == "token").Select(i => i.GetProperty("text").GetString())));
    }
}
