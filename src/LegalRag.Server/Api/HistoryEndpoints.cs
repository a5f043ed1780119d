using LegalRag.Answering.History;
using LegalRag.Core.Abstractions;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LegalRag.Server.Api;

/// <summary>GET /api/history/search: the caller's exchanges whose question or answer match, best first.</summary>
public sealed record HistorySearchResponse(IReadOnlyList<HistoryHit> Results);

/// <summary>GET /api/admin/history/{user}: everything kept about one user (GDPR access).</summary>
public sealed record UserHistoryExport(string User, DateTimeOffset ExportedAt, IReadOnlyList<Conversation> Conversations);

/// <summary>DELETE /api/admin/history/{user}: what the erasure removed.</summary>
public sealed record UserHistoryErasure(string User, int Conversations, int Exchanges);

/// <summary>
/// The caller's own conversations: list, reopen (citations as they were), search, delete, export to the case file
/// (DOCX or Markdown); and for admins one user's data as JSON and its erasure (GDPR), both audited. Only the owner ever
/// sees a conversation: another user's id answers 404, as one that does not exist.
/// </summary>
public static class HistoryEndpoints
{
    public const int MaxPageSize = 100;
    public const int MaxSearchChars = 500;
    private const int MaxIdChars = 64;
    private const int MaxUserChars = 200;
    private const int MaxLangChars = 35;

    public static IEndpointRouteBuilder MapLegalRagHistory(this IEndpointRouteBuilder app)
    {
        var own = app.MapGroup("/api/history").RequireAuthorization(Roles.Policies.Reader).WithTags("History");
        own.MapGet("", ListAsync).WithName("HistoryList").WithSummary("The caller's conversations, latest first, paged");
        own.MapGet("/search", SearchAsync).WithName("HistorySearch").WithSummary("Full-text search over the caller's own questions and answers");
        own.MapGet("/{id}", GetAsync).WithName("HistoryGet").WithSummary("One of the caller's conversations with its citations as they were");
        own.MapDelete("/{id}", DeleteAsync).WithName("HistoryDelete").WithSummary("Deletes one of the caller's conversations");
        own.MapGet("/{id}/export", ExportConversationAsync).WithName("HistoryExport").WithSummary("A conversation for the case file: ?format=docx (default) or md; ?lang= the labels' language (default: the answers')");
        own.MapGet("/{id}/exchanges/{number}/export", ExportExchangeAsync).WithName("HistoryExportAnswer").WithSummary("One answer for the case file: ?format=docx (default) or md; ?lang= the labels' language (default: the answer's)");

        var admin = app.MapGroup("/api/admin/history").RequireAuthorization(Roles.Policies.Admin).WithTags("History");
        admin.MapGet("/{user}", ExportUserAsync).WithName("HistoryUserExport").WithSummary("GDPR access: everything kept about one user, as JSON (audited)");
        admin.MapDelete("/{user}", EraseUserAsync).WithName("HistoryUserErase").WithSummary("GDPR erasure: deletes everything kept about one user (audited)");
        return app;
    }

    private static async Task<Results<Ok<ConversationPage>, ProblemHttpResult>> ListAsync(HttpContext http, IConversationStore store, int? page, int? pageSize, CancellationToken ct)
    {
        if (page is < 1 or > 1_000_000) return ApiEndpoints.Problem(400, "page must be between 1 and 1000000");
        if (pageSize is < 1 or > MaxPageSize) return ApiEndpoints.Problem(400, $"pageSize must be between 1 and {MaxPageSize}");
        return TypedResults.Ok(await store.ListAsync(http.User.CallerName(), page ?? 1, pageSize ?? 20, ct));
    }

    private static async Task<Results<Ok<HistorySearchResponse>, ProblemHttpResult>> SearchAsync(HttpContext http, IConversationStore store, string? q, int? limit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q)) return ApiEndpoints.Problem(400, "q is required: the words to find in your questions and answers");
        if (q.Length > MaxSearchChars) return ApiEndpoints.Problem(400, $"q is longer than {MaxSearchChars} characters");
        if (limit is < 1 or > MaxPageSize) return ApiEndpoints.Problem(400, $"limit must be between 1 and {MaxPageSize}");
        return TypedResults.Ok(new HistorySearchResponse(await store.SearchAsync(http.User.CallerName(), q, limit ?? 20, ct)));
    }

    private static async Task<Results<Ok<Conversation>, ProblemHttpResult>> GetAsync(string id, HttpContext http, IConversationStore store, CancellationToken ct)
    {
        var conversation = id.Length <= MaxIdChars ? await store.GetAsync(http.User.CallerName(), id, ct) : null;
        return conversation is null ? NotFound(id) : TypedResults.Ok(conversation);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, HttpContext http, IConversationStore store, AuditLog audit, CancellationToken ct)
    {
        if (id.Length > MaxIdChars || !await store.DeleteAsync(http.User.CallerName(), id, ct)) return NotFound(id);
        await audit.WriteAsync(Event(http, "history-delete", id), ct);
        return TypedResults.NoContent();
    }

    private static Task<IResult> ExportConversationAsync(string id, string? format, string? lang, HttpContext http, IConversationStore store, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        ExportAsync(id, null, format, lang, http, store, audit, time, ct);

    private static Task<IResult> ExportExchangeAsync(string id, int number, string? format, string? lang, HttpContext http, IConversationStore store, AuditLog audit, TimeProvider time, CancellationToken ct) =>
        ExportAsync(id, number, format, lang, http, store, audit, time, ct);

    private static async Task<IResult> ExportAsync(string id, int? number, string? format, string? lang, HttpContext http, IConversationStore store, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var kind = (format ?? "docx").Trim().ToLowerInvariant();
        if (kind is not ("docx" or "md" or "markdown")) return ApiEndpoints.Problem(400, $"format must be 'docx' or 'md', not '{format}'");
        // A well-formed tag without a pack ("es", "pt-BR") gets English labels; one that is no language tag at all is a
        // mistake of the caller's, said as such rather than hidden behind English.
        if (lang is not null && !IsLanguageTag(lang)) return ApiEndpoints.Problem(400, $"lang must be a language code such as 'de' or 'fr-BE', not '{(lang.Length > MaxLangChars ? lang[..MaxLangChars] + "…" : lang)}'");
        var conversation = id.Length <= MaxIdChars ? await store.GetAsync(http.User.CallerName(), id, ct) : null;
        if (conversation is null) return NotFound(id);
        if (number is { } n && conversation.Exchanges.All(e => e.Number != n)) return ApiEndpoints.Problem(404, $"conversation {id} has no answer {n}");
        var now = time.GetUtcNow();
        var labels = CaseFileExport.LabelLanguage(conversation, number, lang);
        await audit.WriteAsync(Event(http, "history-export", number is null ? id : $"{id}/{number}"), ct);
        return kind == "docx"
            ? TypedResults.File(DocxExport.Write(conversation, number, now, labels), CaseFileExport.DocxContentType, CaseFileExport.FileName(conversation, number, "docx"))
            : TypedResults.File(System.Text.Encoding.UTF8.GetBytes(MarkdownExport.Write(conversation, number, now, labels)), CaseFileExport.MarkdownContentType, CaseFileExport.FileName(conversation, number, "md"));
    }

    /// <summary>A BCP 47-like tag with a two-letter language: "de", "fr-BE", "nl-NL"; the two letters choose the pack.</summary>
    internal static bool IsLanguageTag(string tag)
    {
        if (tag.Length is < 2 or > MaxLangChars || !char.IsAsciiLetter(tag[0]) || !char.IsAsciiLetter(tag[1])) return false;
        if (tag.Length == 2) return true;
        if (tag[2] != '-') return false;
        var subtags = tag[3..].Split('-');
        return subtags.All(s => s.Length is >= 1 and <= 8 && s.All(char.IsAsciiLetterOrDigit));
    }

    private static async Task<Results<Ok<UserHistoryExport>, ProblemHttpResult>> ExportUserAsync(string user, HttpContext http, IConversationStore store, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (user.Length > MaxUserChars) return ApiEndpoints.Problem(400, $"user must be at most {MaxUserChars} characters");
        var conversations = await store.ExportUserAsync(user, ct);
        await audit.WriteAsync(Event(http, "gdpr-export", user), ct);
        return TypedResults.Ok(new UserHistoryExport(user, time.GetUtcNow(), conversations));
    }

    private static async Task<Results<Ok<UserHistoryErasure>, ProblemHttpResult>> EraseUserAsync(string user, HttpContext http, IConversationStore store, AuditLog audit, CancellationToken ct)
    {
        if (user.Length > MaxUserChars) return ApiEndpoints.Problem(400, $"user must be at most {MaxUserChars} characters");
        var removed = await store.EraseUserAsync(user, ct);
        await audit.WriteAsync(Event(http, "gdpr-erase", user), ct);
        return TypedResults.Ok(new UserHistoryErasure(user, removed.Conversations, removed.Exchanges));
    }

    private static AuditEvent Event(HttpContext http, string action, string target) =>
        new() { Action = action, User = http.User.CallerName(), Role = http.User.CallerRole(), Target = target, Transport = "rest" };

    private static ProblemHttpResult NotFound(string id) => ApiEndpoints.Problem(404, $"no conversation '{(id.Length > MaxIdChars ? id[..MaxIdChars] + "…" : id)}'");
}
