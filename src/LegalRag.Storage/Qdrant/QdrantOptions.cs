using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace LegalRag.Storage.Qdrant;

/// <summary>How corpora map onto Qdrant collections.</summary>
public enum QdrantTenancy
{
    /// <summary>One collection per corpus: corpora are dropped, snapshotted and sized independently.</summary>
    CollectionPerCorpus,
    /// <summary>One collection for all corpora, partitioned by the <c>corpus</c> payload field (a tenant index).</summary>
    SharedCollection,
}

/// <summary>Qdrant's distance functions, spelled as the API spells them.</summary>
public enum QdrantDistance { Cosine, Euclid, Dot, Manhattan }

/// <summary>Write ordering of a replicated collection.</summary>
public enum QdrantWriteOrdering { Weak, Medium, Strong }

/// <summary>
/// Settings of the Qdrant store, bound from configuration section <see cref="SectionName"/>
/// (environment: <c>LegalRag__Qdrant__Url</c>, <c>LegalRag__Qdrant__ApiKey</c>, ...).
/// The API key is read from configuration/environment only and never committed.
/// </summary>
public sealed partial class QdrantOptions : IValidatableObject
{
    public const string SectionName = "LegalRag:Qdrant";

    /// <summary>Qdrant's gRPC endpoint, e.g. http://localhost:6334 (the client speaks gRPC only; 6333 is the REST port).</summary>
    [Required] public string Url { get; set; } = "http://localhost:" + GrpcPort;

    /// <summary>Qdrant's default gRPC port.</summary>
    public const int GrpcPort = 6334;
    /// <summary>Qdrant's default REST port, which this client cannot talk to.</summary>
    public const int RestPort = 6333;

    /// <summary>Sent as the <c>api-key</c> call header when set. Supply it through the environment.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Prefix of every collection this store creates or reads; lets several deployments share a cluster.</summary>
    public string CollectionPrefix { get; set; } = "legalrag_";

    public QdrantTenancy Tenancy { get; set; } = QdrantTenancy.CollectionPerCorpus;

    /// <summary>Shards per collection at creation. More shards spread one corpus over more nodes.</summary>
    [Range(1, 1024)] public int ShardNumber { get; set; } = 1;

    /// <summary>Copies of each shard. 2 or more survives the loss of a node.</summary>
    [Range(1, 32)] public int ReplicationFactor { get; set; } = 1;

    /// <summary>Replicas that must acknowledge a write before it succeeds; at most <see cref="ReplicationFactor"/>.</summary>
    [Range(1, 32)] public int WriteConsistencyFactor { get; set; } = 1;

    /// <summary>Read consistency of searches on replicated collections: "majority", "quorum", "all" or a replica count. Null: Qdrant's default (one replica).</summary>
    public string? ReadConsistency { get; set; }

    /// <summary>Write ordering of updates; null uses Qdrant's default (weak).</summary>
    public QdrantWriteOrdering? WriteOrdering { get; set; }

    public string DenseVectorName { get; set; } = "dense";
    public string SparseVectorName { get; set; } = "sparse";

    /// <summary>Dimension of the embedding model's vectors. Must match the model: there is no sensible default.</summary>
    [Range(1, 65536)] public int DenseSize { get; set; }

    public QdrantDistance Distance { get; set; } = QdrantDistance.Cosine;

    /// <summary>Points per upsert request.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 256;

    /// <summary>Deadline of one call, its retries included (the gRPC deadline).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt when Qdrant is unavailable or overloaded (gRPC Unavailable,
    /// ResourceExhausted, Aborted); done by the gRPC channel's own retry policy.</summary>
    [Range(0, 10)] public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; grows 2× each retry (with the channel's jitter), capped at 10 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Largest response message accepted; a bigger one is an error, not an allocation.</summary>
    [Range(1024, int.MaxValue)] public int MaxResponseBytes { get; set; } = 64 << 20;

    /// <summary>BM25 saturation parameter applied to sparse term weights at indexing time.</summary>
    [Range(0.0, 10.0)] public double Bm25K1 { get; set; } = 1.2;

    /// <summary>BM25 length normalisation; 0 ignores chunk length.</summary>
    [Range(0.0, 1.0)] public double Bm25B { get; set; } = 0.75;

    /// <summary>Assumed average chunk length in terms; Qdrant cannot know it when weights are computed client-side.</summary>
    [Range(1.0, 100_000.0)] public double Bm25AverageLength { get; set; } = 200;

    /// <summary>How many times a heading term counts, against once for a body term.</summary>
    [Range(0, 10)] public int HeadingWeight { get; set; } = 2;

    /// <summary>Candidates each side (dense, sparse) contributes before reciprocal-rank fusion, per result asked.</summary>
    [Range(1, 20)] public int HybridPrefetchFactor { get; set; } = 4;

    [GeneratedRegex("^[A-Za-z0-9_-]{0,64}$")]
    private static partial Regex NamePartRegex();

    [GeneratedRegex("^(majority|quorum|all|[1-9][0-9]{0,2})$")]
    private static partial Regex ReadConsistencyRegex();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            yield return new ValidationResult($"Qdrant Url '{Url}' is not an absolute http(s) URL.", [nameof(Url)]);
        else if (uri.Port == RestPort)
            yield return new ValidationResult($"Qdrant Url '{Url}' names port {RestPort}, Qdrant's REST port; LegalRag talks gRPC, on port {GrpcPort} by default.", [nameof(Url)]);
        if (!NamePartRegex().IsMatch(CollectionPrefix))
            yield return new ValidationResult($"CollectionPrefix '{CollectionPrefix}' may hold only letters, digits, '_' and '-' (at most 64).", [nameof(CollectionPrefix)]);
        if (WriteConsistencyFactor > ReplicationFactor)
            yield return new ValidationResult($"WriteConsistencyFactor ({WriteConsistencyFactor}) cannot exceed ReplicationFactor ({ReplicationFactor}): writes could never succeed.", [nameof(WriteConsistencyFactor)]);
        if (string.IsNullOrWhiteSpace(DenseVectorName) || !NamePartRegex().IsMatch(DenseVectorName))
            yield return new ValidationResult($"DenseVectorName '{DenseVectorName}' must be a non-empty name of letters, digits, '_' or '-'.", [nameof(DenseVectorName)]);
        if (string.IsNullOrWhiteSpace(SparseVectorName) || !NamePartRegex().IsMatch(SparseVectorName))
            yield return new ValidationResult($"SparseVectorName '{SparseVectorName}' must be a non-empty name of letters, digits, '_' or '-'.", [nameof(SparseVectorName)]);
        if (string.Equals(DenseVectorName, SparseVectorName, StringComparison.Ordinal))
            yield return new ValidationResult("DenseVectorName and SparseVectorName must differ.", [nameof(SparseVectorName)]);
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
            yield return new ValidationResult($"Timeout {Timeout} must be positive and at most 10 minutes.", [nameof(Timeout)]);
        // The gRPC retry policy needs a positive initial backoff.
        if (RetryBaseDelay <= TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromSeconds(10))
            yield return new ValidationResult($"RetryBaseDelay {RetryBaseDelay} must be positive and at most 10 seconds.", [nameof(RetryBaseDelay)]);
        if (ReadConsistency is not null && !ReadConsistencyRegex().IsMatch(ReadConsistency))
            yield return new ValidationResult($"ReadConsistency '{ReadConsistency}' must be majority, quorum, all or a replica count.", [nameof(ReadConsistency)]);
    }

    /// <summary>All problems with these options, attributes and cross-field rules together; empty when valid.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        // Validator skips IValidatableObject when attribute checks failed; run it anyway so every problem shows at once.
        var messages = results.Select(r => r.ErrorMessage ?? "invalid").ToList();
        foreach (var extra in Validate(new ValidationContext(this)))
            if (!messages.Contains(extra.ErrorMessage ?? "")) messages.Add(extra.ErrorMessage ?? "invalid");
        if (DenseSize <= 0 && !messages.Any(m => m.Contains(nameof(DenseSize), StringComparison.Ordinal)))
            messages.Add("DenseSize must be set to the embedding model's dimension.");
        return messages;
    }

    /// <summary>Throws one exception listing every problem, so a misconfiguration fails at start, not at the first query.</summary>
    public void ThrowIfInvalid()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
            throw new QdrantConfigurationException("Invalid Qdrant configuration (" + SectionName + "): " + string.Join(" ", errors));
    }
}
