using System.CommandLine;
using LegalRag.Cli.Output;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

public static class StatsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "A flat JSON object of integers" };
        var command = new Command("stats", "Counts of corpora, documents, provisions and chunks") { json };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: false);
            var s = await services.Stack.Store.GetStatisticsAsync(ct);
            var store = services.Stack.Store;
            // Only the embedded store keeps the reference graph; elsewhere both counts are 0.
            var references = store is Storage.Sqlite.SqliteLegalStore sqlite ? await sqlite.GetReferenceStatisticsAsync(null, ct) : [];
            long found = references.Sum(r => r.Found), resolved = references.Sum(r => r.Resolved);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { corpora = s.Corpora, documents = s.Documents, provisions = s.Provisions, chunks = s.Chunks, embeddings = s.Embeddings, references = found, referencesResolved = resolved });
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("What").AddColumn(new TableColumn("Count").RightAligned());
            table.AddRow("Corpora", s.Corpora.ToString("N0"));
            table.AddRow("Documents", s.Documents.ToString("N0"));
            table.AddRow("Provisions", s.Provisions.ToString("N0"));
            table.AddRow("Chunks", s.Chunks.ToString("N0"));
            table.AddRow("Embeddings", s.Embeddings.ToString("N0"));
            table.AddRow("References (resolved)", $"{found:N0} ({resolved:N0})");
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
