using LegalRag.Server.Auth;
using LegalRag.Server.Security;

namespace LegalRag.Server.Mcp;

/// <summary>The MCP server endpoint (Streamable HTTP) with the tools of <see cref="LegalRagMcpTools"/>.</summary>
public static class McpExtensions
{
    public const string Path = "/mcp";

    public static IServiceCollection AddLegalRagMcp(this IServiceCollection services)
    {
        services.AddMcpServer(o => o.ServerInfo = new() { Name = "legalrag", Version = typeof(McpExtensions).Assembly.GetName().Version?.ToString() ?? "0" })
            // Stateless: every request carries its API key and is authorized on its own; no session lives on the server
            // (nothing to leak between keys, nothing to pin to one instance).
            .WithHttpTransport(o => o.Stateless = true)
            .AddAuthorizationFilters()
            .WithTools<LegalRagMcpTools>();
        return services;
    }

    /// <summary>Maps /mcp behind the same API keys as the REST API: a reader key at least; corpus roles apply within the tools.</summary>
    public static IEndpointRouteBuilder MapLegalRagMcp(this IEndpointRouteBuilder app)
    {
        // Its tools search and answer: they take places of the server-wide capacity like the REST API's.
        app.MapMcp(Path).RequireAuthorization(Roles.Policies.Reader).WithServerCapacity();
        return app;
    }
}
