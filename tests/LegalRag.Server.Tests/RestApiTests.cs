using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegalRag.Evaluation.Answers;
using LegalRag.Server.Tests.Support;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>The REST API over real Kestrel: contract, auth and roles, corpus restriction, audit log, OpenAPI.</summary>
public sealed class RestApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_is_open_everything_else_needs_a_key()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health", Ct)).StatusCode);
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("/ready", Ct);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/ask", new { question = "Eigenbedarf" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/provisions/fixture/mietg/s573", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/hubs/chat/negotiate", Ct)).StatusCode);
        using var wrong = host.Client("not-a-key-not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct)).StatusCode);
        using var viaHeader = host.Client(null);
        viaHeader.DefaultRequestHeaders.Add("X-Api-Key", ServerHost.ReaderKey);
        Assert.Equal(HttpStatusCode.OK, (await viaHeader.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf" }, Ct)).StatusCode);
        // The UI itself holds no data and loads without a key.
        var page = await anonymous.GetStringAsync("/", Ct);
        Assert.Contains("<script src=\"app.js\">", page);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/lib/signalr.min.js", Ct)).StatusCode);
    }

    [Fact]
    public async Task Ask_returns_the_evaluation_contract_and_the_http_answer_client_reads_it()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var http = host.Client(ServerHost.ReaderKey);
        var client = new HttpAnswerClient(http, host.Address);
        var answer = await client.AskAsync("Darf mein Vermieter wegen Eigenbedarf kündigen?", null, null, Ct);
        Assert.False(answer.Refused);
        Assert.StartsWith("In Betracht kommt: MietG § 573", answer.Answer);
        Assert.Contains(answer.Citations, c => c is { Citation: "MietG § 573 Abs. 2", ProvisionId: "fixture/mietg/s573" } && c.Quote!.Contains("(Eigenbedarf)", StringComparison.Ordinal));

        var refused = await client.AskAsync("Wie backe ich einen Schokoladenkuchen?", "fixture", null, Ct);
        Assert.True(refused.Refused);
        Assert.Empty(refused.Citations);

        var raw = await (await http.PostAsJsonAsync("/api/ask", new { question = "Darf mein Vermieter wegen Eigenbedarf kündigen?", corpus = "fixture" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("extractive", raw.GetProperty("mode").GetString());
        Assert.Equal("de", raw.GetProperty("language").GetString());
        Assert.True(raw.GetProperty("timings").GetProperty("totalMs").GetDouble() > 0);
        Assert.False(raw.TryGetProperty("retrieved", out _)); // retrieval details are for evaluators

        var bad = await http.PostAsJsonAsync("/api/ask", new { question = "  " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("question is required", await bad.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Search_and_provision_lookup()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var http = host.Client(ServerHost.ReaderKey);
        var search = await (await http.PostAsJsonAsync("/api/search", new { query = "Kündigung Eigenbedarf", corpus = "fixture", act = "MietG", k = 3 }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var top = search.GetProperty("results")[0];
        Assert.Equal("MietG § 573", top.GetProperty("citation").GetString());
        Assert.Contains("**Eigenbedarf**", top.GetProperty("snippet").GetString());
        Assert.All(search.GetProperty("results").EnumerateArray(), r => Assert.Equal("MietG", r.GetProperty("act").GetString()));

        var provision = await http.GetFromJsonAsync<JsonElement>("/api/provisions/fixture/mietg/s573", Ct);
        Assert.Equal("MietG § 573", provision.GetProperty("citation").GetString());
        Assert.Equal("Abschnitt 1 - Wohnraum", provision.GetProperty("path").GetString());
        Assert.Equal(3, provision.GetProperty("paragraphs").GetArrayLength());
        Assert.Equal("2", provision.GetProperty("paragraphs")[1].GetProperty("label").GetString());
        // The fixture's texts cite nothing: both lists are there, and empty (the graph itself is tested in Storage and the CLI).
        Assert.Equal((0, 0), (provision.GetProperty("refersTo").GetArrayLength(), provision.GetProperty("referredToBy").GetArrayLength()));
        // Provenance as the folder ingest recorded it: the file read, when, and its SHA-256; the Markdown source has no dates.
        var provenance = provision.GetProperty("provenance");
        Assert.EndsWith("m/mietg/index.md", provenance.GetProperty("source").GetString());
        Assert.Equal(64, provenance.GetProperty("contentHash").GetString()!.Length);
        Assert.InRange(provenance.GetProperty("retrievedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
        Assert.False(provision.TryGetProperty("validFrom", out _)); // nulls are left out of API responses
        Assert.Equal(0, provision.GetProperty("notes").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/provisions/fixture/mietg/s999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/search", new { query = "x", k = 0 }, Ct)).StatusCode);

        var openapi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var paths = openapi.GetProperty("paths");
        foreach (var path in new[] { "/api/ask", "/api/search", "/api/provisions/{id}", "/health", "/ready" })
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
    }

    [Fact]
    public async Task Restricted_corpora_are_invisible_below_their_role_and_the_audit_log_records_who_asked_what()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var reader = host.Client(ServerHost.ReaderKey);
        using var evaluator = host.Client(ServerHost.EvaluatorKey);
        using var admin = host.Client(ServerHost.AdminKey);
        const string question = "Welche Pflichten hat der Verkäufer beim Kaufvertrag einer Sache?";

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/search", new { query = "Kaufvertrag", corpus = "intern" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/ask", new { question, corpus = "intern" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/api/provisions/intern/kaufg/s433", Ct)).StatusCode);
        var readerAnswer = await (await reader.PostAsJsonAsync("/api/ask", new { question }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.DoesNotContain("intern/", readerAnswer.GetRawText());
        var corpora = await reader.GetFromJsonAsync<JsonElement>("/api/corpora", Ct);
        Assert.Equal(["fixture"], corpora.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        var evaluatorAnswer = await (await evaluator.PostAsJsonAsync("/api/ask", new { question }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(evaluatorAnswer.GetProperty("citations").EnumerateArray(), c => c.GetProperty("provisionId").GetString() == "intern/kaufg/s433");
        Assert.True(evaluatorAnswer.GetProperty("retrieved").GetArrayLength() > 0);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/audit", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await evaluator.GetAsync("/api/audit", Ct)).StatusCode);
        var lines = await host.AuditLinesAsync(atLeast: 3, Ct);
        var asked = lines.Where(l => l.GetProperty("action").GetString() == "ask").ToList();
        Assert.Contains(asked, l => l.GetProperty("user").GetString() == "alice" && l.GetProperty("role").GetString() == "reader" && l.GetProperty("question").GetString() == question && l.GetProperty("mode").GetString() == "extractive");
        var eve = Assert.Single(asked, l => l.GetProperty("user").GetString() == "eve");
        Assert.Contains("intern/kaufg/s433", eve.GetProperty("provisions").EnumerateArray().Select(p => p.GetString()));
        var tail = await admin.GetFromJsonAsync<JsonElement>("/api/audit?limit=50", Ct);
        Assert.True(tail.GetArrayLength() >= asked.Count);
    }
}
