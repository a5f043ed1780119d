using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace LegalRag.Benchmarks;

/// <summary>Time to the first streamed token and to the stream's completion, in milliseconds, of one question.</summary>
public readonly record struct AskTiming(double FirstTokenMs, double TotalMs);

/// <summary>
/// One chat session on the hub with the .NET SignalR client (the one `legalrag chat` and the tests use): asks questions one
/// after the other on one connection, as a person in the web UI does, and times the answer stream.
/// </summary>
public sealed class HubSession : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private HubSession(HubConnection connection) => _connection = connection;

    public bool IsConnected => _connection.State == HubConnectionState.Connected;

    public static async Task<HubSession> ConnectAsync(Uri server, string key, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "/hubs/chat"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .Build();
        try
        {
            await connection.StartAsync(cancellationToken);
            return new HubSession(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Asks and reads the whole answer. First token = from sending the invocation to the first "token" item (the first text
    /// the user sees; an answer without text counts its completion). A server error arrives as a HubException.
    /// </summary>
    public async Task<AskTiming> AskAsync(string question, string? corpus, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        double? first = null;
        await foreach (var item in _connection.StreamAsync<JsonElement>("Ask", new { question, corpus }, cancellationToken))
            if (first is null && item.TryGetProperty("type", out var type) && type.GetString() == "token") first = clock.Elapsed.TotalMilliseconds;
        var total = clock.Elapsed.TotalMilliseconds;
        return new AskTiming(first ?? total, total);
    }

    /// <summary>Reconnects a session the server or the network dropped (the load tool counts the drop as an error and carries on).</summary>
    public Task ReconnectAsync(CancellationToken cancellationToken) =>
        _connection.State == HubConnectionState.Disconnected ? _connection.StartAsync(cancellationToken) : Task.CompletedTask;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
