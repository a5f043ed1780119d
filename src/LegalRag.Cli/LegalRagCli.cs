using System.CommandLine;
using LegalRag.Cli.Commands;
using LegalRag.Cli.Commands.Eval;
using LegalRag.Hosting.Configuration;

namespace LegalRag.Cli;

/// <summary>The `legalrag` command line: one command per area, registered here.</summary>
public static class LegalRagCli
{
    /// <param name="invocation">This run's parse result and open resources, for the eval commands' callbacks.</param>
    public static RootCommand Build(CliInvocation invocation)
    {
        var root = new RootCommand("LegalRag: search and ask your own statutes, on your own machine")
        {
            IngestCommand.Create(),
            SearchCommand.Create(),
            ShowCommand.Create(),
            CorpusCommand.Create(),
            StatsCommand.Create(),
            VerifyCommand.Create(),
            EvalHost.Create(invocation),
            QdrantCommand.Create(),
            QdrantCommand.CreateIndex(),
            ServeCommand.Create(),
            ChatCommand.Create(),
            ModelCommand.Create(),
        };
        root.Options.Add(CliContext.DataOption);
        root.Options.Add(CliContext.ModelOption);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        await using var invocation = new CliInvocation();
        var root = Build(invocation);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run 'legalrag --help' for usage.");
            return ExitCodes.Usage;
        }
        invocation.Parse = parse;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Ctrl-C cancels the running command cleanly: every write is transactional, so nothing half-written stays.
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token);
        }
        catch (SettingsException ex)
        {
            Console.Error.WriteLine($"configuration error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (Core.Abstractions.StoreUnavailableException ex)
        {
            // One line naming the folder and the reason; every write is one transaction, so the store is as it was.
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.PartialFailure;
        }
        catch (Storage.Qdrant.QdrantException ex)
        {
            Console.Error.WriteLine($"qdrant error: {ex.Message}");
            return ExitCodes.PartialFailure;
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.PartialFailure;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.PartialFailure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
