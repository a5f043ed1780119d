using System.Text.RegularExpressions;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using LegalRag.Server.Feedback;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LegalRag.Server.Api;

/// <summary>
/// POST /api/feedback (evaluator and admin): marks a cited provision right or wrong for a question and may name the
/// right citation. Everything is resolved against the store before it is written, so the log holds canonical
/// citations that <c>legalrag eval export-feedback</c> can turn into gold without guessing.
/// </summary>
public static partial class FeedbackEndpoint
{
    [GeneratedRegex("^[a-z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageCode();

    public static async Task<Results<Ok<CitationFeedback>, ProblemHttpResult>> PostAsync(
        FeedbackRequest request, HttpContext http, ILegalStore store, CorpusAccess access, FeedbackLog feedback, AuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Question)) return ApiEndpoints.Problem(400, "question is required");
        if (request.Question.Length > ApiEndpoints.MaxQueryChars) return ApiEndpoints.Problem(400, $"question is longer than {ApiEndpoints.MaxQueryChars} characters");
        var verdict = request.Verdict?.Trim().ToLowerInvariant();
        if (verdict is not (CitationFeedback.Right or CitationFeedback.Wrong)) return ApiEndpoints.Problem(400, $"verdict must be 'right' or 'wrong', not '{request.Verdict}'");
        if (request.Corpus is not null && !access.CanRead(http.User, request.Corpus)) return ApiEndpoints.Problem(403, $"corpus '{request.Corpus}' is not readable with role {http.User.CallerRole()}");
        var language = request.Language?.Trim().ToLowerInvariant();
        if (language is not null && !LanguageCode().IsMatch(language)) return ApiEndpoints.Problem(400, $"language must be a two-letter code such as 'de', not '{request.Language}'");
        if (!string.IsNullOrWhiteSpace(request.Correct) && verdict == CitationFeedback.Right)
            return ApiEndpoints.Problem(400, "correct names the right provision when the cited one is wrong; leave it out with verdict 'right'");

        StoredProvision? judged;
        if (!string.IsNullOrWhiteSpace(request.ProvisionId))
        {
            if (request.ProvisionId.Length > 512) return ApiEndpoints.Problem(400, "provisionId must be at most 512 characters");
            judged = await store.GetProvisionAsync(request.ProvisionId, ct);
            if (judged is null || !access.CanRead(http.User, judged.Corpus)) return ApiEndpoints.Problem(400, $"no provision '{request.ProvisionId}'");
        }
        else if (!string.IsNullOrWhiteSpace(request.Citation))
        {
            var (found, problem) = await ResolveAsync(request.Citation, "citation", request.Corpus, http, store, access, ct);
            if (problem is not null) return problem;
            judged = found;
        }
        else
        {
            return ApiEndpoints.Problem(400, "provisionId or citation is required: which cited provision is judged");
        }

        string? correct = null;
        if (!string.IsNullOrWhiteSpace(request.Correct))
        {
            var (found, problem) = await ResolveAsync(request.Correct, "correct", request.Corpus ?? judged!.Corpus, http, store, access, ct);
            if (problem is not null) return problem;
            correct = found!.Provision.Citation;
        }

        var entry = new CitationFeedback(DateTimeOffset.UtcNow, http.User.CallerName(), http.User.CallerRole(), request.Question.Trim(), verdict,
            judged!.Key, judged.Provision.Citation, correct, request.Corpus, language ?? judged.Language);
        await feedback.WriteAsync(entry, ct);
        await audit.WriteAsync(new AuditEvent
        {
            Action = "feedback", User = entry.User, Role = entry.Role, Question = entry.Question, Corpus = entry.Corpus,
            Provisions = [entry.ProvisionId], Transport = "rest",
        }, ct);
        return TypedResults.Ok(entry);
    }

    /// <summary>The one provision a typed citation names, in <paramref name="corpus"/> when given; a 400 naming the field otherwise.</summary>
    private static async Task<(StoredProvision? Found, ProblemHttpResult? Problem)> ResolveAsync(
        string citation, string field, string? corpus, HttpContext http, ILegalStore store, CorpusAccess access, CancellationToken ct)
    {
        if (citation.Length > 200 || !CitationParser.TryParse(citation, out var reference))
            return (null, ApiEndpoints.Problem(400, $"{field} '{Shorten(citation)}' is not a citation such as \"BGB § 573\""));
        var found = (await store.FindByCitationAsync(reference, corpus, ct)).Where(p => access.CanRead(http.User, p.Corpus)).ToList();
        if (found.Count == 0) return (null, ApiEndpoints.Problem(400, $"{field} '{citation}' matches no provision{(corpus is null ? "" : $" in corpus '{corpus}'")}"));
        if (found.Count > 1 && reference.Act is null)
            return (null, ApiEndpoints.Problem(400, $"{field} '{citation}' matches {found.Count} provisions; name the act"));
        return (found[0], null);
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
