namespace LegalRag.Core.Abstractions;

/// <summary>What kind of inconsistency a verification found; decides how <see cref="IStoreVerification.RepairAsync"/> mends it.</summary>
public enum StoreProblemKind
{
    /// <summary>The database file itself is damaged (SQLite integrity_check). Not repairable in place: restore or rebuild.</summary>
    FileDamaged,
    /// <summary>A document is not whole: rows missing or altered against what was recorded when it was written.
    /// Repair removes it so that the next ingest stores it again.</summary>
    DamagedDocument,
    /// <summary>Rows that belong to nothing (a chunk without its provision, a vector without its chunk…). Repair deletes them.</summary>
    Orphans,
    /// <summary>The full-text index disagrees with the chunks. Repair rebuilds it from the stored chunk texts.</summary>
    LexicalIndexOutOfStep,
}

/// <summary>One inconsistency, said so that a person can act on it.</summary>
/// <param name="Corpus">The corpus it concerns; null when it concerns the whole store (orphans, the file).</param>
/// <param name="SourcePath">The document it concerns, for <see cref="StoreProblemKind.DamagedDocument"/>.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Repair">How to repair it.</param>
public sealed record StoreProblem(StoreProblemKind Kind, string? Corpus, string? SourcePath, string Message, string Repair);

/// <summary>Row counts of one corpus (or of the whole store when <see cref="Corpus"/> is null), as verification found them.</summary>
/// <param name="IndexRows">Full-text rows (SQLite FTS) or chunk points (Qdrant) found for the corpus's chunks.</param>
public sealed record VerificationCounts(string? Corpus, long Documents, long Provisions, long Chunks, long IndexRows, long Vectors);

/// <summary>The outcome of a verification: consistent when there are no problems.</summary>
/// <param name="Notes">Facts worth knowing that are not problems (e.g. documents stored before wholeness was recorded).</param>
public sealed record VerificationReport(IReadOnlyList<VerificationCounts> Counts, IReadOnlyList<StoreProblem> Problems, IReadOnlyList<string> Notes)
{
    public bool IsConsistent => Problems.Count == 0;
}

/// <summary>A document repair removed; the corpus's ingest stores it again.</summary>
public sealed record RemovedDocument(string Corpus, string SourcePath, string Reason);

/// <summary>What a repair did, and the verification after it.</summary>
/// <param name="Actions">One line per thing done ("deleted 3 orphan chunks", "rebuilt the full-text index").</param>
/// <param name="Removed">Damaged documents removed; they must be ingested again.</param>
/// <param name="After">The verification run after the repair.</param>
public sealed record RepairReport(IReadOnlyList<string> Actions, IReadOnlyList<RemovedDocument> Removed, VerificationReport After);

/// <summary>
/// The checks a crash must never break, and their repair: offered by stores that can check themselves
/// (the embedded SQLite store; Qdrant against its document markers).
/// </summary>
public interface IStoreVerification
{
    /// <summary>Checks the store; with <paramref name="corpus"/>, that corpus's documents only (file-level checks always run).</summary>
    Task<VerificationReport> VerifyAsync(string? corpus, CancellationToken cancellationToken);

    /// <summary>Deletes orphans, rebuilds what is derived, removes damaged documents (to be ingested again), then verifies.</summary>
    Task<RepairReport> RepairAsync(string? corpus, CancellationToken cancellationToken);
}

/// <summary>
/// The store cannot be written (disk full, read-only folder, no permission) or opened. Thrown instead of the
/// backend's own exception so that callers stop the batch with one clear line instead of failing file by file;
/// the store is left as it was before the failed write (each write is one transaction).
/// </summary>
public sealed class StoreUnavailableException(string location, string reason, Exception? inner = null)
    : IOException($"data folder {location}: {reason}", inner)
{
    /// <summary>The data folder (or server) concerned.</summary>
    public string Location { get; } = location;
    public string Reason { get; } = reason;
}
