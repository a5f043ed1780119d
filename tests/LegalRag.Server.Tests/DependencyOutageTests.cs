using System.Text.Json;
using Grpc.Core;
using LegalRag.Answering.Tests.Support;
using LegalRag.Storage.Qdrant;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// A dependency that failed after its own retries reaches a REST caller as a short problem response
/// (503 with Retry-After when waiting may help), with the full reason only in the server log.
/// </summary>
public sealed class DependencyOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string InternalUrl = "http://qdrant.internal:6334";

    private static QdrantException Unavailable() => new(
        $"Qdrant unavailable: query points on collection 'legalrag_bgb' failed (4 retries): Error connecting. Check that Qdrant's gRPC port answers at {InternalUrl}.",
        "query points", "legalrag_bgb", StatusCode.Unavailable);

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Path = "/api/search";
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<JsonElement> BodyAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return (await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: Ct)).RootElement.Clone();
    }

    [Fact]
    public async Task Qdrant_unreachable_after_retries_is_a_503_with_retry_after_and_a_clear_message_and_an_error_log_line()
    {
        var context = Context();
        var logger = new RecordingLogger<DependencyOutageTests>();
        await DependencyOutage.HandleAsync(context, _ => throw Unavailable(), logger);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        var body = await BodyAsync(context);
        Assert.Equal("The search index (Qdrant) is not reachable right now; please try again in a moment.", body.GetProperty("detail").GetString());
        // The caller learns nothing about the internal network; the operator's log has all of it.
        Assert.DoesNotContain(InternalUrl, body.GetRawText());
        var line = Assert.Single(logger.Entries);
        Assert.Equal(3003, line.EventId);
        Assert.Contains("/api/search: a dependency failed after its retries: Qdrant unavailable: query points", line.Message);
        Assert.Contains(InternalUrl, line.Message);
    }

    [Fact]
    public async Task A_rejected_qdrant_call_is_a_502_and_a_busy_store_a_503()
    {
        var rejected = Context();
        await DependencyOutage.HandleAsync(rejected, _ => throw new QdrantException("Qdrant rejected query points (InvalidArgument): bad filter", "query points", null, StatusCode.InvalidArgument),
            new RecordingLogger<DependencyOutageTests>());
        Assert.Equal(502, rejected.Response.StatusCode);

        var busy = Context();
        await DependencyOutage.HandleAsync(busy, _ => throw new Microsoft.Data.Sqlite.SqliteException("database is locked", 5), new RecordingLogger<DependencyOutageTests>());
        Assert.Equal(503, busy.Response.StatusCode);
        Assert.Contains("busy", (await BodyAsync(busy)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Other_failures_pass_through_unchanged()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => DependencyOutage.HandleAsync(Context(), _ => throw new InvalidOperationException("a bug"), new RecordingLogger<DependencyOutageTests>()));
        Assert.Null(DependencyOutage.Of(new Microsoft.Data.Sqlite.SqliteException("no such table", 1)));
    }
}
