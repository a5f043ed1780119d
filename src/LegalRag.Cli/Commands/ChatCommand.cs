using System.CommandLine;

namespace LegalRag.Cli.Commands;

/// <summary>`legalrag chat --server URL`: a terminal client of a running `legalrag serve`, over its SignalR hub.</summary>
public static class ChatCommand
{
    /// <summary>Where the API key comes from; not an option, so it stays out of shell history and process lists.</summary>
    public const string KeyVariable = "LEGALRAG_API_KEY";

    /// <summary>Reconnect attempts after a drop: quickly first, then spaced out; about 17 s in all before the chat ends.</summary>
    public static readonly IReadOnlyList<TimeSpan> ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The LegalRag server's address", DefaultValueFactory = _ => ServeCommand.DefaultUrls };
        var corpus = new Option<string?>("--corpus") { Description = "Ask only this corpus" };
        var language = new Option<string?>("--language") { Description = "Answer language (de, fr, en, …); detected from each question by default" };
        var mode = new Option<string?>("--mode") { Description = "Retrieval mode: lexical, dense, hybrid or hybrid+rerank; the server's default otherwise" };
        var asOf = new Option<string?>("--as-of") { Description = "Answer with the law in force on this day, YYYY-MM-DD (overrides a day a question names); else that day, else today" };
        var command = new Command("chat", $"Chat with a running LegalRag server: questions from stdin, answers streamed with citations (API key in {KeyVariable})")
        {
            server, corpus, language, mode, asOf,
        };
        command.SetAction(async (parse, ct) =>
        {
            var address = parse.GetValue(server)!;
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                Console.Error.WriteLine($"error: --server: '{address}' is not an http or https address");
                return ExitCodes.Usage;
            }
            if (!Core.Text.IsoDay.TryParse(parse.GetValue(asOf), "--as-of", out _, out var asOfError))
            {
                Console.Error.WriteLine($"error: {asOfError}");
                return ExitCodes.Usage;
            }
            var key = Environment.GetEnvironmentVariable(KeyVariable);
            if (string.IsNullOrWhiteSpace(key))
            {
                Console.Error.WriteLine($"error: set {KeyVariable} to an API key of the server (`legalrag serve` prints a development key when none is configured)");
                return ExitCodes.Usage;
            }
            await using var connection = ChatSession.Connect(uri, key.Trim(), ReconnectDelays);
            var session = new ChatSession(connection, uri, new CancellableConsoleInput(), Console.Out, Console.Error);
            return await session.RunAsync(new ChatSettings(parse.GetValue(corpus), parse.GetValue(language), parse.GetValue(mode), Interactive: !Console.IsInputRedirected, AsOf: parse.GetValue(asOf)), ct);
        });
        return command;
    }
}

/// <summary>
/// Standard input whose line reads end on Ctrl-C. On a terminal Console.In reads synchronously even when asked asynchronously, so
/// a chat waiting at its prompt would otherwise ignore the cancellation until the next Enter.
/// </summary>
internal sealed class CancellableConsoleInput : TextReader
{
    public override string? ReadLine() => Console.In.ReadLine();

    // The abandoned read ends with the process, which is what a cancelled chat does next.
    public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        new(Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(cancellationToken));
}
