using LegalRag.Core.Text;

namespace LegalRag.Storage.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>The data folder; the database is <c>legalrag.db</c> inside it.</summary>
    public required string DataDirectory { get; init; }
    public string FileName { get; init; } = "legalrag.db";
    public AnalyzerOptions Analyzer { get; init; } = AnalyzerOptions.Default;
    /// <summary>The embedding model whose vectors dense search uses (its identity: name plus file hash).</summary>
    public string VectorModel { get; init; } = "default";

    /// <summary>A size limit for the database file (a quota; also how tests meet a full disk); none when null.</summary>
    public long? MaxDatabaseBytes { get; init; }

    public string DatabasePath => Path.Combine(DataDirectory, FileName);
}
