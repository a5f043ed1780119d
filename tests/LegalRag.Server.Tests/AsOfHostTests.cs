using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LegalRag.Server.Mcp;
using LegalRag.Server.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>The as-of day through every host: the hub's AsOf and done item, REST's asOf, MCP's asOf; bad days get a clear error.</summary>
public sealed class AsOfHostTests
{
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Type(JsonElement item) => item.GetProperty("type").GetString()!;

    [Fact]
    public async Task The_hub_takes_a_chosen_day_reads_one_from_the_question_and_says_which_in_the_done_item()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);

        var named = await hub.AskAsync(new { question = "Darf mein Vermieter im Jahr 2015 wegen Eigenbedarf kündigen?", corpus = "fixture" }, Ct);
        Assert.Equal("done", Type(named[^1]));
        Assert.Equal("2015-01-01", named[^1].GetProperty("asOf").GetString());
        Assert.Equal("question", named[^1].GetProperty("asOfSource").GetString());
        Assert.Equal("im Jahr 2015", named[^1].GetProperty("asOfText").GetString());
        var text = string.Concat(named.Where(i => Type(i) == "token").Select(i => i.GetProperty("text").GetString()));
        Assert.StartsWith("Nach der am 01.01.2015 geltenden Rechtslage. Das Datum stammt aus der Frage („im Jahr 2015“)", text);

        var chosen = await hub.AskAsync(new { question = Question, corpus = "fixture", asOf = "2020-02-29" }, Ct);
        Assert.Equal("2020-02-29", chosen[^1].GetProperty("asOf").GetString());
        Assert.Equal("user", chosen[^1].GetProperty("asOfSource").GetString());

        var plain = await hub.AskAsync(new { question = Question, corpus = "fixture" }, Ct);
        Assert.Equal("today", plain[^1].GetProperty("asOfSource").GetString());
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), plain[^1].GetProperty("asOf").GetString());

        var bad = await Assert.ThrowsAsync<HubException>(() => hub.AskAsync(new { question = Question, asOf = "2020-02-30" }, Ct));
        Assert.Contains("AsOf must be a date written YYYY-MM-DD (e.g. 2010-01-01), not '2020-02-30'", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_takes_as_of_in_the_body_or_the_query_string_and_refuses_a_bad_day()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var http = host.Client(ServerHost.ReaderKey);

        var ask = await (await http.PostAsJsonAsync("/api/ask", new { question = Question, corpus = "fixture", asOf = "2019-05-01" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("2019-05-01", ask.GetProperty("asOf").GetString());
        Assert.Equal("user", ask.GetProperty("asOfSource").GetString());
        Assert.StartsWith("Nach der am 01.05.2019 geltenden Rechtslage.", ask.GetProperty("answer").GetString());

        var search = await (await http.PostAsJsonAsync("/api/search?asOf=2003-07-14", new { query = "Kündigung Eigenbedarf", corpus = "fixture" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("2003-07-14", search.GetProperty("asOf").GetString());
        Assert.NotEmpty(search.GetProperty("results").EnumerateArray());

        var bad = await http.PostAsJsonAsync("/api/search", new { query = "Eigenbedarf", asOf = "14.07.2003" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("asOf must be a date written YYYY-MM-DD", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var badQuery = await http.PostAsJsonAsync("/api/ask?asOf=yesterday", new { question = Question }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
    }

    [Fact]
    public async Task Mcp_tools_take_an_optional_as_of_argument()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(host.Address, McpExtensions.Path), TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ServerHost.ReaderKey },
        };
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: Ct);

        var ask = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = Question, ["corpus"] = "fixture", ["asOf"] = "2018-01-31" }, cancellationToken: Ct);
        Assert.True(ask.IsError is not true);
        var answer = JsonSerializer.SerializeToElement(ask.StructuredContent);
        Assert.Equal("2018-01-31", answer.GetProperty("asOf").GetString());
        Assert.Equal("user", answer.GetProperty("asOfSource").GetString());

        var search = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "Eigenbedarf", ["asOf"] = "2018-01-31" }, cancellationToken: Ct);
        Assert.Equal("2018-01-31", JsonSerializer.SerializeToElement(search.StructuredContent).GetProperty("asOf").GetString());

        var bad = await client.CallToolAsync("ask", new Dictionary<string, object?> { ["question"] = Question, ["asOf"] = "31/01/2018" }, cancellationToken: Ct);
        Assert.True(bad.IsError);
        Assert.Contains("asOf must be a date written YYYY-MM-DD", string.Concat(bad.Content.OfType<TextContentBlock>().Select(b => b.Text)), StringComparison.Ordinal);
    }
}
