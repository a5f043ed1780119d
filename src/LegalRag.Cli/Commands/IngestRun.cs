using LegalRag.Cli.Output;
using LegalRag.Core.Abstractions;
using LegalRag.Hosting.Embedding;
using LegalRag.Ingestion.Pipeline;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

/// <summary>What one ingest did: the documents, the references resolved after them, the chunks embedded.</summary>
internal sealed record IngestOutcome(IngestSummary Summary, ReferenceStatistics? References, EmbeddingModels.EmbedSummary? Embedded, string? ModelId);

/// <summary>
/// The ingest's stages after the walk, shared by <c>ingest</c> and <c>corpus fetch/update</c>: parse and store each
/// document (its own transaction), resolve references across the corpus, then embed the chunks that lack a vector.
/// </summary>
internal static class IngestRun
{
    public static async Task<IngestOutcome> RunAsync(CliServices services, IngestRequest request, CancellationToken ct)
    {
        var (store, embedder) = (services.Stack.Store, services.Stack.Embedder);
        var pipeline = CliContext.Pipeline(store, services.Settings);
        var summary = await ProgressDisplay.RunAsync($"Ingesting {request.Corpus}", p => pipeline.RunAsync(request, p, ct));
        // Chunks without a vector from this model (new, changed, or embedded by another model) are embedded now;
        // unchanged text is found in the content-hash cache and never re-embedded.
        // References to acts stored later (or replaced now) are resolved once all files are in.
        var references = store is IReferenceResolution resolution
            ? (await resolution.ResolveReferencesAsync(request.Corpus, ct)).FirstOrDefault()
            : null;
        var embedded = embedder is null ? null
            : await EmbeddingModels.EmbedMissingAsync(store, embedder, request.Corpus, EmbedProgressDisplay.Stderr($"Embedding {request.Corpus} with {embedder.ModelId}"), ct);
        return new IngestOutcome(summary, references, embedded, embedder?.ModelId);
    }

    public static object ToJson(IngestOutcome outcome, string corpus)
    {
        var (summary, references, embedded) = (outcome.Summary, outcome.References, outcome.Embedded);
        return new
        {
            corpus,
            added = summary.Added,
            replaced = summary.Replaced,
            unchanged = summary.Unchanged,
            failed = summary.Failures.Count,
            deleted = summary.Deleted,
            closed = summary.Closed,
            newVersions = summary.NewVersions,
            provisions = summary.Provisions,
            chunks = summary.Chunks,
            seconds = Math.Round(summary.Elapsed.TotalSeconds, 2),
            references = references is null ? null : new { found = references.Found, resolved = references.Resolved, share = Math.Round(references.ResolvedShare, 4) },
            embedding = embedded is null ? null : new
            {
                model = outcome.ModelId,
                embedded = embedded.Embedded,
                fromCache = embedded.FromCache,
                seconds = Math.Round(embedded.Seconds, 2),
                chunksPerSecond = Math.Round(embedded.ChunksPerSecond, 1),
            },
            failures = summary.Failures.Select(f => new { path = f.Path, reason = f.Reason }),
        };
    }

    public static void Print(IngestOutcome outcome, string corpus)
    {
        var (summary, references, embedded) = (outcome.Summary, outcome.References, outcome.Embedded);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(corpus)}[/]: {summary.Ok} ok ({summary.Added} added, {summary.Replaced} replaced), {summary.Unchanged} unchanged, " +
                               $"{(summary.Failures.Count > 0 ? "[red]" : "")}{summary.Failures.Count} failed{(summary.Failures.Count > 0 ? "[/]" : "")}, {summary.Deleted} deleted; " +
                               $"{summary.Provisions:N0} provisions, {summary.Chunks:N0} chunks in {summary.Elapsed.TotalSeconds:F1} s");
        if (summary.Closed > 0 || summary.NewVersions > 0)
            AnsiConsole.MarkupLine($"versions: {summary.NewVersions:N0} new, {summary.Closed:N0} documents closed");
        if (references is not null)
            AnsiConsole.MarkupLine($"references: found {references.Found:N0}, resolved {references.Resolved:N0} ({references.ResolvedShare:P1})");
        if (embedded is not null)
            AnsiConsole.MarkupLine($"embedded {embedded.Embedded:N0} chunks with [bold]{Markup.Escape(outcome.ModelId ?? "")}[/] ({embedded.FromCache:N0} from cache) in {embedded.Seconds:F1} s, {embedded.ChunksPerSecond:F0} chunks/s");
        foreach (var failure in summary.Failures.Take(50))
            AnsiConsole.MarkupLine($"  [red]failed[/] {Markup.Escape(failure.Path)}: {Markup.Escape(failure.Reason)}");
        if (summary.Failures.Count > 50) AnsiConsole.MarkupLine($"  … and {summary.Failures.Count - 50} more (use --json for all)");
    }
}
