using System.CommandLine;
using LegalRag.Cli.Output;
using LegalRag.Hosting;
using LegalRag.Hosting.Embedding;
using LegalRag.Retrieval.Search;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

public static class SearchCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "Words in the corpus's language, or a citation such as \"BGB § 573\"" };
        var corpus = new Option<string?>("--corpus") { Description = "Search only this corpus" };
        var act = new Option<string?>("--act") { Description = "Search only this act (abbreviation or title)" };
        var k = new Option<int>("--k") { Description = "Number of provisions to return", DefaultValueFactory = _ => 10 };
        var mode = new Option<string?>("--mode") { Description = "lexical | dense | hybrid | hybrid+rerank (default: LegalRag:Search:DefaultMode)" };
        var json = new Option<bool>("--json") { Description = "Machine output: {\"results\": [...], \"tookMs\": n}" };
        var asOf = new Option<string?>("--as-of") { Description = "Search the law in force on this day, YYYY-MM-DD (default: today)" };
        var command = new Command("search", "Search provisions; results carry pinpoint citations") { query, corpus, act, k, mode, json, asOf };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(k) is < 1 or > 1000) return Usage("--k must be between 1 and 1000");
            var requested = parse.GetValue(mode);
            if (requested is not null && RetrievalModes.Parse(requested) is null) return Usage($"--mode must be {RetrievalModes.Choices}, not '{requested}'");
            if (!Core.Text.IsoDay.TryParse(parse.GetValue(asOf), "--as-of", out var day, out var asOfError)) return Usage(asOfError!);
            // Lexical search named explicitly needs no model: do not pay for loading one.
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: RetrievalModes.Parse(requested) != RetrievalMode.Lexical);
            var stack = services.Stack;
            var searchMode = stack.ModeOrDefault(requested)!.Value;
            if (RetrievalModes.NeedsEmbedder(searchMode) && stack.Embedder is not null)
                await EmbeddingModels.EnsureVectorsAsync(stack.Store, stack.Embedder, parse.GetValue(corpus), ct);
            var response = await stack.Search.SearchAsync(new SearchRequest
            {
                Query = parse.GetValue(query)!,
                Corpus = parse.GetValue(corpus),
                Act = parse.GetValue(act),
                K = parse.GetValue(k),
                Mode = searchMode,
                AsOf = day,
            }, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    results = response.Results.Select(r => new
                    {
                        citation = r.Citation,
                        provisionId = r.ProvisionId,
                        path = r.Path,
                        snippet = r.Snippet,
                        score = r.Score,
                        pinpoint = r.Pinpoint,
                        heading = r.Heading,
                        corpus = r.Corpus,
                        sourcePath = r.SourcePath,
                        page = r.Page,
                        citationMatch = r.CitationMatch,
                        repealed = r.Repealed,
                        validFrom = r.ValidFrom,
                        validTo = r.ValidTo,
                    }),
                    tookMs = Math.Round(response.TookMs, 2),
                });
                return ExitCodes.Ok;
            }
            if (response.Results.Count == 0)
            {
                AnsiConsole.MarkupLine("[yellow]No provisions found.[/]");
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded).Expand();
            table.AddColumn("#");
            table.AddColumn("Citation");
            table.AddColumn("Provision");
            table.AddColumn(new TableColumn("Score").RightAligned());
            var rank = 1;
            foreach (var r in response.Results)
            {
                var snippet = Markup.Escape(r.Snippet).Replace("**", "\u0001");
                // Turn **hit** pairs into bold markup.
                var parts = snippet.Split('\u0001');
                var marked = string.Concat(parts.Select((p, i) => i % 2 == 1 ? $"[bold yellow]{p}[/]" : p));
                table.AddRow(
                    new Markup((rank++).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Markup($"[bold]{Markup.Escape(r.Pinpoint)}[/]"),
                    new Markup($"[dim]{Markup.Escape(r.Path)}[/]\n[italic]{Markup.Escape(r.Heading)}[/]\n{marked}"),
                    new Markup(r.Score.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"[dim]{response.Results.Count} provisions in {response.TookMs:F1} ms[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }
}
