using LegalRag.Storage.Qdrant;
using LegalRag.Storage.Tests.Conformance;
using Xunit;

namespace LegalRag.Storage.Tests.Qdrant;

/// <summary>
/// The storage conformance suite against a real Qdrant at <c>QDRANT_URL</c>, its gRPC endpoint (e.g. http://localhost:6334,
/// started by <c>docker compose --profile qdrant up qdrant</c> or tools/run-qdrant.sh); <c>QDRANT_API_KEY</c>
/// when the server needs one. Skipped when QDRANT_URL is not set. Each test gets collections of its own
/// (a unique prefix) and deletes them afterwards.
/// </summary>
public class QdrantConformanceTests : StoreConformanceTests
{
    protected virtual QdrantTenancy Tenancy => QdrantTenancy.CollectionPerCorpus;

    protected override string? SkipReason =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("QDRANT_URL"))
            ? "QDRANT_URL is not set: no Qdrant server to run the storage conformance suite against. Set it to Qdrant's gRPC endpoint, e.g. QDRANT_URL=http://localhost:6334 (see docs/qdrant.md)."
            : null;

    protected override Task<StoreUnderTest> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var options = new QdrantOptions
        {
            Url = Environment.GetEnvironmentVariable("QDRANT_URL")!,
            ApiKey = Environment.GetEnvironmentVariable("QDRANT_API_KEY"),
            CollectionPrefix = $"conformance_{Guid.NewGuid():N}"[..21] + "_",
            Tenancy = Tenancy,
            DenseSize = TestEmbedder.Dimension,
            MaxRetries = 2,
        };
        var store = QdrantStore.Create(options);
        return Task.FromResult(new StoreUnderTest(
            store, store, store, store,
            (corpus, document, chunks, vectors, ct) => store.UpsertDocumentAsync(corpus, document, chunks, vectors, ct),
            store.SearchHybridAsync,
            async () =>
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                foreach (var name in await store.Client.ListCollectionsAsync(cts.Token))
                    if (name.StartsWith(options.CollectionPrefix, StringComparison.Ordinal))
                        await store.Client.DeleteCollectionAsync(name, cancellationToken: cts.Token);
                store.Dispose();
            }));
    }
}

/// <summary>The same suite with all corpora in one collection, partitioned by the tenant field.</summary>
public sealed class QdrantSharedCollectionConformanceTests : QdrantConformanceTests
{
    protected override QdrantTenancy Tenancy => QdrantTenancy.SharedCollection;
}
