using Microsoft.AspNetCore.Authorization;

namespace LegalRag.Server.Auth;

/// <summary>What a marked endpoint serves without a key, and why (in <see cref="PublicEndpoints.Routes"/>).</summary>
public sealed record PublicEndpointReason(string Reason);

/// <summary>
/// The one list of what answers without an API key, each entry with the reason it may. Every other endpoint
/// falls under the fallback policy (at least a reader); the auth-table test fails on any anonymous endpoint not listed here.
/// </summary>
public static class PublicEndpoints
{
    /// <summary>Route patterns open to anyone.</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/health"] = "liveness probe for load balancers and orchestrators: answers {status: ok} and nothing about the data",
        ["/ready"] = "readiness probe: whether the store answers, with corpus and provision counts only (no names, no text)",
    };

    /// <summary>
    /// The web UI's static files (index.html, app.js, app.css, lib/signalr.min.js) are served by middleware ahead of
    /// authentication, not by endpoints: they are the same for everybody and hold no data; the key stays in the URL fragment.
    /// </summary>
    public const string StaticUiReason = "the web UI's own files: identical for every caller, no data";

    /// <summary>
    /// Opens this endpoint to anonymous callers. Its route must be in <see cref="Routes"/>: opening an endpoint means
    /// adding it there with a reason, so the list cannot drift from what is open.
    /// </summary>
    public static TBuilder AllowAnonymousListed<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? endpoint.DisplayName ?? "?";
            if (!Routes.TryGetValue(pattern, out var reason))
                throw new InvalidOperationException($"endpoint '{pattern}' is marked anonymous but is not in PublicEndpoints.Routes (Auth/PublicEndpoints.cs); add it there with the reason it may be public");
            endpoint.Metadata.Add(new AllowAnonymousAttribute());
            endpoint.Metadata.Add(new PublicEndpointReason(reason));
        });
        return builder;
    }
}
