using System.Net;
using System.Text.Json.Serialization;
using LegalRag.Answering.Llm;
using LegalRag.Hosting;
using LegalRag.Hosting.Configuration;
using LegalRag.Server.Api;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using LegalRag.Server.Configuration;
using LegalRag.Server.Feedback;
using LegalRag.Server.History;
using LegalRag.Server.Hubs;
using LegalRag.Server.Mcp;
using LegalRag.Server.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace LegalRag.Server;

/// <summary>How the host (Program.cs, `legalrag serve`, tests) starts the server.</summary>
public sealed record ServerStartOptions
{
    public string[] Args { get; init; } = [];
    /// <summary>Addresses to listen on, e.g. "http://127.0.0.1:5000" (port 0 picks a free one).</summary>
    public string? Urls { get; init; }
    /// <summary>Overrides LegalRag:DataDirectory (the CLI's --data).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Overrides LegalRag:Embedding:ModelDirectory (the CLI's --model).</summary>
    public string? ModelDirectory { get; init; }
    /// <summary>Added last, above every other configuration source (tests).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }
    /// <summary>Where the startup lines (URL, development key) go; the console by default.</summary>
    public TextWriter? Announce { get; init; }
    /// <summary>An extra log sink (tests read everything the server logged).</summary>
    public ILoggerProvider? Logs { get; init; }
}

/// <summary>
/// Composes the chat service on AddLegalRag (the composition root the CLI uses too, so /api/search ranks as
/// `legalrag search` does), plus one Add…/Map… per server area; settings validated and the store opened before anything listens.
/// </summary>
public static class LegalRagServer
{
    public static async Task<WebApplication> CreateAsync(ServerStartOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = options.Args, ContentRootPath = Directory.GetCurrentDirectory() });
        var host = new LegalRagHostOptions { DataDirectory = options.DataDirectory, ModelDirectory = options.ModelDirectory };
        var (legalRag, settings) = builder.AddLegalRagSettings(options, host);
        if (options.Urls is not null) builder.WebHost.UseUrls(options.Urls);
        if (options.Logs is not null) builder.Logging.AddProvider(options.Logs);
        // The hosting layer logs each request's full URL, query string included, at Information; a browser's hub
        // connection carries its API key there (?access_token=, WebSockets take no headers). Kept off whatever the configuration says.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = settings.Limits.MaxRequestBodyBytes);

        builder.Services.AddLegalRag(builder.Configuration, host);
        var dataDirectory = Path.GetFullPath(legalRag.DataDirectory);
        builder.Services.AddLegalRagAuth(settings);
        builder.Services.AddLegalRagAudit(settings.ResolvedAuditLogPath(dataDirectory));
        builder.Services.AddLegalRagFeedback(ServerSettings.FeedbackLogPath(dataDirectory));
        await builder.Services.AddLegalRagHistoryAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        builder.Services.AddLegalRagApi();
        builder.Services.AddLegalRagRateLimiting(settings.Limits);
        builder.Services.AddLegalRagCapacity(settings.Limits);
        builder.Services.AddLegalRagChat(settings.Limits);
        builder.Services.AddLegalRagMcp();

        var app = builder.Build();
        try
        {
            // The store opens (and the models load) before anything listens: a bad store or model stops the start here.
            await app.Services.InitializeLegalRagAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        app.UseSecurityHeaders();
        app.UseLegalRagUi();
        app.UseAuthentication();
        // Outside the limiter and authorization, so their refusals (429, 401, 403) are recorded too.
        app.UseDenialAudit();
        app.UseRateLimiter();
        app.UseAuthorization();
        // After authorization, so refused callers never take a place; before the outage handler, whose 503s are the dependencies'.
        app.UseServerCapacity();
        var outageLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LegalRag.Server.DependencyOutage");
        app.Use((context, next) => DependencyOutage.HandleAsync(context, next, outageLogger));
        app.MapLegalRagApi();
        app.MapLegalRagHistory();
        app.MapHub<ChatHub>(ChatHub.Path);
        app.MapLegalRagMcp();
        app.MapOpenApi();
        app.AnnounceOnStart(options.Announce ?? Console.Out, builder.Configuration["urls"] ?? options.Urls);
        return app;
    }

    /// <summary>
    /// Settings: appsettings.json beside the binary, then the working directory's, then LEGALRAG__* and LegalRag__*
    /// environment variables, then the host's overrides. The shared tree is validated first, then the server's own part.
    /// </summary>
    public static (LegalRagSettings LegalRag, ServerSettings Server) AddLegalRagSettings(this WebApplicationBuilder builder, ServerStartOptions options, LegalRagHostOptions host)
    {
        var besideBinary = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(besideBinary) && Path.GetFullPath(besideBinary) != Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json")))
            builder.Configuration.Sources.Insert(0, new JsonConfigurationSource { Path = "appsettings.json", Optional = true, FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory) });
        builder.Configuration.AddEnvironmentVariables("LEGALRAG__");
        if (options.Settings is not null) builder.Configuration.AddInMemoryCollection(options.Settings);
        SecretsGuard.EnsureNotInFiles(builder.Configuration);

        var legalRag = LegalRagConfiguration.Load(builder.Configuration, host);
        if (legalRag.Llm.Endpoint is not null) _ = new LlmOptions { Endpoint = legalRag.Llm.Endpoint }.BaseAddress();
        var settings = new ServerSettings();
        builder.Configuration.GetSection(ServerSettings.Section).Bind(settings);
        // LEGALRAG__X arrives without the prefix, at the root.
        builder.Configuration.Bind(settings);
        SettingsValidation.Validate(settings);
        new CorpusAccess(settings.Auth.CorpusRoles).Validate();
        builder.Services.AddSingleton(Options.Create(settings));
        return (legalRag, settings);
    }

    public static IServiceCollection AddLegalRagAudit(this IServiceCollection services, string path)
    {
        services.AddSingleton(sp => new AuditLog(path, sp.GetRequiredService<ILogger<AuditLog>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        return services;
    }

    public static IServiceCollection AddLegalRagFeedback(this IServiceCollection services, string path)
    {
        services.AddSingleton(sp => new FeedbackLog(path, sp.GetRequiredService<ILogger<FeedbackLog>>()));
        services.AddHostedService(sp => sp.GetRequiredService<FeedbackLog>());
        return services;
    }

    public static IServiceCollection AddLegalRagApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        services.AddProblemDetails();
        services.AddOpenApi();
        return services;
    }

    public static IServiceCollection AddLegalRagChat(this IServiceCollection services, LimitSettings limits)
    {
        services.AddSingleton<HubRateLimitFilter>();
        services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = limits.MaxHubMessageBytes;
                o.AddFilter<HubRateLimitFilter>();
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);
        return services;
    }

    /// <summary>The web UI: static files embedded in the assembly, served without a key (PublicEndpoints.StaticUiReason), under the CSP of SecurityHeaders.</summary>
    public static WebApplication UseLegalRagUi(this WebApplication app)
    {
        var files = new EmbeddedUiFiles();
        // The UI's entry page; embedded files have no directory listing for UseDefaultFiles to find it in.
        app.Use((context, next) =>
        {
            if (context.Request.Path == "/") context.Request.Path = "/index.html";
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }

    /// <summary>
    /// Without any configured key the server generates a development key for this run and serves
    /// loopback only; it prints the address (with the key in the URL fragment, which never reaches a server log).
    /// </summary>
    private static void AnnounceOnStart(this WebApplication app, TextWriter announce, string? configuredUrls)
    {
        var registry = app.Services.GetRequiredService<ApiKeyRegistry>();
        string? devKey = null;
        if (registry.Count == 0)
        {
            if (configuredUrls is not null && configuredUrls.Split(';').Any(u => !IsLoopbackUrl(u)))
                throw new InvalidOperationException($"no API key is configured, so the server only listens on loopback; '{configuredUrls}' is not. Set LEGALRAG_API_KEYS or LEGALRAG__Auth__Keys__0__Key/Role.");
            devKey = registry.AddDevelopmentKey();
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (devKey is not null && addresses.Any(a => !IsLoopbackUrl(a)))
            {
                announce.WriteLine($"error: no API key is configured and the server is bound to {string.Join(", ", addresses)}; stopping. Configure a key or listen on 127.0.0.1.");
                app.Lifetime.StopApplication();
                return;
            }
            foreach (var address in addresses) announce.WriteLine($"LegalRag chat service listening on {address}");
            if (devKey is not null)
            {
                announce.WriteLine($"No API key configured: generated a development key for this run only (role admin, loopback only): {devKey}");
                foreach (var address in addresses) announce.WriteLine($"Open {address}/#key={devKey}");
            }
            announce.Flush();
        });
    }

    private static bool IsLoopbackUrl(string url)
    {
        if (!Uri.TryCreate(url.Trim().Replace("*", "0.0.0.0").Replace("+", "0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
