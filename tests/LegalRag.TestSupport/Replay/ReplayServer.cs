using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LegalRag.TestSupport.Replay;

/// <summary>
/// A publisher's server on loopback, so connector tests never touch the internet: it serves bytes under the official
/// URL paths with ETag and Last-Modified, answers conditional requests with 304, honours byte ranges (resume), and
/// injects the faults a real server shows: an error status for the next n requests, a body cut off mid-transfer,
/// a delay. Every request is recorded.
/// </summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Fault> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReplayRequest> _requests = new();

    private ReplayServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>"http://127.0.0.1:PORT/", a free port chosen by the system.</summary>
    public Uri BaseUrl { get; }

    public IReadOnlyList<ReplayRequest> Requests => _requests.ToArray();

    public static async Task<ReplayServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ReplayServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ReplayServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/> (replacing what was there: a new ETag).</summary>
    public ReplayServer Serve(string path, byte[] body, string contentType = "application/octet-stream", DateTimeOffset? lastModified = null)
    {
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..20] + "\"";
        // HTTP dates have whole seconds.
        var modified = lastModified ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _resources[Normalize(path)] = new Resource(body, contentType, etag, modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond)));
        return this;
    }

    public ReplayServer Serve(string path, string body, string contentType = "text/xml; charset=utf-8", DateTimeOffset? lastModified = null) =>
        Serve(path, System.Text.Encoding.UTF8.GetBytes(body), contentType, lastModified);

    /// <summary>Removes a path: it answers 404 from now on (an act withdrawn by its publisher).</summary>
    public ReplayServer Remove(string path)
    {
        _resources.TryRemove(Normalize(path), out _);
        return this;
    }

    /// <summary>The next <paramref name="times"/> requests for <paramref name="path"/> answer <paramref name="status"/>,
    /// with a Retry-After of <paramref name="retryAfter"/> (whole seconds) when given, as a throttling server does.</summary>
    public ReplayServer Fail(string path, int status = 500, int times = int.MaxValue, TimeSpan? retryAfter = null)
    {
        _faults[Normalize(path)] = new Fault(FaultKind.Status, status, times, retryAfter);
        return this;
    }

    /// <summary>The next <paramref name="times"/> full responses for <paramref name="path"/> announce the whole length but
    /// send only the first <paramref name="bytes"/> bytes, then drop the connection.</summary>
    public ReplayServer Truncate(string path, int bytes, int times = 1)
    {
        _faults[Normalize(path)] = new Fault(FaultKind.Truncate, bytes, times);
        return this;
    }

    /// <summary>The next <paramref name="times"/> requests for <paramref name="path"/> wait <paramref name="delay"/> before answering.</summary>
    public ReplayServer Delay(string path, TimeSpan delay, int times = int.MaxValue)
    {
        _faults[Normalize(path)] = new Fault(FaultKind.Delay, (int)delay.TotalMilliseconds, times);
        return this;
    }

    public string ETagOf(string path) => _resources[Normalize(path)].ETag;

    private async Task HandleAsync(HttpContext context)
    {
        // Stamped on arrival, before any injected delay, so tests can check the spacing of a client's requests.
        var receivedAt = DateTimeOffset.UtcNow;
        var path = Normalize(context.Request.Path.Value ?? "/");
        var headers = context.Request.Headers;
        // Recorded as the response starts, before any body byte is sent: recording after the answer raced a client
        // that had already read the whole body, so a test could look at the log before its last request was in it.
        context.Response.OnStarting(() =>
        {
            _requests.Enqueue(new ReplayRequest(context.Request.Method, path,
                NullIfEmpty(headers.IfNoneMatch.ToString()), NullIfEmpty(headers.IfModifiedSince.ToString()), NullIfEmpty(headers.Range.ToString()),
                NullIfEmpty(headers.Accept.ToString()), context.Response.StatusCode)
            {
                ReceivedAt = receivedAt,
                IfRange = NullIfEmpty(headers.IfRange.ToString()),
                UserAgent = NullIfEmpty(headers.UserAgent.ToString()),
            });
            return Task.CompletedTask;
        });
        await AnswerAsync(context, path).ConfigureAwait(false);
    }

    private async Task<int> AnswerAsync(HttpContext context, string path)
    {
        var response = context.Response;
        var fault = TakeFault(path);
        if (fault is { Kind: FaultKind.Delay }) await Task.Delay(fault.Value, context.RequestAborted).ConfigureAwait(false);
        if (fault is { Kind: FaultKind.Status })
        {
            response.StatusCode = fault.Value;
            if (fault.RetryAfter is { } retryAfter) response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return fault.Value;
        }
        if (!_resources.TryGetValue(path, out var resource))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return 404;
        }
        response.Headers.ETag = resource.ETag;
        response.Headers.LastModified = resource.LastModified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.AcceptRanges = "bytes";
        var request = context.Request.Headers;
        if (request.IfNoneMatch.Count > 0 ? request.IfNoneMatch.Any(v => v == resource.ETag || v == "*")
            : DateTimeOffset.TryParse(request.IfModifiedSince.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) && resource.LastModified <= since)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return 304;
        }
        var start = 0;
        if (request.Range.ToString() is { Length: > 0 } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && int.TryParse(range.AsSpan(6, range.Length - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            && (request.IfRange.Count == 0 || request.IfRange.ToString() == resource.ETag))
        {
            if (from >= resource.Body.Length)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{resource.Body.Length}";
                return 416;
            }
            start = from;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{resource.Body.Length - 1}/{resource.Body.Length}";
        }
        response.ContentType = resource.ContentType;
        response.ContentLength = resource.Body.Length - start;
        if (HttpMethods.IsHead(context.Request.Method)) return response.StatusCode;
        if (fault is { Kind: FaultKind.Truncate })
        {
            var sent = Math.Clamp(fault.Value - start, 0, resource.Body.Length - start);
            await response.Body.WriteAsync(resource.Body.AsMemory(start, sent), context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            // Ending the response short of its Content-Length makes Kestrel close the connection once what was written
            // has been sent: the client sees the headers and the first bytes, then the end. (Aborting instead raced the
            // send, so the client often saw a reset before any response at all.)
            return response.StatusCode;
        }
        await response.Body.WriteAsync(resource.Body.AsMemory(start), context.RequestAborted).ConfigureAwait(false);
        return response.StatusCode;
    }

    private Fault? TakeFault(string path)
    {
        while (_faults.TryGetValue(path, out var fault))
        {
            if (fault.Times <= 0) return null;
            if (_faults.TryUpdate(path, fault with { Times = fault.Times == int.MaxValue ? int.MaxValue : fault.Times - 1 }, fault)) return fault;
        }
        return null;
    }

    private static string Normalize(string path) => "/" + path.TrimStart('/');

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record Resource(byte[] Body, string ContentType, string ETag, DateTimeOffset LastModified);

    private enum FaultKind { Status, Truncate, Delay }

    private sealed record Fault(FaultKind Kind, int Value, int Times, TimeSpan? RetryAfter = null);
}

/// <summary>One request the replay server answered.</summary>
public sealed record ReplayRequest(string Method, string Path, string? IfNoneMatch, string? IfModifiedSince, string? Range, string? Accept, int Status)
{
    /// <summary>When the request arrived (before any injected delay).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    public string? IfRange { get; init; }

    public string? UserAgent { get; init; }
}
