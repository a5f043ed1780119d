using System.CommandLine;
using LegalRag.Cli.Output;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

public static class ShowCommand
{
    public static Command Create()
    {
        var citation = new Argument<string>("citation") { Description = "A citation (\"BGB § 573\", \"Art. 544 Code civil\") or a provision id" };
        var corpus = new Option<string?>("--corpus") { Description = "Look only in this corpus" };
        var json = new Option<bool>("--json") { Description = "Machine output" };
        var command = new Command("show", "Print the full text of a provision") { citation, corpus, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: false);
            var store = services.Stack.Store;
            var text = parse.GetValue(citation)!;
            var matches = new List<StoredProvision>();
            if (await store.GetProvisionAsync(text, ct) is { } byId) matches.Add(byId);
            else if (CitationParser.TryParse(text, out var reference)) matches.AddRange(await store.FindByCitationAsync(reference, parse.GetValue(corpus), ct));
            else
            {
                Console.Error.WriteLine($"error: '{text}' is neither a citation nor a provision id");
                return ExitCodes.Usage;
            }
            if (matches.Count == 0)
            {
                Console.Error.WriteLine($"No provision matches '{text}'.");
                return ExitCodes.PartialFailure;
            }
            var references = new Dictionary<string, ProvisionReferences>(StringComparer.Ordinal);
            foreach (var m in matches) references[m.Key] = await store.GetReferencesAsync(m.Key, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    provisions = matches.Select(m => new
                    {
                        citation = m.Provision.Citation,
                        provisionId = m.Key,
                        act = m.ActName,
                        actTitle = m.ActTitle,
                        corpus = m.Corpus,
                        path = m.Provision.PathDisplay,
                        heading = m.Provision.Heading,
                        repealed = m.Provision.IsRepealed,
                        sourcePath = m.SourcePath,
                        paragraphs = m.Provision.Paragraphs.Select(p => new { label = p.Label, text = p.Text, page = p.Page }),
                        text = m.Provision.Text,
                        refersTo = references[m.Key].RefersTo.Select(r => new { citation = r.Citation, provisionId = r.ProvisionKey }),
                        referredToBy = references[m.Key].ReferredToBy.Select(r => new { citation = r.Citation, provisionId = r.ProvisionKey }),
                    }),
                });
                return ExitCodes.Ok;
            }
            if (matches.Count > 1) AnsiConsole.MarkupLine($"[yellow]{matches.Count} provisions match; name the act to pick one.[/]");
            foreach (var m in matches)
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(m.Provision.Citation)}[/] {Markup.Escape(m.Provision.Heading)}{(m.Provision.IsRepealed ? " [red](repealed)[/]" : "")}");
                AnsiConsole.MarkupLine($"[dim]{Markup.Escape(m.ActTitle)} › {Markup.Escape(m.Provision.PathDisplay)}  ({Markup.Escape(m.Corpus)}: {Markup.Escape(m.SourcePath)})[/]");
                foreach (var p in m.Provision.Paragraphs) AnsiConsole.WriteLine(p.Text + "\n");
                var r = references[m.Key];
                if (r.RefersTo.Count > 0) AnsiConsole.MarkupLine($"[dim]refers to:[/] {Markup.Escape(string.Join("; ", r.RefersTo.Select(x => x.Citation)))}");
                if (r.ReferredToBy.Count > 0) AnsiConsole.MarkupLine($"[dim]referred to by:[/] {Markup.Escape(string.Join("; ", r.ReferredToBy.Select(x => x.Citation)))}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
