using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LegalRag.Answering.Tests.Support;
using LegalRag.Retrieval.Search;
using LegalRag.Server.Tests.Support;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// Queries written to break the lexical path: FTS5 syntax, control characters and broken UTF-16, absurd citation
/// numbers, and sheer length. None may fail, match everything, or take long — through <see cref="SearchService"/>
/// over a real SQLite store and through <c>POST /api/search</c> over real Kestrel.
/// </summary>
public sealed class HostileQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A query far slower than this is a denial of service on a 2-core server; generous for a loaded test machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);

    /// <summary>Queries with no word in them that the corpus has: each must find nothing. "c1" and "amietg" are the
    /// corpus and act filter terms the index keeps beside the text; a query must not reach them.</summary>
    private static readonly string[] Noise = [
        "\"", "\"\"", "\"\"\"", "*", "**", "* *", "NEAR", "NEAR(", "NEAR/", "NOT *", "(", ")", "()", "((((((((", "))))", ":", "::", "body:",
        "heading:*", "scope:*", "{heading body}:", "^", "+", "-", "'", ";", "--", "' OR ''='", "\") OR (\"", "\0", "\u0001\u0002\u0003\u001b[31m",
        "\uD800", "\uDC00", "\uDBFF\uDBFF", "\uFFFE\uFFFF", "\u202E\u200B\u2028", "%", "_", "\\", "\\\"", "$q", "?", "@",
        "c1", "c2", "amietg", "akaufg", "scope:c1", "scope:\"c1\"", "scope:amietg", "c1 c2 amietg akaufg ahundeg"];

    /// <summary>Query syntax mixed with short words the fixture does contain ("and" in its English injection
    /// sentence, "x" in its markup): no error, no bound passed, not everything.</summary>
    private static readonly string[] SyntaxWithWords = [
        "NEAR(foo bar, 10)", "AND", "OR", "NOT", "AND OR NOT", "x\" OR \"", "x\uD800y", "a", "a* OR b*", "{heading context body scope}: c1"];

    /// <summary>Citation-like strings whose numbers no parser should take at face value.</summary>
    private static readonly string[] AbsurdCitations = [
        "§ 99999999999999999999 BGB", "§ 99999999999999999999 MietG", "Art. 1e308", "Art. 1e308 Code civil", "§§ 1 bis 99999999999999999999",
        "§ -1 MietG", "§ 573 Abs. 99999999999999999999 MietG", "§ 1.7976931348623157E+308", "Artikel NaN", "art. 7:99999999999 BW",
        "§ 0x7FFFFFFF", "§ 573 MietG " + new string('9', 10_000)];

    /// <summary>Blank to the server (whitespace and line breaks only): the API refuses it as a bad request.</summary>
    private static readonly string[] Blank = ["\t\r\n\f\v", " ", "\u00A0\u2003"];

    /// <summary>Syntax wrapped around a word the corpus has: the same provisions as the word alone.</summary>
    private static readonly string[] SyntaxAroundAWord = [
        "Eigenbedarf OR *", "Eigenbedarf AND NOT Eigenbedarf", "NEAR(Eigenbedarf *)", "\"Eigenbedarf", "Eigenbedarf\"", "body:Eigenbedarf",
        "scope:c1 Eigenbedarf", "(Eigenbedarf", "Eigenbedarf*", "Eigenbedarf\u0000", "Eigenbedarf \uD800"];

    [Fact]
    public async Task Hostile_queries_find_nothing_they_do_not_name_and_finish_quickly()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var provisions = (await corpus.Store.GetStatisticsAsync(Ct)).Provisions;
        var failures = new List<string>();
        foreach (var query in Noise.Concat(SyntaxWithWords).Concat(AbsurdCitations))
        {
            foreach (var (corpusName, act) in new (string?, string?)[] { (null, null), (FixtureCorpus.Name, null), (FixtureCorpus.Name, "MietG") })
            {
                var clock = Stopwatch.StartNew();
                SearchResponse response;
                try
                {
                    response = await corpus.Search.SearchAsync(new SearchRequest { Query = query, Corpus = corpusName, Act = act, K = 1000 }, Ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures.Add($"'{Printable(query)}' threw {ex.GetType().Name}: {ex.Message}");
                    continue;
                }
                if (clock.Elapsed > Bound) failures.Add($"'{Printable(query)}' took {clock.Elapsed.TotalMilliseconds:N0} ms");
                if (response.Results.Count >= provisions) failures.Add($"'{Printable(query)}' matched all {provisions} provisions");
                else if (Noise.Contains(query) && response.Results.Count > 0)
                    failures.Add($"'{Printable(query)}' ({corpusName}/{act}) found {string.Join(", ", response.Results.Select(r => r.Citation))}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Syntax_around_a_word_finds_what_the_word_finds()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var plain = (await corpus.Search.SearchAsync(new SearchRequest { Query = "Eigenbedarf", K = 50 }, Ct)).Results.Select(r => r.ProvisionId).ToHashSet();
        Assert.NotEmpty(plain);
        var failures = new List<string>();
        foreach (var query in SyntaxAroundAWord)
        {
            var hostile = (await corpus.Search.SearchAsync(new SearchRequest { Query = query, K = 50 }, Ct)).Results.Select(r => r.ProvisionId).ToHashSet();
            if (!plain.IsSubsetOf(hostile)) failures.Add($"'{Printable(query)}' found [{string.Join(", ", hostile)}], the word alone [{string.Join(", ", plain)}]");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Hostile_act_filters_are_values_not_syntax()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        foreach (var act in new[] { "\"", "MietG\" OR scope:c1 OR \"", "*", "\uD800", "x\uDC00", "\0", new string('A', 100_000) })
        {
            var response = await corpus.Search.SearchAsync(new SearchRequest { Query = "Kündigung", Act = act, K = 100 }, Ct);
            Assert.True(response.Results.Count == 0, $"act '{Printable(act)}' found {response.Results.Count}");
        }
    }

    [Fact]
    public async Task Very_long_queries_finish_within_the_bound()
    {
        using var corpus = await FixtureCorpus.CreateAsync(Ct);
        var words = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => $"wort{i}x"));
        var queries = new[]
        {
            string.Concat(Enumerable.Repeat("Kündigung des Vermieters wegen Eigenbedarf ", 5_000)), // 215 KB, few distinct terms
            words, // 20,000 distinct terms no document has
            new string('x', 1_000_000), // one 1 MB word
            string.Concat(Enumerable.Repeat("\"NEAR(* OR ", 20_000)),
            string.Concat(Enumerable.Repeat("§ 573 ", 20_000)),
        };
        foreach (var query in queries)
        {
            var clock = Stopwatch.StartNew();
            var response = await corpus.Search.SearchAsync(new SearchRequest { Query = query, K = 10 }, Ct);
            Assert.True(clock.Elapsed < Bound, $"a {query.Length:N0}-character query took {clock.Elapsed.TotalMilliseconds:N0} ms");
            Assert.True(response.Results.Count <= 10);
        }
    }

    [Fact]
    public async Task Rest_search_answers_hostile_queries_without_a_server_error()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var http = host.Client(ServerHost.ReaderKey);
        var provisions = (await host.Corpus.Store.GetStatisticsAsync(Ct)).Provisions;
        var queries = Noise.Concat(SyntaxWithWords).Concat(AbsurdCitations).Concat(Blank)
            .Append(string.Concat(Enumerable.Repeat("Kündigung ", 20_000))).Append(new string('x', 200_000));
        foreach (var query in queries)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/api/search", new { query, k = 1000 }, Ct);
            Assert.True(clock.Elapsed < Bound, $"'{Printable(query)}' took {clock.Elapsed.TotalMilliseconds:N0} ms");
            var body = await response.Content.ReadAsStringAsync(Ct);
            // Whitespace-only and unencodable queries may be refused as bad requests; nothing may be a server error.
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"'{Printable(query)}': {(int)response.StatusCode} {body}");
            if (response.StatusCode == HttpStatusCode.OK)
                Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("results").GetArrayLength() < provisions, $"'{Printable(query)}' matched broadly: {body}");
        }

        foreach (var act in new[] { "\uD800", "MietG\" OR scope:c1 OR \"", "*" })
        {
            using var filtered = await http.PostAsJsonAsync("/api/search", new { query = "Kündigung", act }, Ct);
            Assert.True(filtered.StatusCode == HttpStatusCode.OK, $"act '{Printable(act)}': {(int)filtered.StatusCode} {await filtered.Content.ReadAsStringAsync(Ct)}");
            Assert.Equal(0, JsonDocument.Parse(await filtered.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("results").GetArrayLength());
        }

        // Raw JSON with a lone surrogate escape, which a client library would never send.
        using var raw = new StringContent("{\"query\":\"\\ud800 Eigenbedarf \\udc00\"}", Encoding.UTF8, "application/json");
        using var rawResponse = await http.PostAsync("/api/search", raw, Ct);
        Assert.True(rawResponse.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"lone surrogates in JSON: {(int)rawResponse.StatusCode}");
    }

    private static string Printable(string text) =>
        text.Length > 60 ? Printable(text[..60]) + $"… ({text.Length:N0} chars)"
            : string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
