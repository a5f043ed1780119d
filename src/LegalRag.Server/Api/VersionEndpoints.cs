using LegalRag.Core.Abstractions;
using LegalRag.Core.Versions;
using LegalRag.Retrieval.Search;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using LegalRag.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LegalRag.Server.Api;

/// <summary>
/// A provision's history for the provision panel: its versions (GET /api/provision-versions/{id}) and the word diff of
/// two of them (GET /api/provision-diff?from=…&amp;to=…). Their own paths, because /api/provisions/{**id} takes every path
/// below it as a provision id. Same rule as GET /api/provisions: a provision of a corpus the caller may not read is a 404.
/// </summary>
public static class VersionEndpoints
{
    public const int MaxIdChars = 512;

    public static RouteGroupBuilder MapVersionEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/provision-versions/{**id}", ListAsync).WithName("GetProvisionVersions")
            .WithSummary("Every version of a provision (by any version's id or the provision's), oldest first, with dates, amending act and whether in force today");
        api.MapGet("/provision-diff", DiffAsync).WithName("GetProvisionDiff")
            .WithSummary("The word diff between two versions of one provision: from and to are version ids or days (YYYY-MM-DD, with id naming the provision)");
        return api;
    }

    private static async Task<Results<Ok<ProvisionVersionsDto>, ProblemHttpResult>> ListAsync(
        string id, HttpContext http, ILegalStore store, SearchService search, CorpusAccess access, AuditLog audit, CancellationToken ct)
    {
        if (id.Length is 0 or > MaxIdChars) return ApiEndpoints.Problem(400, $"provision id must be 1 to {MaxIdChars} characters");
        var versions = await store.GetVersionsAsync(id, ct);
        // A provision of a corpus the caller may not read does not exist for them.
        if (versions.Count == 0 || !access.CanRead(http.User, versions[0].Corpus)) return ApiEndpoints.Problem(404, $"no provision '{id}'");
        var today = search.Today;
        await audit.WriteAsync(new AuditEvent
        {
            Action = "provision-versions", User = http.User.CallerName(), Role = http.User.CallerRole(), Provisions = [id], Corpus = versions[0].Corpus, Transport = "rest",
        }, ct);
        return TypedResults.Ok(new ProvisionVersionsDto(
            ProvisionVersions.BaseKey(versions[0].Key), versions[^1].Provision.Citation, versions[0].Corpus, today,
            ProvisionVersions.Current(versions, today).Key, versions.Select(v => ProvisionVersionDto.From(v, today)).ToList()));
    }

    private static async Task<Results<Ok<ProvisionDiffDto>, ProblemHttpResult>> DiffAsync(
        string? from, string? to, string? id, HttpContext http, ILegalStore store, SearchService search, CorpusAccess access, AuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
            return ApiEndpoints.Problem(400, "from and to are required: each a version id (as GET /api/provision-versions/{id} lists them) or a day YYYY-MM-DD");
        if (from.Length > MaxIdChars || to.Length > MaxIdChars || id?.Length > MaxIdChars)
            return ApiEndpoints.Problem(400, $"from, to and id must be at most {MaxIdChars} characters");
        // Which provision: the one named, else the one whose version id comes first (a day names none).
        var provision = !string.IsNullOrWhiteSpace(id) ? id : NamesVersion(from) ? from : NamesVersion(to) ? to : null;
        if (provision is null)
        {
            // Neither names a version: each must then be a day, and a day names no provision.
            foreach (var (name, value) in new[] { ("from", from), ("to", to) })
                if (!Core.Text.IsoDay.TryParse(value, name, out _, out _))
                    return ApiEndpoints.Problem(400, $"{name} must be a version id (as GET /api/provision-versions/{{id}} lists them) or a day written YYYY-MM-DD, not '{value}'");
            return ApiEndpoints.Problem(400, "from and to are both days: name the provision with id (e.g. id=fr/code-civil/a910)");
        }
        var versions = await store.GetVersionsAsync(provision, ct);
        if (versions.Count == 0 || !access.CanRead(http.User, versions[0].Corpus)) return ApiEndpoints.Problem(404, $"no provision '{provision}'");

        var fromVersion = ProvisionVersions.Pick(versions, from, out var fromError);
        var toVersion = ProvisionVersions.Pick(versions, to, out var toError);
        if (fromVersion is null) return PickProblem("from", from, fromError!, versions);
        if (toVersion is null) return PickProblem("to", to, toError!, versions);

        await audit.WriteAsync(new AuditEvent
        {
            Action = "provision-diff", User = http.User.CallerName(), Role = http.User.CallerRole(), Provisions = [fromVersion.Key, toVersion.Key], Corpus = versions[0].Corpus, Transport = "rest",
        }, ct);
        var segments = WordDiff.Compute(fromVersion.Provision.Text, toVersion.Provision.Text);
        var today = search.Today;
        return TypedResults.Ok(new ProvisionDiffDto(
            toVersion.Provision.Citation, ProvisionVersionDto.From(fromVersion, today), ProvisionVersionDto.From(toVersion, today),
            segments.Any(s => s.Op != DiffOp.Equal), segments.Select(s => new DiffSegmentDto(s.Op.ToString().ToLowerInvariant(), s.Text)).ToList()));
    }

    /// <summary>Provision keys begin with their corpus and a slash; a day never holds one.</summary>
    private static bool NamesVersion(string text) => text.Contains('/', StringComparison.Ordinal);

    /// <summary>Why from or to names no version of this provision: another provision's id or a bad day is the caller's
    /// mistake (400); an id of this provision that is not stored, or a day no version was in force, finds nothing (404).</summary>
    private static ProblemHttpResult PickProblem(string name, string value, VersionPickError error, IReadOnlyList<StoredProvision> versions)
    {
        var baseKey = ProvisionVersions.BaseKey(versions[0].Key);
        var citation = versions[^1].Provision.Citation;
        if (error.Failure == VersionPickFailure.NoneInForce) return ApiEndpoints.Problem(404, error.Message);
        if (!NamesVersion(value)) return ApiEndpoints.Problem(400, $"{name} must be a version id of {citation} or a day written YYYY-MM-DD (e.g. 2010-01-01), not '{value}'");
        return string.Equals(ProvisionVersions.BaseKey(value), baseKey, StringComparison.Ordinal)
            ? ApiEndpoints.Problem(404, $"{citation} has no version '{value}'")
            : ApiEndpoints.Problem(400, $"{name} '{value}' is not a version of {citation} ('{baseKey}'): from and to must be versions of the same provision");
    }
}
