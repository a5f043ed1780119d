using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace LegalRag.Server.Tests.Support;

/// <summary>Connections to the chat hub with the .NET SignalR client (the one `legalrag chat` uses).</summary>
public static class HubConnections
{
    public static HubConnection Create(Uri server, string? key) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(server, Hubs.ChatHub.Path), o =>
            {
                if (key is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(key);
            })
            .Build();

    public static async Task<HubConnection> ConnectAsync(Uri server, string? key, CancellationToken cancellationToken)
    {
        var connection = Create(server, key);
        try
        {
            await connection.StartAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every item of one Ask stream, as the JSON the hub sent (the contract the web UI reads too).</summary>
    public static async Task<List<JsonElement>> AskAsync(this HubConnection connection, object args, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        await foreach (var item in connection.StreamAsync<JsonElement>("Ask", args, cancellationToken)) items.Add(item);
        return items;
    }
}
