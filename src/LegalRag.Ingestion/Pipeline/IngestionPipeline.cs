using System.Collections.Concurrent;
using System.Diagnostics;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Pipeline;

/// <summary>What to ingest and how.</summary>
public sealed record IngestRequest
{
    public required string Root { get; init; }
    public required string Corpus { get; init; }
    public required string Language { get; init; }
    public IReadOnlyList<string> Include { get; init; } = [];
    public string? ActTitle { get; init; }
    public string? ActAbbreviation { get; init; }
    /// <summary>Who publishes the texts (a corpus manifest's "publisher"), recorded in each document's provenance.</summary>
    public string? Publisher { get; init; }
    /// <summary>Where the folder's files were downloaded from (a manifest's "sourceUrl"): each document's provenance
    /// names it as the source; without it, the file's own path.</summary>
    public string? SourceUrl { get; init; }
    /// <summary>Where individual files were downloaded from and when (a connector's fetch), by relative path: their
    /// provenance names that address and time instead of <see cref="SourceUrl"/> and the ingest time.</summary>
    public IReadOnlyDictionary<string, FileOrigin>? Origins { get; init; }
    /// <summary>Delete stored documents of the corpus whose source file is gone from the root.</summary>
    public bool Prune { get; init; }
    /// <summary>The folder is the corpus as of this day (a snapshot): changed texts become new versions from it, and
    /// the stored versions of provisions and documents the folder no longer has are closed on it, never deleted.
    /// Null: documents are replaced as they are (and only <see cref="Prune"/> removes).</summary>
    public DateOnly? AsOf { get; init; }
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
    public IngestionLimits Limits { get; init; } = new();
}

/// <summary>Counters for a progress display; a snapshot, safe to read from another thread.</summary>
public sealed record IngestProgress(int FilesTotal, int FilesDone, int Added, int Replaced, int Unchanged, int Failed, long Provisions, long Chunks, TimeSpan Elapsed)
{
    public double FilesPerSecond => Elapsed.TotalSeconds > 0 ? FilesDone / Elapsed.TotalSeconds : 0;
    public double ProvisionsPerSecond => Elapsed.TotalSeconds > 0 ? Provisions / Elapsed.TotalSeconds : 0;
}

public sealed record FileFailure(string Path, string Reason);

/// <summary>The address a file was downloaded from and when.</summary>
public sealed record FileOrigin(string SourceUrl, DateTimeOffset RetrievedAt);

/// <param name="Closed">Documents a snapshot (<see cref="IngestRequest.AsOf"/>) no longer had, closed on its day.</param>
/// <param name="NewVersions">Provision versions a snapshot added (new or changed texts); 0 without one.</param>
public sealed record IngestSummary(
    int Added, int Replaced, int Unchanged, IReadOnlyList<FileFailure> Failures, int Deleted,
    long Provisions, long Chunks, TimeSpan Elapsed, int Closed = 0, long NewVersions = 0)
{
    public int Ok => Added + Replaced;
}

/// <summary>
/// Ingests a folder into a corpus: walk, read (size-limited), skip unchanged files by content
/// hash, parse, chunk, and write each document atomically. Parsing runs in parallel; one bad
/// file is recorded with its reason and never stops the batch or touches another file's data.
/// </summary>
/// <param name="clock">The time provenance records as the retrieval time; the system clock when null.</param>
public sealed class IngestionPipeline(ParserRegistry parsers, ICorpusWriter store, StructureChunker chunker, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<IngestSummary> RunAsync(IngestRequest request, IProgress<IngestProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await store.EnsureCorpusAsync(new CorpusInfo(request.Corpus, request.Language), cancellationToken).ConfigureAwait(false);
        var entries = SourceWalker.Walk(request.Root, request.Include).ToList();
        var failures = new ConcurrentBag<FileFailure>();
        int done = 0, added = 0, replaced = 0, unchanged = 0;
        long provisions = 0, chunks = 0, newVersions = 0;
        var context = new ParseContext(request.Corpus, request.Language, request.ActTitle, request.ActAbbreviation, request.Limits);

        void Report() => progress?.Report(new IngestProgress(entries.Count, Volatile.Read(ref done), Volatile.Read(ref added), Volatile.Read(ref replaced),
            Volatile.Read(ref unchanged), failures.Count, Interlocked.Read(ref provisions), Interlocked.Read(ref chunks), clock.Elapsed));

        Report();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.MaxParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(entries, options, async (entry, ct) =>
        {
            try
            {
                if (entry.Error is not null)
                {
                    failures.Add(new FileFailure(entry.RelativePath, entry.Error));
                    return;
                }
                var outcome = await IngestOneAsync(entry, request, context, ct).ConfigureAwait(false);
                switch (outcome.Outcome)
                {
                    case UpsertOutcome.Added: Interlocked.Increment(ref added); break;
                    case UpsertOutcome.Replaced: Interlocked.Increment(ref replaced); break;
                    default: Interlocked.Increment(ref unchanged); break;
                }
                Interlocked.Add(ref provisions, outcome.Provisions);
                Interlocked.Add(ref chunks, outcome.Chunks);
                Interlocked.Add(ref newVersions, outcome.NewVersions);
            }
            catch (DocumentRejectedException ex)
            {
                failures.Add(new FileFailure(entry.RelativePath, ex.Message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not StoreUnavailableException)
            {
                // An unexpected parser or I/O fault is still one file's problem, not the batch's; a store that cannot
                // be written (disk full, read-only) is every file's, so it stops the batch with its own message.
                failures.Add(new FileFailure(entry.RelativePath, $"{ex.GetType().Name}: {ex.Message}"));
            }
            finally
            {
                Interlocked.Increment(ref done);
                Report();
            }
        }).ConfigureAwait(false);

        var deleted = 0;
        var closed = 0;
        if (request.AsOf is { } asOf)
        {
            // A snapshot without a document means its act was gone that day: closed, kept for the law as it was.
            var present = entries.Where(e => e.Error is null).Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
            foreach (var path in await store.ListDocumentPathsAsync(request.Corpus, cancellationToken).ConfigureAwait(false))
                if (!present.Contains(path) && await store.CloseDocumentAsync(request.Corpus, path, asOf, cancellationToken).ConfigureAwait(false)) closed++;
        }
        else if (request.Prune)
        {
            var present = entries.Where(e => e.Error is null).Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
            foreach (var path in await store.ListDocumentPathsAsync(request.Corpus, cancellationToken).ConfigureAwait(false))
            {
                if (!present.Contains(path) && await store.DeleteDocumentAsync(request.Corpus, path, cancellationToken).ConfigureAwait(false)) deleted++;
            }
        }
        Report();
        var failureList = failures.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return new IngestSummary(added, replaced, unchanged, failureList, deleted, provisions, chunks, clock.Elapsed, closed, newVersions);
    }

    private async Task<(UpsertOutcome Outcome, int Provisions, int Chunks, int NewVersions)> IngestOneAsync(SourceEntry entry, IngestRequest request, ParseContext context, CancellationToken ct)
    {
        var info = new FileInfo(entry.FullPath);
        if (info.Length > request.Limits.MaxFileBytes)
            throw new DocumentRejectedException($"the file is {info.Length:N0} bytes, over the limit of {request.Limits.MaxFileBytes:N0} (IngestionLimits.MaxFileBytes)");
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(entry.FullPath, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new DocumentRejectedException($"the file cannot be read: {ex.Message}", ex);
        }
        var file = new SourceFile(entry.FullPath, entry.RelativePath, bytes);
        if (await store.GetDocumentHashAsync(request.Corpus, file.RelativePath, ct).ConfigureAwait(false) == file.ContentHash)
            return (UpsertOutcome.Unchanged, 0, 0, 0);
        if (bytes.Length == 0) throw new DocumentRejectedException("the file is empty");
        var parser = parsers.Find(file) ?? throw new DocumentRejectedException($"no parser reads '{file.Extension}' files with this content");
        var document = await parser.ParseAsync(file, context, ct).ConfigureAwait(false);
        // A parser (or a connector's source) that knows where its bytes came from says so; otherwise the folder ingest does.
        if (document.Provenance is null)
            document = document.WithProvenance(request.Origins?.GetValueOrDefault(file.RelativePath) is { } origin
                ? new Provenance(origin.SourceUrl, request.Publisher, origin.RetrievedAt, file.ContentHash)
                : new Provenance(request.SourceUrl ?? file.FullPath, request.Publisher, _clock.GetUtcNow(), file.ContentHash));
        var newVersions = 0;
        if (request.AsOf is { } asOf)
        {
            if (store is not IProvisionHistory history)
                throw new InvalidOperationException("this store keeps no provision versions, so it cannot ingest a snapshot (--as-of)");
            var stored = await history.GetDocumentProvisionsAsync(request.Corpus, file.RelativePath, ct).ConfigureAwait(false);
            var merged = Versions.SnapshotMerge.Merge(stored, document.Provisions, asOf);
            document = document.WithProvisions(merged.Provisions);
            newVersions = merged.NewVersions;
        }
        // References are language knowledge (Core), stored with the document so replacing it replaces its edges.
        document = document.WithReferences(Core.References.ReferenceExtractor.Extract(document));
        var documentChunks = chunker.Chunk(document);
        var outcome = await store.UpsertDocumentAsync(request.Corpus, document, documentChunks, ct).ConfigureAwait(false);
        return (outcome, document.Provisions.Count, documentChunks.Count, newVersions);
    }
}
