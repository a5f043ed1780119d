using System.Net;
using System.Text.Json;
using LegalRag.Server.Mcp;
using LegalRag.Server.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>The MCP endpoint at /mcp, called with the MCP SDK's own client over real Kestrel: tools, citations, keys and roles.</summary>
public sealed class McpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<McpClient> ConnectAsync(ServerHost host, string? key)
    {
        var options = new HttpClientTransportOptions { Endpoint = new Uri(host.Address, McpExtensions.Path), TransportMode = HttpTransportMode.StreamableHttp };
        if (key is not null) options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key };
        return McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: Ct);
    }

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.True(result.IsError is not true, "tool error: " + Text(result));
        return JsonSerializer.SerializeToElement(result.StructuredContent);
    }

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    [Fact]
    public async Task Lists_search_show_and_ask_with_input_and_output_schemas()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var client = await ConnectAsync(host, ServerHost.ReaderKey);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        Assert.Equal(["ask", "search", "show"], tools.Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
        var search = tools.Single(t => t.Name == "search").ProtocolTool;
        Assert.False(string.IsNullOrWhiteSpace(search.Description));
        var required = search.InputSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(["query"], required);
        Assert.True(search.InputSchema.GetProperty("properties").TryGetProperty("corpus", out _));
        Assert.NotNull(search.OutputSchema);
        Assert.True(search.Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task Search_show_and_ask_return_citations()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var client = await ConnectAsync(host, ServerHost.ReaderKey);

        var search = Structured(await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Kündigung wegen Eigenbedarf", ["corpus"] = "fixture", ["k"] = 3 }, cancellationToken: Ct));
        var results = search.GetProperty("results").EnumerateArray().ToList();
        Assert.InRange(results.Count, 1, 3);
        Assert.Equal("fixture/mietg/s573", results[0].GetProperty("provisionId").GetString());
        Assert.Equal("MietG § 573", results[0].GetProperty("citation").GetString());
        Assert.Contains("Eigenbedarf", results[0].GetProperty("snippet").GetString(), StringComparison.Ordinal);

        var show = Structured(await client.CallToolAsync("show", new Dictionary<string, object?> { ["citation"] = "MietG § 573" }, cancellationToken: Ct));
        var provision = Assert.Single(show.GetProperty("provisions").EnumerateArray());
        Assert.Equal("fixture/mietg/s573", provision.GetProperty("provisionId").GetString());
        Assert.Contains(provision.GetProperty("paragraphs").EnumerateArray(), p => p.GetProperty("text").GetString()!.Contains("(Eigenbedarf)", StringComparison.Ordinal));

        var ask = Structured(await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = "Darf mein Vermieter wegen Eigenbedarf kündigen?", ["corpus"] = "fixture" }, cancellationToken: Ct));
        Assert.False(ask.GetProperty("refused").GetBoolean());
        Assert.StartsWith("In Betracht kommt: MietG § 573", ask.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Contains(ask.GetProperty("citations").EnumerateArray(), c =>
            c.GetProperty("provisionId").GetString() == "fixture/mietg/s573" && c.GetProperty("quote").GetString()!.Contains("(Eigenbedarf)", StringComparison.Ordinal));

        var audit = await host.AuditLinesAsync(atLeast: 3, Ct);
        Assert.Equal(["search", "provision", "ask"], audit.Where(l => l.GetProperty("transport").GetString() == "mcp").Select(l => l.GetProperty("action").GetString()!).ToArray());
        Assert.All(audit, l => Assert.Equal("alice", l.GetProperty("user").GetString()));
    }

    [Fact]
    public async Task Bad_input_and_corpora_reserved_for_a_higher_role_come_back_as_tool_errors_with_the_reason()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var reader = await ConnectAsync(host, ServerHost.ReaderKey);
        var reserved = await reader.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Kaufvertrag", ["corpus"] = "intern" }, cancellationToken: Ct);
        Assert.True(reserved.IsError);
        Assert.Contains("corpus 'intern' is not readable with role reader", Text(reserved), StringComparison.Ordinal);
        // Over all corpora, the reserved one is silently absent for a reader.
        var all = Structured(await reader.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Kaufvertrag Pflichten", ["k"] = 10 }, cancellationToken: Ct));
        Assert.DoesNotContain(all.GetProperty("results").EnumerateArray(), r => r.GetProperty("corpus").GetString() == "intern");
        var hidden = Structured(await reader.CallToolAsync("show", new Dictionary<string, object?> { ["citation"] = "intern/kaufg/s433" }, cancellationToken: Ct));
        Assert.Empty(hidden.GetProperty("provisions").EnumerateArray());

        var badMode = await reader.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Eigenbedarf", ["mode"] = "fuzzy" }, cancellationToken: Ct);
        Assert.True(badMode.IsError);
        Assert.Contains("mode must be", Text(badMode), StringComparison.Ordinal);
        var badK = await reader.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Eigenbedarf", ["k"] = 0 }, cancellationToken: Ct);
        Assert.Contains("k must be between 1 and 100", Text(badK), StringComparison.Ordinal);

        await using var evaluator = await ConnectAsync(host, ServerHost.EvaluatorKey);
        var allowed = Structured(await evaluator.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Kaufvertrag", ["corpus"] = "intern" }, cancellationToken: Ct));
        Assert.Equal("intern/kaufg/s433", allowed.GetProperty("results")[0].GetProperty("provisionId").GetString());
    }

    [Fact]
    public async Task Without_a_valid_key_the_endpoint_is_refused()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var missing = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(host, null));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var wrong = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(host, "wrong-key-wrong-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        // A raw tools/call without the handshake is refused before any tool runs.
        using var anonymous = host.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, McpExtensions.Path)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"Eigenbedarf"}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(request, Ct)).StatusCode);
        // No tool ran: the audit log holds the three refusals and nothing else.
        var audit = await host.AuditLinesAsync(atLeast: 3, Ct);
        Assert.Equal(3, audit.Count);
        Assert.All(audit, a => Assert.Equal(("denied", 401, "/mcp"), (a.GetProperty("action").GetString(), a.GetProperty("status").GetInt32(), a.GetProperty("path").GetString())));
    }
}
