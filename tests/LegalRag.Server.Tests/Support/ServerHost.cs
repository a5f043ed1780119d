using LegalRag.Answering.Tests.Support;
using LegalRag.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LegalRag.Server.Tests.Support;

/// <summary>The real server on Kestrel at 127.0.0.1 (a free port) over an ingested fixture corpus, with one key per role.</summary>
public sealed class ServerHost : IAsyncDisposable
{
    public const string ReaderKey = "reader-key-0123456789abcdef";
    public const string EvaluatorKey = "evaluator-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";

    private ServerHost(FixtureCorpus corpus, WebApplication app, Uri address, string auditPath, StringWriter announced)
    {
        Corpus = corpus;
        App = app;
        Address = address;
        AuditPath = auditPath;
        Announced = announced;
    }

    public FixtureCorpus Corpus { get; }
    public WebApplication App { get; }
    public Uri Address { get; }
    public string AuditPath { get; }
    public StringWriter Announced { get; }

    /// <param name="prepare">Runs on the ingested corpus before the server starts (e.g. embeds it with a test model).</param>
    public static async Task<ServerHost> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? extra = null, bool withKeys = true,
        Func<FixtureCorpus, Task>? prepare = null, Action<WebApplication>? beforeStart = null, Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        var corpus = await FixtureCorpus.CreateAsync(cancellationToken);
        if (prepare is not null) await prepare(corpus);
        var audit = Path.Combine(corpus.Directory.Path, "audit", "audit.jsonl");
        var settings = new Dictionary<string, string?>
        {
            ["LegalRag:DataDirectory"] = corpus.DataDirectory,
            ["LegalRag:AuditLogPath"] = audit,
            ["LegalRag:Auth:CorpusRoles:intern"] = "evaluator",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (withKeys)
        {
            settings["LegalRag:Auth:Keys:0:Key"] = ReaderKey;
            settings["LegalRag:Auth:Keys:0:Role"] = "reader";
            settings["LegalRag:Auth:Keys:0:Name"] = "alice";
            settings["LegalRag:Auth:Keys:1:Key"] = EvaluatorKey;
            settings["LegalRag:Auth:Keys:1:Role"] = "evaluator";
            settings["LegalRag:Auth:Keys:1:Name"] = "eve";
            settings["LegalRag:Auth:Keys:2:Key"] = AdminKey;
            settings["LegalRag:Auth:Keys:2:Role"] = "admin";
            settings["LegalRag:Auth:Keys:2:Name"] = "root";
        }
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        var announced = new StringWriter();
        var app = await LegalRagServer.CreateAsync(new ServerStartOptions { Urls = "http://127.0.0.1:0", Settings = settings, Announce = TextWriter.Synchronized(announced), Logs = logs }, cancellationToken);
        beforeStart?.Invoke(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServerHost(corpus, app, new Uri(address), audit, announced);
    }

    public HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>The audit log's lines once the background writer has caught up.</summary>
    public async Task<List<System.Text.Json.JsonElement>> AuditLinesAsync(int atLeast, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = File.Exists(AuditPath)
                ? (await ReadSharedAsync(AuditPath, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone()).ToList()
                : [];
            if (lines.Count >= atLeast || DateTime.UtcNow > deadline) return lines;
            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<string> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Corpus.Dispose();
    }
}
