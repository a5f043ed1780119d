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
        var asOf = new Option<string?>("--as-of") { Description = "The folder is the corpus as of this day (YYYY-MM-DD): changed texts become new versions, what is gone is closed (docs/versions.md)" };
        var command = new Command("ingest", "Parse, chunk and index statutes into a corpus (incremental: unchanged files are skipped)")
        {
            path, corpus, lang, act, abbreviation, include, prune, json, asOf,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = CliContext.Settings(parse);
            var corpusName = parse.GetValue(corpus)!;
            DateOnly? snapshotDay = null;
            if (parse.GetValue(asOf) is { } asOfText)
            {
                if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
                {
                    Console.Error.WriteLine($"error: --as-of '{asOfText}' is not a date YYYY-MM-DD");
                    return ExitCodes.Usage;
                }
                if (parse.GetValue(prune))
                {
                    Console.Error.WriteLine("error: --as-of closes what a snapshot no longer has; --prune would delete it. Use one of them.");
                    return ExitCodes.Usage;
                }
                snapshotDay = day;
            }
            var manifest = CorpusManifest.Find(corpusName);
            var root = parse.GetValue(path);
            if (root is null)
            {
                if (manifest is null)
                {
                    Console.Error.WriteLine($"error: no path given and no manifest corpora/{corpusName}.json to take it from");
                    return ExitCodes.Usage;
                }
                if (manifest.Source is null)
                {
                    Console.Error.WriteLine($"error: corpora/{corpusName}.json names no local folder; fetch it from its publisher: legalrag corpus fetch {corpusName}");
                    return ExitCodes.Usage;
                }
                root = Path.Combine(ProjectPaths.SharedDirectory(settings), manifest.Source);
            }
            if (!File.Exists(root) && !Directory.Exists(root))
            {
                Console.Error.WriteLine($"error: {root}: no such file or folder");
                return ExitCodes.Usage;
            }
            // A path some manifest names as its source (a versions file under the shared folder) takes that manifest's
            // act and language when the corpus name has none of its own.
            manifest ??= CorpusManifest.FindBySource(root, ProjectPaths.SharedDirectory(settings));
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
                AsOf = snapshotDay,
                MaxParallelism = settings.Ingestion.MaxParallelism > 0 ? settings.Ingestion.MaxParallelism : Environment.ProcessorCount,
                Limits = new IngestionLimits { MaxFileBytes = settings.Ingestion.MaxFileBytes },
            };
            // The model opens before any work: a refused model fails the command before the corpus is touched.
            await using var services = await CliContext.OpenAsync(parse, ct);
            var outcome = await IngestRun.RunAsync(services, request, ct);
            if (parse.GetValue(json)) JsonOutput.Write(IngestRun.ToJson(outcome, request.Corpus));
            else IngestRun.Print(outcome, request.Corpus);
            return outcome.Summary.Failures.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Ok;
        });
        return command;
    }
}
