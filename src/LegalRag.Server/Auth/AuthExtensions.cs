using System.Security.Claims;
using LegalRag.Server.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace LegalRag.Server.Auth;

public static class AuthExtensions
{
    /// <summary>API-key authentication, one policy per role, and every endpoint requiring a reader unless marked anonymous.</summary>
    public static IServiceCollection AddLegalRagAuth(this IServiceCollection services, ServerSettings settings)
    {
        var keys = settings.Auth.Keys.Concat(ApiKeyRegistry.ParseEnvironment(Environment.GetEnvironmentVariable(ApiKeyRegistry.EnvironmentVariable))).ToList();
        services.AddSingleton(new ApiKeyRegistry(keys));
        services.AddSingleton(new CorpusAccess(settings.Auth.CorpusRoles));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Policies.Reader, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Reader)))
            .AddPolicy(Roles.Policies.Evaluator, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Evaluator)))
            .AddPolicy(Roles.Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Admin)))
            // Anything not marked otherwise needs at least a reader: a forgotten attribute fails closed.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Reader)).Build());
        return services;
    }

    public static string CallerName(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
    public static string CallerRole(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";
}

/// <summary>Which corpora a role may read: all, except those reserved for a higher role in LegalRag:Auth:CorpusRoles.</summary>
public sealed class CorpusAccess(IReadOnlyDictionary<string, string> corpusRoles)
{
    public bool CanRead(ClaimsPrincipal user, string corpus) =>
        !corpusRoles.TryGetValue(corpus, out var minimum) || Roles.Rank(user.CallerRole()) >= Roles.Rank(minimum);

    /// <summary>Corpora hidden from this caller (for filtering searches over all corpora).</summary>
    public IReadOnlySet<string> Excluded(ClaimsPrincipal user) =>
        corpusRoles.Where(kv => Roles.Rank(user.CallerRole()) < Roles.Rank(kv.Value)).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

    public void Validate()
    {
        foreach (var (corpus, role) in corpusRoles)
            if (!Roles.IsKnown(role.ToLowerInvariant())) throw new InvalidOperationException($"LegalRag:Auth:CorpusRoles:{corpus}: unknown role '{role}'");
    }
}
