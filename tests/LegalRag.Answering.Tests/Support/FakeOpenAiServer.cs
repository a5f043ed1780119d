using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LegalRag.Answering.Tests.Support;

/// <summary>What the fake model does with one request.</summary>
public sealed record FakeReply
{
    /// <summary>The assistant's text, streamed in small chunks.</summary>
    public string Text { get; init; } = "";
    /// <summary>Answer with this HTTP status and no completion (a broken endpoint).</summary>
    public int? Status { get; init; }
    /// <summary>Wait this long before the first chunk (a hung endpoint).</summary>
    public TimeSpan Delay { get; init; }
    /// <summary>Wait this long between chunks.</summary>
    public TimeSpan ChunkDelay { get; init; }
    /// <summary>Answer 200 with this body verbatim instead of a completion (garbage: invalid JSON, an HTML page).</summary>
    public string? RawBody { get; init; }
    /// <summary>The content type sent with <see cref="RawBody"/>.</summary>
    public string RawContentType { get; init; } = "application/json";
    /// <summary>After this many chunks, stop sending without closing (a stream that stalls mid-answer).</summary>
    public int? StallAfterChunks { get; init; }
}

/// <summary>One request as the fake received it.</summary>
public sealed record FakeRequest(string Path, JsonObject Body, string? Authorization)
{
    public bool Stream => Body["stream"]?.GetValue<bool>() ?? false;
    public IReadOnlyList<(string Role, string Content)> Messages =>
        Body["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), ContentOf(m!["content"]))).ToList();

    private static string ContentOf(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };
}

/// <summary>
/// A local stand-in for an OpenAI-compatible server (vLLM, llama.cpp, Ollama) on 127.0.0.1, speaking
/// the real wire protocol: POST /v1/chat/completions, JSON for non-streamed completions, and for
/// streamed ones server-sent events "data: {chunk}\n\n" ending with "data: [DONE]\n\n".
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<FakeRequest, FakeReply> _behaviour;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FakeRequest> _requests = [];

    /// <param name="port">Listen here (an endpoint that was down coming back); a free port when null.</param>
    public FakeOpenAiServer(Func<FakeRequest, FakeReply> behaviour, int? port = null)
    {
        _behaviour = behaviour;
        Port = port ?? FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Endpoint => EndpointAt(Port);

    public IReadOnlyList<FakeRequest> Requests { get { lock (_requests) return _requests.ToList(); } }

    /// <summary>A port nothing listens on: an endpoint that is down.</summary>
    public static string DeadEndpoint() => EndpointAt(FreePort());

    public static string EndpointAt(int port) => $"http://127.0.0.1:{port}/v1";

    /// <summary>A port free at the time of asking (a later listener may take it: a test that needs it soon is fine).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (context.Request.HttpMethod != "POST" || context.Request.Url!.AbsolutePath != "/v1/chat/completions")
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            var request = new FakeRequest(context.Request.Url.AbsolutePath, body, context.Request.Headers["Authorization"]);
            lock (_requests) _requests.Add(request);
            var reply = _behaviour(request);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
            if (reply.Status is { } status)
            {
                response.StatusCode = status;
                await WriteAsync(response, """{"error":{"message":"model crashed","type":"server_error"}}""");
                response.Close();
                return;
            }
            if (reply.RawBody is { } raw)
            {
                response.ContentType = reply.RawContentType;
                // A definite length, as a proxy's error page has: the client sees the whole body end.
                response.ContentLength64 = Encoding.UTF8.GetByteCount(raw);
                await WriteAsync(response, raw);
                response.Close();
                return;
            }
            var model = body["model"]?.GetValue<string>() ?? "fake";
            if (!request.Stream)
            {
                response.ContentType = "application/json";
                await WriteAsync(response, JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-fake", @object = "chat.completion", created = 1_700_000_000, model,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Text }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
                }));
                response.Close();
                return;
            }
            response.ContentType = "text/event-stream";
            response.SendChunked = true;
            var first = true;
            var chunks = 0;
            foreach (var piece in Chunks(reply.Text, 7))
            {
                // Hold the connection open and silent until the client gives up or the server stops.
                if (chunks++ == reply.StallAfterChunks) await Task.Delay(Timeout.Infinite, _stop.Token);
                var delta = first ? (object)new { role = "assistant", content = piece } : new { content = piece };
                first = false;
                await WriteAsync(response, "data: " + JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model,
                    choices = new[] { new { index = 0, delta, finish_reason = (string?)null } },
                }) + "\n\n");
                if (reply.ChunkDelay > TimeSpan.Zero) await Task.Delay(reply.ChunkDelay, _stop.Token);
            }
            await WriteAsync(response, "data: " + JsonSerializer.Serialize(new
            {
                id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model,
                choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } },
            }) + "\n\n");
            await WriteAsync(response, "data: [DONE]\n\n");
            response.Close();
        }
        catch (Exception)
        {
            // The client went away (cancelled or timed out): nothing to answer.
            try { response.Abort(); } catch (Exception) { /* already gone */ }
        }
    }

    private static IEnumerable<string> Chunks(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size) yield return text.Substring(i, Math.Min(size, text.Length - i));
    }

    private static async Task WriteAsync(HttpListenerResponse response, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await response.OutputStream.WriteAsync(bytes);
        await response.OutputStream.FlushAsync();
    }

    /// <summary>The source number the prompt gave a citation ("MietG § 573"), read from the user message as a model would.</summary>
    public static int SourceNumber(FakeRequest request, string citation)
    {
        var user = request.Messages.Last(m => m.Role == "user").Content;
        var marker = $"citation=\"{citation}\"";
        var at = user.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return 99;
        var idStart = user.LastIndexOf("id=\"", at, StringComparison.Ordinal) + 4;
        return int.Parse(user[idStart..user.IndexOf('"', idStart)], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception) { /* stopping */ }
        _stop.Dispose();
    }
}
