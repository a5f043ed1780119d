using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// A real gRPC endpoint over HTTP/2 cleartext on loopback that answers Qdrant's health check and collection
/// listing the way a fresh Qdrant does, so a client can go through a TCP proxy to something that answers. It serves nothing
/// more (there is no Qdrant server here): collection and point calls get UNIMPLEMENTED.
/// </summary>
internal sealed class FakeQdrantGrpcServer : IAsyncDisposable
{
    public const string Version = "1.99.0-fake";
    private readonly WebApplication _app;
    private int _calls;

    private FakeQdrantGrpcServer(WebApplication app) => _app = app;

    public int Port { get; private set; }
    /// <summary>Calls answered (health checks and collection listings).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public static async Task<FakeQdrantGrpcServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var server = new FakeQdrantGrpcServer(app);
        app.MapPost("/qdrant.Qdrant/HealthCheck", async context =>
        {
            Interlocked.Increment(ref server._calls);
            await WriteMessageAsync(context, new HealthCheckReply { Title = "qdrant - vector search engine", Version = Version });
        });
        // No collections: a fresh Qdrant, enough for start-up validation.
        app.MapPost("/qdrant.Collections/List", async context =>
        {
            Interlocked.Increment(ref server._calls);
            await WriteMessageAsync(context, new ListCollectionsResponse());
        });
        app.MapFallback(context =>
        {
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "12"; // UNIMPLEMENTED
            context.Response.Headers["grpc-message"] = "the fake serves only the health check";
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    private static async Task WriteMessageAsync(HttpContext context, IMessage message)
    {
        context.Response.ContentType = "application/grpc";
        // One length-prefixed message (uncompressed), then the status in the trailers.
        var body = message.ToByteArray();
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
