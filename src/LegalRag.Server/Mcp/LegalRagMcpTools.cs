using System.ComponentModel;
using System.Security.Claims;
using LegalRag.Answering;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Hosting;
using LegalRag.Retrieval.Search;
using LegalRag.Server.Api;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LegalRag.Server.Mcp;

/// <summary>The provisions a citation or provision id names, as far as the caller may read them.</summary>
public sealed record McpProvisions(string Requested, IReadOnlyList<ProvisionDto> Provisions);

/// <summary>
/// The MCP tools at /mcp: search, show and ask, over the same services, checks and audit log as the REST API, and
/// returning its contracts (<see cref="SearchHitDto"/>, <see cref="ProvisionDto"/>, <see cref="AskResponse"/>) as
/// structured content. The endpoint requires a reader key (see <see cref="McpExtensions"/>); corpus roles apply per tool.
/// A failed check throws <see cref="McpException"/>, which the client receives as a tool error with the reason.
/// </summary>
[McpServerToolType]
public sealed class LegalRagMcpTools(SearchService search, AnswerService answers, ILegalStore store, DefaultRetrievalMode defaults, CorpusAccess access, AuditLog audit)
{
    public const string Transport = "mcp";

    [McpServerTool(Name = "search", Title = "Search the statutes", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Ranked provisions of the ingested statutes for a query, best first, each with its citation, provision id and a snippet. A citation such as 'BGB § 573' as the query finds that provision.")]
    public async Task<SearchApiResponse> SearchAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("What to look for, in the statutes' language, or a citation")] string query,
        [Description("Only this corpus (optional)")] string? corpus = null,
        [Description("Only this act, e.g. 'BGB' (optional)")] string? act = null,
        [Description("How many provisions to return (1 to 100)")] int k = 10,
        [Description("Retrieval mode: lexical, dense, hybrid or hybrid+rerank (optional; the server's default otherwise)")] string? mode = null,
        [Description("Search the law in force on this day, YYYY-MM-DD (optional; today otherwise)")] string? asOf = null,
        CancellationToken cancellationToken = default)
    {
        var user = Caller(context);
        if (string.IsNullOrWhiteSpace(query)) throw new McpException("query is required");
        if (!Core.Text.IsoDay.TryParse(asOf, "asOf", out var day, out var asOfError)) throw new McpException(asOfError!);
        if (query.Length > ApiEndpoints.MaxQueryChars) throw new McpException($"query is longer than {ApiEndpoints.MaxQueryChars} characters");
        if (k is < 1 or > ApiEndpoints.MaxK) throw new McpException($"k must be between 1 and {ApiEndpoints.MaxK}");
        corpus = Blank(corpus);
        RequireReadable(user, corpus);
        if (ApiEndpoints.ModeProblem(Blank(mode), search, defaults, out var retrieval) is { } problem) throw new McpException(problem.ProblemDetails.Detail ?? $"mode '{mode}' cannot be served");
        var excluded = access.Excluded(user);
        SearchResponse response;
        try
        {
            // Results from hidden corpora are dropped after ranking, so ask for more when some are hidden (as the REST API does).
            response = await search.SearchAsync(new SearchRequest { Query = query, Corpus = corpus, Act = Blank(act), K = Math.Min(ApiEndpoints.MaxK, k * (excluded.Count > 0 ? 3 : 1)), Mode = retrieval, AsOf = day }, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new McpException(ex.Message);
        }
        var results = response.Results.Where(r => !excluded.Contains(r.Corpus)).Take(k)
            .Select(r => new SearchHitDto(r.Citation, r.ProvisionId, r.Path, r.Snippet, r.Score, r.Pinpoint, r.Heading, r.Act, r.Corpus, r.SourcePath, r.Page, r.CitationMatch, r.Repealed, r.ValidFrom, r.ValidTo))
            .ToList();
        await audit.WriteAsync(new AuditEvent
        {
            Action = "search", User = user.CallerName(), Role = user.CallerRole(), Question = query, Corpus = corpus,
            Provisions = results.Select(r => r.ProvisionId).ToList(), Ms = response.TookMs, Transport = Transport, Mode = RetrievalModes.Name(retrieval),
        }, cancellationToken);
        return new SearchApiResponse(results, Math.Round(response.TookMs, 2), day ?? search.Today);
    }

    [McpServerTool(Name = "show", Title = "Show a provision", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("The full text of the provision a citation ('BGB § 573') or provision id names, paragraph by paragraph, with its act, place in the act and cross-references.")]
    public async Task<McpProvisions> ShowAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("A citation such as 'BGB § 573' or a provision id from search results")] string citation,
        [Description("Only this corpus (optional)")] string? corpus = null,
        CancellationToken cancellationToken = default)
    {
        var user = Caller(context);
        if (string.IsNullOrWhiteSpace(citation) || citation.Length > 512) throw new McpException("citation must be 1 to 512 characters");
        corpus = Blank(corpus);
        RequireReadable(user, corpus);
        var found = new List<StoredProvision>();
        if (await store.GetProvisionAsync(citation, cancellationToken) is { } byId) found.Add(byId);
        else if (CitationParser.TryParse(citation, out var reference)) found.AddRange(await store.FindByCitationAsync(reference, corpus, cancellationToken));
        else throw new McpException($"'{citation}' is neither a citation nor a provision id");
        // A provision of a corpus the caller may not read does not exist for them.
        var readable = found.Where(p => access.CanRead(user, p.Corpus) && (corpus is null || p.Corpus == corpus)).ToList();
        var provisions = new List<ProvisionDto>(readable.Count);
        foreach (var stored in readable) provisions.Add(await ProvisionAsync(user, stored, cancellationToken));
        await audit.WriteAsync(new AuditEvent
        {
            Action = "provision", User = user.CallerName(), Role = user.CallerRole(), Question = citation, Corpus = corpus,
            Provisions = readable.Select(p => p.Key).ToList(), Transport = Transport,
        }, cancellationToken);
        return new McpProvisions(citation, provisions);
    }

    [McpServerTool(Name = "ask", Title = "Ask a legal question", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("A verified answer to a legal question from the ingested statutes, with citations (pinpoint, provision id and the supporting quote). The answer refuses when the statutes do not support one.")]
    public async Task<AskResponse> AskAsync(
        RequestContext<CallToolRequestParams> context,
        [Description("The question, in any supported language")] string question,
        [Description("Only this corpus (optional)")] string? corpus = null,
        [Description("Answer language, e.g. 'de' (optional; detected from the question)")] string? language = null,
        [Description("Retrieval mode: lexical, dense, hybrid or hybrid+rerank (optional; the server's default otherwise)")] string? mode = null,
        [Description("Answer with the law in force on this day, YYYY-MM-DD (optional; else a day the question names, else today)")] string? asOf = null,
        CancellationToken cancellationToken = default)
    {
        var user = Caller(context);
        if (string.IsNullOrWhiteSpace(question)) throw new McpException("question is required");
        if (!Core.Text.IsoDay.TryParse(asOf, "asOf", out var day, out var asOfError)) throw new McpException(asOfError!);
        if (question.Length > ApiEndpoints.MaxQueryChars) throw new McpException($"question is longer than {ApiEndpoints.MaxQueryChars} characters");
        corpus = Blank(corpus);
        RequireReadable(user, corpus);
        // Without a mode the answer service keeps its own (Answering:Mode, else Search:DefaultMode), as in the REST API.
        RetrievalMode? askMode = null;
        if (Blank(mode) is { } requested)
        {
            if (ApiEndpoints.ModeProblem(requested, search, defaults, out var parsed) is { } problem) throw new McpException(problem.ProblemDetails.Detail ?? $"mode '{mode}' cannot be served");
            askMode = parsed;
        }
        Answer answer;
        try
        {
            answer = await answers.AskAsync(new AnswerRequest { Question = question, Corpus = corpus, Language = Blank(language), ExcludedCorpora = access.Excluded(user), Mode = askMode, AsOf = day }, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw new McpException(ex.Message);
        }
        await audit.WriteAsync(ApiEndpoints.AuditOf(user, "ask", question, corpus, answer, Transport), cancellationToken);
        return AskResponse.From(answer, Roles.Rank(user.CallerRole()) >= Roles.Rank(Roles.Evaluator));
    }

    private async Task<ProvisionDto> ProvisionAsync(ClaimsPrincipal user, StoredProvision stored, CancellationToken cancellationToken)
    {
        var references = await store.GetReferencesAsync(stored.Key, cancellationToken);
        // Keys begin with their corpus; provisions of corpora the caller may not read are not listed.
        List<ReferenceDto> Readable(IEnumerable<ReferencedProvision> list) =>
            list.Where(r => access.CanRead(user, r.ProvisionKey.Split('/')[0])).Select(r => new ReferenceDto(r.Citation, r.ProvisionKey)).ToList();
        return ProvisionDto.From(stored, Readable(references.RefersTo), Readable(references.ReferredToBy));
    }

    // The endpoint already refused anyone without a reader key; a missing user here means the tools were mapped without it.
    private static ClaimsPrincipal Caller(RequestContext<CallToolRequestParams> context) =>
        context.User is { Identity.IsAuthenticated: true } user ? user : throw new McpException("an API key is required");

    private void RequireReadable(ClaimsPrincipal user, string? corpus)
    {
        if (corpus is not null && !access.CanRead(user, corpus)) throw new McpException($"corpus '{corpus}' is not readable with role {user.CallerRole()}");
    }

    // Models fill optional parameters with "" as often as they leave them out.
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
