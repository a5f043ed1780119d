using System.CommandLine;
using LegalRag.Cli.Output;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

public static class CorpusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Machine output" };
        var list = new Command("list", "List corpora with their sizes") { json };
        list.SetAction(async (parse, ct) =>
        {
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: false);
            var corpora = await services.Stack.Store.ListCorporaAsync(ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new { corpora = corpora.Select(c => new { name = c.Name, language = c.Language, documents = c.Documents, provisions = c.Provisions, chunks = c.Chunks, createdAt = c.CreatedAt }) });
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in new[] { "Corpus", "Language", "Documents", "Provisions", "Chunks" }) table.AddColumn(column);
            foreach (var c in corpora)
                table.AddRow(Markup.Escape(c.Name), c.Language, c.Documents.ToString("N0"), c.Provisions.ToString("N0"), c.Chunks.ToString("N0"));
            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        });

        var name = new Argument<string>("name") { Description = "Corpus to remove with all its documents" };
        var remove = new Command("remove", "Remove a corpus and everything indexed for it") { name };
        remove.SetAction(async (parse, ct) =>
        {
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: false);
            var corpus = parse.GetValue(name)!;
            if (!await services.Stack.Store.RemoveCorpusAsync(corpus, ct))
            {
                Console.Error.WriteLine($"error: no corpus named '{corpus}'");
                return ExitCodes.PartialFailure;
            }
            Console.WriteLine($"Removed corpus '{corpus}'.");
            return ExitCodes.Ok;
        });
        return new Command("corpus", "Manage corpora") { list, remove, CorpusFetchCommand.Fetch(), CorpusFetchCommand.Update() };
    }
}
