using System.CommandLine;
using LegalRag.Cli.Configuration;
using LegalRag.Cli.Output;
using LegalRag.Core.Abstractions;
using LegalRag.Hosting.Configuration;
using LegalRag.Hosting.Embedding;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;

namespace LegalRag.Cli.Commands;

/// <summary>
/// `legalrag verify [--corpus] [--json] [--repair]`: the store's consistency after a crash. Exit 0 when consistent,
/// 1 when not (each problem printed with its repair). --repair deletes orphans, rebuilds the full-text index, removes
/// damaged documents and ingests them again from their corpus manifest's folder where that folder still holds them;
/// otherwise it prints the ingest command that does (the store does not know which folder or options a corpus was
/// ingested from, and guessing could add files the user never ingested).
/// </summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Check this corpus's documents only (file-level checks and orphans always run)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var repair = new Option<bool>("--repair") { Description = "Delete orphans, rebuild the full-text index, remove damaged documents and ingest them again" };
        var command = new Command("verify", "Check the store's consistency (integrity, counts, whole documents, orphans); exit 1 when it is not consistent")
        {
            corpus, json, repair,
        };
        command.SetAction(async (parse, ct) =>
        {
            var doRepair = parse.GetValue(repair);
            // Models load only to repair: re-ingested documents get their vectors as an ingest would give them.
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: doRepair);
            if (services.Stack.Store is not IStoreVerification verification)
            {
                Console.Error.WriteLine($"error: the configured store ({services.Stack.Store.GetType().Name}) cannot verify itself");
                return ExitCodes.Usage;
            }
            var corpusName = parse.GetValue(corpus);
            if (!doRepair)
            {
                var report = await verification.VerifyAsync(corpusName, ct);
                if (parse.GetValue(json)) JsonOutput.Write(Json(report, null, []));
                else PrintReport(report);
                return report.IsConsistent ? ExitCodes.Ok : ExitCodes.PartialFailure;
            }

            var repaired = await verification.RepairAsync(corpusName, ct);
            var reingest = await ReingestAsync(services, repaired.Removed, ct);
            var final = reingest.Any(r => r.Reingested) ? await verification.VerifyAsync(corpusName, ct) : repaired.After;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(Json(final, repaired, reingest));
            }
            else
            {
                foreach (var action in repaired.Actions) Console.WriteLine($"repaired: {action}");
                foreach (var r in reingest) Console.WriteLine(r.Reingested ? $"re-ingested: {r.Message}" : $"to do: {r.Message}");
                if (repaired.Actions.Count == 0) Console.WriteLine("nothing to repair");
                PrintReport(final);
            }
            return final.IsConsistent && reingest.All(r => r.Reingested) ? ExitCodes.Ok : ExitCodes.PartialFailure;
        });
        return command;
    }

    /// <summary>What became of one corpus's removed documents.</summary>
    private sealed record Reingest(string Corpus, int Documents, bool Reingested, string Message);

    /// <summary>
    /// Ingests the removed documents again, per corpus, from the corpus manifest's folder: only those files (each
    /// path as an include pattern), with the manifest's language and act. Where there is no manifest, or its folder
    /// lacks a file, the command to run is returned instead.
    /// </summary>
    private static async Task<List<Reingest>> ReingestAsync(CliServices services, IReadOnlyList<RemovedDocument> removed, CancellationToken ct)
    {
        var result = new List<Reingest>();
        foreach (var group in removed.GroupBy(r => r.Corpus, StringComparer.Ordinal))
        {
            var paths = group.Select(r => r.SourcePath).Distinct(StringComparer.Ordinal).ToList();
            // A fetched corpus is re-ingested from the files its fetches keep (with their download origins); another
            // from its manifest's folder under the shared folder.
            var fetched = Ingestion.Sources.FetchState.Load(CorpusFetchCommand.SourceFolder(services.Settings, group.Key));
            var manifest = CorpusManifest.Find(fetched?.Manifest ?? group.Key);
            var root = fetched is not null ? Path.Combine(CorpusFetchCommand.SourceFolder(services.Settings, group.Key), "files")
                : manifest?.Source is { } source ? Path.Combine(ProjectPaths.SharedDirectory(services.Settings), source) : null;
            var manual = $"{paths.Count} removed documents of corpus {group.Key}: run 'legalrag ingest <the folder it was ingested from> --corpus {group.Key}' " +
                         "(incremental: only the removed documents are parsed again)";
            // A path with glob characters would not match itself as an include pattern.
            if (manifest is null || root is null || paths.Any(p => p.IndexOfAny(['*', '?']) >= 0 || !File.Exists(Path.Combine(root, p))))
            {
                result.Add(new Reingest(group.Key, paths.Count, false, manual));
                continue;
            }
            var request = new IngestRequest
            {
                Root = root,
                Corpus = group.Key,
                Language = manifest.Language,
                Include = paths,
                ActTitle = fetched is null ? manifest.ActTitle : null,
                ActAbbreviation = fetched is null ? manifest.ActAbbreviation : null,
                Publisher = manifest.Publisher,
                SourceUrl = fetched is null ? manifest.SourceUrl : null,
                Origins = fetched?.Files.Where(f => f.Value.ClosedOn is null)
                    .ToDictionary(f => f.Key, f => new FileOrigin(f.Value.Url, f.Value.RetrievedAt), StringComparer.Ordinal),
                MaxParallelism = services.Settings.Ingestion.MaxParallelism > 0 ? services.Settings.Ingestion.MaxParallelism : Environment.ProcessorCount,
                Limits = new IngestionLimits { MaxFileBytes = services.Settings.Ingestion.MaxFileBytes },
            };
            var store = services.Stack.Store;
            var summary = await CliContext.Pipeline(store, services.Settings).RunAsync(request, null, ct);
            if (store is IReferenceResolution resolution) await resolution.ResolveReferencesAsync(group.Key, ct);
            if (services.Stack.Embedder is { } embedder) await EmbeddingModels.EmbedMissingAsync(store, embedder, group.Key, null, ct);
            var failed = summary.Failures.Count > 0 ? $", {summary.Failures.Count} failed ({string.Join("; ", summary.Failures.Take(3).Select(f => $"{f.Path}: {f.Reason}"))})" : "";
            result.Add(new Reingest(group.Key, paths.Count, summary.Failures.Count == 0,
                $"{summary.Ok} of {paths.Count} removed documents of corpus {group.Key} from {root}{failed}"));
        }
        return result;
    }

    private static void PrintReport(VerificationReport report)
    {
        foreach (var c in report.Counts)
            Console.WriteLine($"{c.Corpus ?? "whole store"}: {c.Documents:N0} documents, {c.Provisions:N0} provisions, {c.Chunks:N0} chunks, " +
                              $"{c.IndexRows:N0} full-text rows, {c.Vectors:N0} vectors");
        foreach (var note in report.Notes) Console.WriteLine($"note: {note}");
        foreach (var p in report.Problems)
        {
            Console.WriteLine($"problem: {p.Message}");
            Console.WriteLine($"  repair: {p.Repair}");
        }
        Console.WriteLine(report.IsConsistent ? "consistent" : $"NOT consistent: {report.Problems.Count} problems");
    }

    private static object Json(VerificationReport report, RepairReport? repair, IReadOnlyList<Reingest> reingest) => new
    {
        consistent = report.IsConsistent,
        counts = report.Counts.Select(c => new { corpus = c.Corpus, documents = c.Documents, provisions = c.Provisions, chunks = c.Chunks, indexRows = c.IndexRows, vectors = c.Vectors }),
        problems = report.Problems.Select(p => new { kind = p.Kind.ToString(), corpus = p.Corpus, sourcePath = p.SourcePath, message = p.Message, repair = p.Repair }),
        notes = report.Notes,
        repaired = repair?.Actions,
        removed = repair?.Removed.Select(r => new { corpus = r.Corpus, sourcePath = r.SourcePath, reason = r.Reason }),
        reingested = repair is null ? null : reingest.Select(r => new { corpus = r.Corpus, documents = r.Documents, done = r.Reingested, message = r.Message }),
    };
}
