using LegalRag.Answering;
using LegalRag.Core.Abstractions;
using LegalRag.Hosting;
using LegalRag.Retrieval.Search;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using LegalRag.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LegalRag.Server.Api;

/// <summary>The REST API: search, ask (non-streamed), provisions, corpora, the caller, the audit log, evaluators' feedback; health and readiness.</summary>
public static class ApiEndpoints
{
    public const int MaxK = 100;
    public const int MaxQueryChars = 4000;

    public static IEndpointRouteBuilder MapLegalRagApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Roles.Policies.Reader);
        api.MapPost("/search", SearchAsync).WithServerCapacity().WithName("Search").WithSummary("Ranked provisions with snippets");
        api.MapPost("/ask", AskAsync).WithServerCapacity().WithName("Ask").WithSummary("A verified answer with citations (not streamed)");
        api.MapGet("/provisions/{**id}", GetProvisionAsync).WithName("GetProvision").WithSummary("A provision's text and hierarchy");
        api.MapVersionEndpoints();
        api.MapGet("/corpora", ListCorporaAsync).WithName("ListCorpora");
        api.MapGet("/me", (HttpContext http, AnswerService answers, DefaultRetrievalMode defaults) =>
            new CallerDto(http.User.CallerName(), http.User.CallerRole(), answers.PreferredMode == AnswerMode.Llm ? "llm" : "extractive", defaults.Name)).WithName("Me");
        api.MapGet("/audit", async (AuditLog audit, int? limit, CancellationToken ct) => Results.Ok(await audit.TailAsync(Math.Clamp(limit ?? 100, 1, 1000), ct)))
            .RequireAuthorization(Roles.Policies.Admin).WithName("AuditTail");
        api.MapGet("/runtime", RuntimeEndpoint.Get).RequireAuthorization(Roles.Policies.Admin)
            .WithName("Runtime").WithSummary("The server process's memory, GC, thread pool and capacity (load tests, operators)");
        api.MapPost("/feedback", FeedbackEndpoint.PostAsync).RequireAuthorization(Roles.Policies.Evaluator)
            .WithName("Feedback").WithSummary("An evaluator marks a cited provision right or wrong for a question (append-only)");

        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymousListed().WithName("Health");
        app.MapGet("/ready", ReadyAsync).AllowAnonymousListed().WithName("Ready");
        return app;
    }

    private static async Task<Results<Ok<SearchApiResponse>, ProblemHttpResult>> SearchAsync(
        SearchApiRequest request, HttpContext http, SearchService search, DefaultRetrievalMode defaults, CorpusAccess access, AuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Query)) return Problem(400, "query is required");
        if (AsOfProblem(request.AsOf, http, out var asOf) is { } asOfProblem) return asOfProblem;
        if (request.Query.Length > MaxQueryChars) return Problem(400, $"query is longer than {MaxQueryChars} characters");
        if (request.K is < 1 or > MaxK) return Problem(400, $"k must be between 1 and {MaxK}");
        if (request.Corpus is not null && !access.CanRead(http.User, request.Corpus)) return Problem(403, $"corpus '{request.Corpus}' is not readable with role {http.User.CallerRole()}");
        if (ModeProblem(request.Mode, search, defaults, out var mode) is { } modeProblem) return modeProblem;
        var excluded = access.Excluded(http.User);
        SearchResponse response;
        try
        {
            response = await search.SearchAsync(new SearchRequest { Query = request.Query, Corpus = request.Corpus, Act = request.Act, K = Math.Min(MaxK, request.K * (excluded.Count > 0 ? 3 : 1)), Mode = mode, AsOf = asOf }, ct);
        }
        catch (InvalidOperationException ex)
        {
            return Problem(400, ex.Message);
        }
        var results = response.Results.Where(r => !excluded.Contains(r.Corpus)).Take(request.K)
            .Select(r => new SearchHitDto(r.Citation, r.ProvisionId, r.Path, r.Snippet, r.Score, r.Pinpoint, r.Heading, r.Act, r.Corpus, r.SourcePath, r.Page, r.CitationMatch, r.Repealed, r.ValidFrom, r.ValidTo))
            .ToList();
        await audit.WriteAsync(new AuditEvent
        {
            Action = "search", User = http.User.CallerName(), Role = http.User.CallerRole(), Question = request.Query, Corpus = request.Corpus,
            Provisions = results.Select(r => r.ProvisionId).ToList(), Ms = response.TookMs, Transport = "rest", Mode = RetrievalModes.Name(mode),
        }, ct);
        return TypedResults.Ok(new SearchApiResponse(results, Math.Round(response.TookMs, 2), asOf ?? search.Today));
    }

    private static async Task<Results<Ok<AskResponse>, ProblemHttpResult>> AskAsync(
        AskRequest request, HttpContext http, AnswerService answers, SearchService search, DefaultRetrievalMode defaults, CorpusAccess access, AuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Question)) return Problem(400, "question is required");
        if (AsOfProblem(request.AsOf, http, out var asOf) is { } asOfProblem) return asOfProblem;
        // Without a mode the answer service keeps its own (Answering:Mode, else Search:DefaultMode).
        RetrievalMode? askMode = null;
        if (!string.IsNullOrWhiteSpace(request.Mode))
        {
            if (ModeProblem(request.Mode, search, defaults, out var parsed) is { } modeProblem) return modeProblem;
            askMode = parsed;
        }
        if (request.Corpus is not null && !access.CanRead(http.User, request.Corpus)) return Problem(403, $"corpus '{request.Corpus}' is not readable with role {http.User.CallerRole()}");
        Answer answer;
        try
        {
            answer = await answers.AskAsync(new AnswerRequest { Question = request.Question, Corpus = request.Corpus, Language = request.Language, ExcludedCorpora = access.Excluded(http.User), Mode = askMode, AsOf = asOf }, ct);
        }
        catch (ArgumentException ex)
        {
            return Problem(400, ex.Message);
        }
        await audit.WriteAsync(AuditOf(http.User, "ask", request.Question, request.Corpus, answer, "rest"), ct);
        return TypedResults.Ok(AskResponse.From(answer, Roles.Rank(http.User.CallerRole()) >= Roles.Rank(Roles.Evaluator)));
    }

    internal static AuditEvent AuditOf(System.Security.Claims.ClaimsPrincipal user, string action, string question, string? corpus, Answer answer, string transport) => new()
    {
        Action = action, User = user.CallerName(), Role = user.CallerRole(), Question = question, StandaloneQuery = answer.StandaloneQuery,
        Corpus = corpus, Mode = answer.Mode switch { AnswerMode.Llm => "llm", AnswerMode.ExtractiveFallback => "extractive-fallback", _ => "extractive" },
        Refused = answer.Refused, Provisions = answer.RetrievedProvisionIds, Cited = answer.Citations.Select(c => c.ProvisionId).Distinct().ToList(),
        Flags = answer.Flags.Count, Ms = Math.Round(answer.Timings.TotalMs, 1), Transport = transport,
    };

    private static async Task<Results<Ok<ProvisionDto>, ProblemHttpResult>> GetProvisionAsync(
        string id, HttpContext http, ILegalStore store, CorpusAccess access, AuditLog audit, CancellationToken ct)
    {
        if (id.Length is 0 or > 512) return Problem(400, "provision id must be 1 to 512 characters");
        var stored = await store.GetProvisionAsync(id, ct);
        // A provision of a corpus the caller may not read does not exist for them.
        if (stored is null || !access.CanRead(http.User, stored.Corpus)) return Problem(404, $"no provision '{id}'");
        await audit.WriteAsync(new AuditEvent { Action = "provision", User = http.User.CallerName(), Role = http.User.CallerRole(), Provisions = [id], Corpus = stored.Corpus, Transport = "rest" }, ct);
        var references = await store.GetReferencesAsync(id, ct);
        // Keys begin with their corpus; provisions of corpora the caller may not read are not listed.
        List<ReferenceDto> Readable(IEnumerable<ReferencedProvision> list) =>
            list.Where(r => access.CanRead(http.User, r.ProvisionKey.Split('/')[0])).Select(r => new ReferenceDto(r.Citation, r.ProvisionKey)).ToList();
        return TypedResults.Ok(ProvisionDto.From(stored, Readable(references.RefersTo), Readable(references.ReferredToBy)));
    }

    private static async Task<Ok<List<CorpusDto>>> ListCorporaAsync(HttpContext http, ILegalStore store, CorpusAccess access, CancellationToken ct)
    {
        var corpora = await store.ListCorporaAsync(ct);
        return TypedResults.Ok(corpora.Where(c => access.CanRead(http.User, c.Name)).Select(c => new CorpusDto(c.Name, c.Language, c.Documents, c.Provisions)).ToList());
    }

    private static async Task<IResult> ReadyAsync(ILegalStore store, CancellationToken ct)
    {
        try
        {
            var stats = await store.GetStatisticsAsync(ct);
            return stats.Provisions > 0
                ? Results.Ok(new { status = "ready", corpora = stats.Corpora, provisions = stats.Provisions })
                : Results.Json(new { status = "empty", reason = "no corpus ingested" }, statusCode: 503);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or LegalRag.Storage.Qdrant.QdrantException)
        {
            return Results.Json(new { status = "unavailable", reason = ex.Message }, statusCode: 503);
        }
    }

    /// <summary>The request's mode (else the configured default), or a 400 naming why it cannot be served.</summary>
    internal static ProblemHttpResult? ModeProblem(string? requested, SearchService search, DefaultRetrievalMode defaults, out RetrievalMode mode)
    {
        mode = defaults.Mode;
        if (string.IsNullOrWhiteSpace(requested)) return null;
        if (RetrievalModes.Parse(requested) is not { } parsed) return Problem(400, $"mode must be {RetrievalModes.Choices}, not '{requested}'");
        mode = parsed;
        if (RetrievalModes.NeedsEmbedder(parsed) && !search.DenseAvailable)
            return Problem(400, $"mode {RetrievalModes.Name(parsed)} needs an embedding model; this server has none configured (LegalRag:Embedding)");
        return null;
    }

    /// <summary>The asOf of the body, else of the query string ("?asOf=2010-01-01"), or a 400 naming why it is not a day.</summary>
    internal static ProblemHttpResult? AsOfProblem(string? fromBody, HttpContext http, out DateOnly? asOf)
    {
        var text = string.IsNullOrWhiteSpace(fromBody) ? http.Request.Query["asOf"].ToString() : fromBody;
        return Core.Text.IsoDay.TryParse(text, "asOf", out asOf, out var error) ? null : Problem(400, error!);
    }

    internal static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}
