using System.Net;
using System.Text;
using LegalRag.Server.Auth;
using LegalRag.Server.Mcp;
using LegalRag.Server.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// The auth table: every endpoint the app itself maps (REST, hub, MCP, OpenAPI, whatever is added later), read from its
/// endpoint data sources, is called without a key, with a wrong key and with each role. Only the routes in
/// <see cref="PublicEndpoints.Routes"/> answer anonymously; every other one refuses, and below its role forbids.
/// Corpus restrictions per transport are in RestApiTests, HubTests and McpTests.
/// </summary>
public sealed class AuthTableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Role, string Key)[] RoleKeys =
        [(Roles.Reader, ServerHost.ReaderKey), (Roles.Evaluator, ServerHost.EvaluatorKey), (Roles.Admin, ServerHost.AdminKey)];

    /// <summary>Rate limits out of the way: this test sends many requests per key.</summary>
    private static readonly Dictionary<string, string?> Unlimited = new()
    {
        ["LegalRag:Limits:RequestsPerSecond"] = "100000",
        ["LegalRag:Limits:Burst"] = "100000",
    };

    [Fact]
    public async Task Every_mapped_endpoint_refuses_without_a_key_and_enforces_its_role()
    {
        await using var host = await ServerHost.StartAsync(Ct, Unlimited);
        var endpoints = Endpoints(host.App);
        var patterns = endpoints.Select(e => e.RoutePattern.RawText).ToHashSet();
        // The enumeration sees every area, so a table that silently missed one cannot pass.
        foreach (var expected in new[] { "/api/search", "/api/ask", "/api/audit", "/api/feedback", "/api/history/", "/api/history/{id}", "/api/admin/history/{user}", "/hubs/chat", "/hubs/chat/negotiate", McpExtensions.Path + "/", "/health" })
            Assert.True(patterns.Contains(expected), $"{expected} not among {string.Join(", ", patterns)}");

        var problems = await CheckAsync(host, endpoints);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task An_endpoint_opened_without_being_listed_fails_the_table()
    {
        await using var host = await ServerHost.StartAsync(Ct, Unlimited, beforeStart: app =>
        {
            // Two ways to add an endpoint later: opened by hand (must fail) and forgotten (the fallback policy closes it).
            app.MapGet("/api/opened-by-hand", () => "secret").AllowAnonymous();
            app.MapGet("/api/forgotten", () => "secret");
        });
        var problems = await CheckAsync(host, Endpoints(host.App));
        Assert.Contains(problems, p => p.Contains("/api/opened-by-hand", StringComparison.Ordinal) && p.Contains("not in PublicEndpoints.Routes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("GET /api/opened-by-hand without a key answered 200", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("/api/forgotten", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Marking_an_unlisted_route_public_stops_the_start()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var host = await ServerHost.StartAsync(Ct, Unlimited, beforeStart: app => app.MapGet("/api/debug", () => "x").AllowAnonymousListed());
            _ = Endpoints(host.App);
        });
        Assert.Contains("'/api/debug' is marked anonymous but is not in PublicEndpoints.Routes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every route endpoint of every data source the app holds (the composite the router uses, and the app's own).</summary>
    private static List<RouteEndpoint> Endpoints(WebApplication app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Concat(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints))
            .OfType<RouteEndpoint>().DistinctBy(e => (e.RoutePattern.RawText, e.DisplayName)).ToList();

    /// <summary>What is wrong with the endpoints' protection, one line per finding.</summary>
    private static async Task<List<string>> CheckAsync(ServerHost host, IReadOnlyList<RouteEndpoint> endpoints)
    {
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? endpoint.DisplayName ?? "?";
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            if (anonymous && (endpoint.Metadata.GetMetadata<PublicEndpointReason>() is null || !PublicEndpoints.Routes.ContainsKey(pattern)))
                problems.Add($"{pattern}: anonymous, but not in PublicEndpoints.Routes with a reason");
            var minimum = MinimumRole(endpoint);
            foreach (var method in methods)
            {
                var path = SamplePath(endpoint);
                var withoutKey = await SendAsync(host, method, path, null);
                if (anonymous)
                {
                    if (withoutKey is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && PublicEndpoints.Routes.ContainsKey(pattern))
                        problems.Add($"{method} {path} is listed public but answered {(int)withoutKey} without a key");
                    else if (!PublicEndpoints.Routes.ContainsKey(pattern))
                        problems.Add($"{method} {path} without a key answered {(int)withoutKey}");
                    continue;
                }
                if (withoutKey != HttpStatusCode.Unauthorized) problems.Add($"{method} {path} without a key answered {(int)withoutKey}, not 401");
                var wrongKey = await SendAsync(host, method, path, "wrong-key-0123456789abcdef");
                if (wrongKey != HttpStatusCode.Unauthorized) problems.Add($"{method} {path} with a wrong key answered {(int)wrongKey}, not 401");
                foreach (var (role, key) in RoleKeys)
                {
                    var status = await SendAsync(host, method, path, key);
                    var allowed = Roles.Rank(role) >= Roles.Rank(minimum);
                    if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                        problems.Add($"{method} {path} needs {minimum} but refused {role} with {(int)status}");
                    if (!allowed && status != HttpStatusCode.Forbidden)
                        problems.Add($"{method} {path} needs {minimum} but answered {role} with {(int)status}, not 403");
                }
            }
        }
        return problems;
    }

    /// <summary>The lowest role the endpoint's policies admit; the fallback policy (reader) where it names none.</summary>
    private static string MinimumRole(RouteEndpoint endpoint)
    {
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
        if (policies.Contains(Roles.Policies.Admin)) return Roles.Admin;
        if (policies.Contains(Roles.Policies.Evaluator)) return Roles.Evaluator;
        return Roles.Reader;
    }

    /// <summary>The route with each parameter filled with something plausible (a real provision id for catch-alls).</summary>
    private static string SamplePath(RouteEndpoint endpoint)
    {
        var text = new StringBuilder();
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            text.Append('/');
            foreach (var part in segment.Parts)
                text.Append(part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { IsCatchAll: true } => "fixture/mietg/s573",
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart { Name: "documentName" } => "v1",
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => "x",
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    _ => "",
                });
        }
        return text.Length == 0 ? "/" : text.ToString();
    }

    private static async Task<HttpStatusCode> SendAsync(ServerHost host, string method, string path, string? key)
    {
        using var http = host.Client(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        return response.StatusCode;
    }
}
