using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LegalRag.Server.Tests.Support;

/// <summary>
/// A minimal SignalR client over a raw WebSocket, speaking the JSON hub protocol: the handshake
/// {"protocol":"json","version":1} then messages terminated by the record separator 0x1E —
/// StreamInvocation (4), StreamItem (2), Completion (3), CancelInvocation (5), Invocation (1), Ping (6), Close (7).
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private readonly Queue<JsonElement> _messages = new();
    private int _nextId;

    public static async Task<HubClient> ConnectAsync(Uri server, string? key, CancellationToken cancellationToken)
    {
        var client = new HubClient();
        var ws = new UriBuilder(server) { Scheme = "ws", Path = "/hubs/chat", Query = key is null ? "" : "access_token=" + Uri.EscapeDataString(key) }.Uri;
        await client._socket.ConnectAsync(ws, cancellationToken);
        await client.SendRawAsync("{\"protocol\":\"json\",\"version\":1}", cancellationToken);
        var handshake = await client.ReceiveAsync(cancellationToken);
        if (handshake.TryGetProperty("error", out var error)) throw new InvalidOperationException("handshake failed: " + error.GetString());
        return client;
    }

    /// <summary>Starts a streaming invocation of Ask and returns its invocation id.</summary>
    public async Task<string> StartAskAsync(object args, CancellationToken cancellationToken)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new { type = 4, invocationId = id, target = "Ask", arguments = new[] { args } }, cancellationToken);
        return id;
    }

    public Task CancelAsync(string invocationId, CancellationToken cancellationToken) =>
        SendAsync(new { type = 5, invocationId }, cancellationToken);

    public async Task InvokeAsync(string target, CancellationToken cancellationToken)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new { type = 1, invocationId = id, target, arguments = Array.Empty<object>() }, cancellationToken);
        while (true)
        {
            var m = await ReceiveAsync(cancellationToken);
            if (m.GetProperty("type").GetInt32() == 3 && m.GetProperty("invocationId").GetString() == id)
            {
                if (m.TryGetProperty("error", out var e)) throw new InvalidOperationException(e.GetString());
                return;
            }
        }
    }

    /// <summary>Stream items of one invocation with the time each arrived, until its Completion; throws on a completion error.</summary>
    public async Task<List<(JsonElement Item, TimeSpan At)>> ReadStreamAsync(string invocationId, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var items = new List<(JsonElement, TimeSpan)>();
        while (true)
        {
            var m = await ReceiveAsync(cancellationToken);
            var type = m.GetProperty("type").GetInt32();
            if (m.TryGetProperty("invocationId", out var id) && id.GetString() != invocationId) continue;
            if (type == 2) items.Add((m.GetProperty("item"), clock.Elapsed));
            else if (type == 3)
            {
                if (m.TryGetProperty("error", out var error)) throw new HubErrorException(error.GetString() ?? "");
                return items;
            }
            else if (type == 7) throw new InvalidOperationException("server closed the connection: " + m);
        }
    }

    /// <summary>The next hub message that is not a ping.</summary>
    public async Task<JsonElement> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_messages.Count > 0)
            {
                var m = _messages.Dequeue();
                if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("type", out var t) && t.GetInt32() == 6) continue;
                return m;
            }
            var buffer = new byte[16 * 1024];
            var frame = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"socket closed: {result.CloseStatus} {result.CloseStatusDescription}");
                frame.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            _pending.Append(Encoding.UTF8.GetString(frame.ToArray()));
            var text = _pending.ToString();
            var last = text.LastIndexOf(RecordSeparator);
            if (last < 0) continue;
            foreach (var record in text[..last].Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
                _messages.Enqueue(JsonDocument.Parse(record).RootElement.Clone());
            _pending.Remove(0, last + 1);
        }
    }

    private Task SendAsync(object message, CancellationToken cancellationToken) => SendRawAsync(JsonSerializer.Serialize(message), cancellationToken);

    private Task SendRawAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); }
            catch (WebSocketException) { /* server already gone */ }
        }
        _socket.Dispose();
    }
}

public sealed class HubErrorException(string message) : Exception(message);
