using System.CommandLine;
using LegalRag.Cli.Configuration;
using LegalRag.Cli.Output;
using LegalRag.Hosting.Embedding;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

public static class IngestCommand
{
    public static Command Create()
    {
        var path = new Argument<string?>("path") { Description = "File or folder to ingest; defaults to the corpus manifest's source under the shared folder", Arity = ArgumentArity.ZeroOrOne };
        var corpus = new Option<string>("--corpus") { Description = "Corpus name (corpora/<name>.json supplies defaults when it exists)", Required = true };
        var lang = new Option<string?>("--lang") { Description = "Language of the corpus: de, fr, nl, en, …" };
        var act = new Option<string?>("--act") { Description = "Act title, for files that do not state it (one file per article)" };
        var abbreviation = new Option<string?>("--abbreviation") { Description = "Official abbreviation of that act" };
        var include = new Option<string[]>("--include") { Description = "Glob(s) of files to take, relative to the path (e.g. '*/*/index.md')", AllowMultipleArgumentsPerToken = true };
        var prune = new Option<bool>("--prune") { Description = "Delete stored documents whose file is gone" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var command = new Command("ingest", "Parse, chunk and index statutes into a corpus (incremental: unchanged files are skipped)")
        {
            path, corpus, lang, act, abbreviation, include, prune, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = CliContext.Settings(parse);
            var corpusName = parse.GetValue(corpus)!;
            var manifest = CorpusManifest.Find(corpusName);
            var root = parse.GetValue(path);
            if (root is null)
            {
                if (manifest is null)
                {
                    Console.Error.WriteLine($"error: no path given and no manifest corpora/{corpusName}.json to take it from");
                    return ExitCodes.Usage;
                }
                root = Path.Combine(ProjectPaths.SharedDirectory(settings), manifest.Source);
            }
            if (!File.Exists(root) && !Directory.Exists(root))
            {
                Console.Error.WriteLine($"error: {root}: no such file or folder");
                return ExitCodes.Usage;
            }
            var request = new IngestRequest
            {
                Root = root,
                Corpus = corpusName,
                Language = parse.GetValue(lang) ?? manifest?.Language ?? "de",
                Include = parse.GetValue(include) is { Length: > 0 } inc ? inc : manifest?.Include ?? [],
                ActTitle = parse.GetValue(act) ?? manifest?.ActTitle,
                ActAbbreviation = parse.GetValue(abbreviation) ?? manifest?.ActAbbreviation,
                // Provenance from the manifest only when ingesting its own folder: another folder may come from elsewhere.
                Publisher = parse.GetValue(path) is null ? manifest?.Publisher : null,
                SourceUrl = parse.GetValue(path) is null ? manifest?.SourceUrl : null,
                Prune = parse.GetValue(prune),
                MaxParallelism = settings.Ingestion.MaxParallelism > 0 ? settings.Ingestion.MaxParallelism : Environment.ProcessorCount,
                Limits = new IngestionLimits { MaxFileBytes = settings.Ingestion.MaxFileBytes },
            };
            // The model opens before any work: a refused model fails the command before the corpus is touched.
            await using var services = await CliContext.OpenAsync(parse, ct);
            var (store, embedder) = (services.Stack.Store, services.Stack.Embedder);
            var pipeline = CliContext.Pipeline(store, settings);
            var summary = await ProgressDisplay.RunAsync($"Ingesting {request.Corpus}", p => pipeline.RunAsync(request, p, ct));
            // Chunks without a vector from this model (new, changed, or embedded by another model) are embedded now;
            // unchanged text is found in the content-hash cache and never re-embedded.
            // References to acts stored later (or replaced now) are resolved once all files are in.
            var references = store is Core.Abstractions.IReferenceResolution resolution
                ? (await resolution.ResolveReferencesAsync(request.Corpus, ct)).FirstOrDefault()
                : null;
            var embedded = embedder is null ? null
                : await EmbeddingModels.EmbedMissingAsync(store, embedder, request.Corpus, EmbedProgressDisplay.Stderr($"Embedding {request.Corpus} with {embedder.ModelId}"), ct);

            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    corpus = request.Corpus,
                    added = summary.Added,
                    replaced = summary.Replaced,
                    unchanged = summary.Unchanged,
                    failed = summary.Failures.Count,
                    deleted = summary.Deleted,
                    provisions = summary.Provisions,
                    chunks = summary.Chunks,
                    seconds = Math.Round(summary.Elapsed.TotalSeconds, 2),
                    references = references is null ? null : new { found = references.Found, resolved = references.Resolved, share = Math.Round(references.ResolvedShare, 4) },
                    embedding = embedded is null ? null : new
                    {
                        model = embedder!.ModelId,
                        embedded = embedded.Embedded,
                        fromCache = embedded.FromCache,
                        seconds = Math.Round(embedded.Seconds, 2),
                        chunksPerSecond = Math.Round(embedded.ChunksPerSecond, 1),
                    },
                    failures = summary.Failures.Select(f => new { path = f.Path, reason = f.Reason }),
                });
            }
            else
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(request.Corpus)}[/]: {summary.Ok} ok ({summary.Added} added, {summary.Replaced} replaced), {summary.Unchanged} unchanged, " +
                                       $"{(summary.Failures.Count > 0 ? "[red]" : "")}{summary.Failures.Count} failed{(summary.Failures.Count > 0 ? "[/]" : "")}, {summary.Deleted} deleted; " +
                                       $"{summary.Provisions:N0} provisions, {summary.Chunks:N0} chunks in {summary.Elapsed.TotalSeconds:F1} s");
                if (references is not null)
                    AnsiConsole.MarkupLine($"references: found {references.Found:N0}, resolved {references.Resolved:N0} ({references.ResolvedShare:P1})");
                if (embedded is not null)
                    AnsiConsole.MarkupLine($"embedded {embedded.Embedded:N0} chunks with [bold]{Markup.Escape(embedder!.ModelId)}[/] ({embedded.FromCache:N0} from cache) in {embedded.Seconds:F1} s, {embedded.ChunksPerSecond:F0} chunks/s");
                foreach (var failure in summary.Failures.Take(50))
                    AnsiConsole.MarkupLine($"  [red]failed[/] {Markup.Escape(failure.Path)}: {Markup.Escape(failure.Reason)}");
                if (summary.Failures.Count > 50) AnsiConsole.MarkupLine($"  … and {summary.Failures.Count - 50} more (use --json for all)");
            }
            return summary.Failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Ok;
        });
        return command;
    }
}
