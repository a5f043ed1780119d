using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsers.Markdown;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Pipeline;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Ingestion.Tests.Pipeline;

/// <summary>Every ingested document records where and when its bytes were read.</summary>
public sealed class ProvenanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Keeps what it is given; every document is new.</summary>
    private sealed class RecordingWriter : ICorpusWriter
    {
        public List<LegalDocument> Documents { get; } = [];
        public Task EnsureCorpusAsync(CorpusInfo corpus, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<string?> GetDocumentHashAsync(string corpus, string sourcePath, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
        public Task<UpsertOutcome> UpsertDocumentAsync(string corpus, LegalDocument document, IReadOnlyList<Chunk> chunks, CancellationToken cancellationToken)
        {
            lock (Documents) Documents.Add(document);
            return Task.FromResult(UpsertOutcome.Added);
        }
        public Task<IReadOnlyList<string>> ListDocumentPathsAsync(string corpus, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
        public Task<bool> DeleteDocumentAsync(string corpus, string sourcePath, CancellationToken cancellationToken) => Task.FromResult(false);
        public Task<bool> CloseDocumentAsync(string corpus, string sourcePath, DateOnly closedOn, CancellationToken cancellationToken) => Task.FromResult(false);
        public Task<IReadOnlyList<CorpusSummary>> ListCorporaAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<CorpusSummary>>([]);
        public Task<bool> RemoveCorpusAsync(string corpus, CancellationToken cancellationToken) => Task.FromResult(false);
        public Task<StoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreStatistics(0, 0, 0, 0, 0));
    }

    private const string Act = """
        ---
        Title: Mietgesetz
        jurabk: MietG
        ---
        ### § 1 Miete
        Der Mieter zahlt die Miete.
        """;

    private static async Task<LegalDocument> IngestAsync(TempDirectory dir, string? publisher, string? sourceUrl)
    {
        var writer = new RecordingWriter();
        var pipeline = new IngestionPipeline(new ParserRegistry([new MarkdownStatuteParser()]), writer, new StructureChunker(), new FixedClock(Now));
        var summary = await pipeline.RunAsync(new IngestRequest { Root = dir.Path, Corpus = "c", Language = "de", Publisher = publisher, SourceUrl = sourceUrl, MaxParallelism = 1 }, null, Ct);
        Assert.Empty(summary.Failures);
        return Assert.Single(writer.Documents);
    }

    [Fact]
    public async Task A_folder_ingest_records_the_file_path_the_time_and_the_hash()
    {
        using var dir = new TempDirectory("provenance");
        var path = dir.File("m/mietg/index.md", Act);

        var provenance = Assert.IsType<Provenance>((await IngestAsync(dir, null, null)).Provenance);

        Assert.Equal(Path.GetFullPath(path), provenance.Source);
        Assert.False(provenance.IsUrl);
        Assert.Null(provenance.Publisher);
        Assert.Equal(Now, provenance.RetrievedAt);
        Assert.Equal(Hashing.Sha256Hex(File.ReadAllBytes(path)), provenance.ContentHash);
    }

    [Fact]
    public async Task A_manifest_names_the_publisher_and_the_source_address()
    {
        using var dir = new TempDirectory("provenance");
        dir.File("m/mietg/index.md", Act);

        var provenance = Assert.IsType<Provenance>((await IngestAsync(dir, "Bundesministerium der Justiz", "https://www.gesetze-im-internet.de/")).Provenance);

        Assert.Equal(("https://www.gesetze-im-internet.de/", "Bundesministerium der Justiz"), (provenance.Source, provenance.Publisher));
        Assert.True(provenance.IsUrl);
    }
}
