using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LegalRag.Server.Auth;

/// <summary>
/// Authenticates "Authorization: Bearer KEY" or "X-Api-Key: KEY". Browsers cannot set headers on a
/// WebSocket, so the hub also takes ?access_token=KEY (what the SignalR client sends) — on hub paths only,
/// where URLs are not logged by the UI.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HubPathPrefix = "/hubs/";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        var caller = registry.Find(presented);
        if (caller is null) return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, caller.Name), new Claim(ClaimTypes.Role, caller.Role)], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"legalrag\"";
        return Task.CompletedTask;
    }

    private string? PresentedKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var header = Request.Headers["X-Api-Key"].ToString();
        if (header.Length > 0) return header.Trim();
        if (Request.Path.StartsWithSegments(HubPathPrefix.TrimEnd('/'), StringComparison.Ordinal) && Request.Query.TryGetValue("access_token", out var token))
            return token.ToString();
        return null;
    }
}
