using System.CommandLine;
using LegalRag.Server;
using Microsoft.Extensions.Hosting;

namespace LegalRag.Cli.Commands;

/// <summary>`legalrag serve [--urls http://127.0.0.1:PORT]`: the chat service, REST API and web UI over the data folder.</summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5000";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on (';'-separated)", DefaultValueFactory = _ => DefaultUrls };
        var command = new Command("serve", "Start the chat service: web UI, SignalR hub and REST API (Ctrl-C stops it)") { urls };
        command.SetAction(async (parse, ct) =>
        {
            // --data and --model reach the server's AddLegalRag as the same overrides every command uses.
            var app = await LegalRagServer.CreateAsync(new ServerStartOptions
            {
                Urls = parse.GetValue(urls),
                DataDirectory = parse.GetValue(CliContext.DataOption),
                ModelDirectory = parse.GetValue(CliContext.ModelOption),
            }, ct);
            await using (app)
            {
                await app.StartAsync(ct);
                await app.WaitForShutdownAsync(ct);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
