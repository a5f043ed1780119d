using LegalRag.Storage.Sqlite;
using LegalRag.Storage.Tests.Conformance;
using LegalRag.TestSupport;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>The storage conformance suite on the embedded store: always runs.</summary>
public sealed class SqliteConformanceTests : StoreConformanceTests
{
    protected override string? SkipReason => null;

    protected override async Task<StoreUnderTest> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var dir = new TempDirectory("conformance");
        var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = dir.Path }, cancellationToken);
        return new StoreUnderTest(store, store, store, store,
            (corpus, document, chunks, vectors, ct) => store.UpsertDocumentAsync(corpus, document, chunks, vectors, ct),
            Hybrid: null,
            Cleanup: () =>
            {
                store.Dispose();
                dir.Dispose();
                return ValueTask.CompletedTask;
            });
    }
}
