using LegalRag.Server.Api;
using LegalRag.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LegalRag.Cli.Commands;

/// <summary>What one chat asks with: the hub's Ask arguments other than the question.</summary>
/// <param name="AsOf">The day whose law every question asks about, YYYY-MM-DD (--as-of); null: the day a question names, else today.</param>
public sealed record ChatSettings(string? Corpus = null, string? Language = null, string? Mode = null, bool Interactive = false, string? AsOf = null);

/// <summary>
/// The terminal chat over the server's hub (<see cref="ChatHub"/>): reads questions line by line, streams each answer
/// as it is verified, then lists its citations. "/reset" forgets the conversation; "/quit" or the end of input ends the chat.
/// The connection reconnects on its own after a drop; what a drop costs (an incomplete answer, the conversation,
/// which the server keeps per connection) is said on the error stream, and the chat ends when the server stays gone.
/// </summary>
public sealed class ChatSession(HubConnection connection, Uri server, TextReader input, TextWriter output, TextWriter errors)
{
    public const string ResetCommand = "/reset";
    public const string QuitCommand = "/quit";
    private const int QuoteChars = 160;
    private int _stopping;

    /// <summary>A hub connection to <paramref name="server"/> with the API key, reconnecting after the given delays.</summary>
    public static HubConnection Connect(Uri server, string key, IReadOnlyList<TimeSpan> reconnectDelays) =>
        new HubConnectionBuilder()
            // The key goes as a bearer token on negotiate and as access_token on the WebSocket (browsers' way too).
            .WithUrl(new Uri(server, ChatHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .WithAutomaticReconnect(reconnectDelays.ToArray())
            .Build();

    public async Task<int> RunAsync(ChatSettings settings, CancellationToken cancellationToken)
    {
        connection.Reconnecting += error =>
        {
            errors.WriteLine($"connection to {server} lost{Reason(error)}; reconnecting…");
            return Task.CompletedTask;
        };
        connection.Reconnected += _ =>
        {
            errors.WriteLine("reconnected; the conversation starts afresh (the server keeps it per connection)");
            return Task.CompletedTask;
        };
        connection.Closed += error =>
        {
            if (Volatile.Read(ref _stopping) == 0) errors.WriteLine($"connection to {server} closed{Reason(error)}");
            return Task.CompletedTask;
        };

        if (await StartAsync(cancellationToken) is { } failed) return failed;
        try
        {
            while (true)
            {
                if (settings.Interactive) await errors.WriteAsync("> ".AsMemory(), cancellationToken);
                var line = await input.ReadLineAsync(cancellationToken);
                if (line is null || line.Trim() == QuitCommand) return ExitCodes.Ok;
                var question = line.Trim();
                if (question.Length == 0) continue;
                if (!await ConnectedAsync(cancellationToken))
                {
                    errors.WriteLine($"error: no connection to {server}; the chat ends here");
                    return ExitCodes.PartialFailure;
                }
                if (question == ResetCommand)
                {
                    await ResetAsync(cancellationToken);
                    continue;
                }
                await AskAsync(question, settings, cancellationToken);
            }
        }
        finally
        {
            Interlocked.Exchange(ref _stopping, 1);
            // Not the run's token: after Ctrl-C the connection still closes cleanly, so the server stops generating.
            await connection.StopAsync(CancellationToken.None);
        }
    }

    private async Task ResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await connection.InvokeAsync(nameof(ChatHub.Reset), cancellationToken);
            errors.WriteLine("(conversation forgotten)");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsConnectionFailure(ex))
        {
            // A new connection starts with an empty conversation anyway.
            errors.WriteLine($"error: the connection to {server} was lost ({ex.GetBaseException().Message}); the next connection starts afresh");
        }
    }

    private async Task<int?> StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await connection.StartAsync(cancellationToken);
            errors.WriteLine($"connected to {server}; ask a question, {ResetCommand} to start over, {QuitCommand} or Ctrl-D to end");
            return null;
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            errors.WriteLine($"error: {server} refused the API key in {ChatCommand.KeyVariable} ({(int)ex.StatusCode})");
            return ExitCodes.Usage;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or IOException)
        {
            errors.WriteLine($"error: cannot reach the LegalRag server at {server}: {ex.Message}");
            return ExitCodes.PartialFailure;
        }
    }

    private async Task AskAsync(string question, ChatSettings settings, CancellationToken cancellationToken)
    {
        var citations = new List<CitationDto>();
        var wroteText = false;
        try
        {
            await foreach (var item in connection.StreamAsync<ChatStreamItem>(nameof(ChatHub.Ask), new AskArgs(question, settings.Corpus, settings.Language, settings.Mode, settings.AsOf), cancellationToken))
            {
                switch (item.Type)
                {
                    case "token" when item.Text is not null:
                        await output.WriteAsync(item.Text.AsMemory(), cancellationToken);
                        await output.FlushAsync(cancellationToken);
                        wroteText = true;
                        break;
                    case "notice" when item.Text is not null:
                        errors.WriteLine($"notice: {item.Text}");
                        break;
                    case "citation" when item.Citation is not null:
                        citations.Add(item.Citation);
                        break;
                    case "done":
                        if (wroteText) await output.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellationToken);
                        WriteCitations(citations);
                        break;
                }
            }
        }
        catch (HubException ex)
        {
            // The server refused this question (empty, unknown mode, a corpus the key may not read); the chat goes on.
            if (wroteText) await output.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellationToken);
            errors.WriteLine($"error: {ServerReason(ex)}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsConnectionFailure(ex))
        {
            // The connection dropped mid-answer: what was printed stays, marked as incomplete. (The stream fails before
            // the connection's state changes, so the exception, not the state, tells.)
            if (wroteText) await output.WriteLineAsync(ReadOnlyMemory<char>.Empty, cancellationToken);
            errors.WriteLine($"error: the connection to {server} was lost during the answer ({ex.GetBaseException().Message}); it is incomplete and its citations are missing");
        }
    }

    private void WriteCitations(List<CitationDto> citations)
    {
        if (citations.Count == 0) return;
        output.WriteLine("Citations:");
        foreach (var c in citations)
        {
            var quote = c.Quote.Length > QuoteChars ? c.Quote[..QuoteChars] + "…" : c.Quote;
            var page = c.Page is { } p ? $", p. {p}" : "";
            output.WriteLine($"  [{c.Number}] {c.Citation} ({c.ProvisionId}{page}): \"{quote}\"");
        }
        output.WriteLine();
    }

    /// <summary>True once the connection is up; waits out a reconnect in progress, false when it gave up.</summary>
    private async Task<bool> ConnectedAsync(CancellationToken cancellationToken)
    {
        while (connection.State is HubConnectionState.Reconnecting or HubConnectionState.Connecting)
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        return connection.State == HubConnectionState.Connected;
    }

    /// <summary>The hub's own message: the client prefixes what the server threw with a generic sentence.</summary>
    private static string ServerReason(HubException ex)
    {
        const string marker = "HubException: ";
        var at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? ex.Message : ex.Message[(at + marker.Length)..];
    }

    /// <summary>A transport failure (reset, closed socket), or SignalR cancelling the invocations of a closed connection.</summary>
    private static bool IsConnectionFailure(Exception ex)
    {
        if (ex is OperationCanceledException) return true;
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is IOException or System.Net.WebSockets.WebSocketException or System.Net.Sockets.SocketException or HttpRequestException) return true;
        return false;
    }

    private static string Reason(Exception? error) => error is null ? "" : $" ({error.Message})";
}
