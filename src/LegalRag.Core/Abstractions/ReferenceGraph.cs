namespace LegalRag.Core.Abstractions;

/// <summary>A provision at the other end of a reference, as people read it and as the store knows it.</summary>
public sealed record ReferencedProvision(string ProvisionKey, string Citation);

/// <summary>What a provision cites, and what cites it. Self-references are never listed.</summary>
public sealed record ProvisionReferences(string ProvisionKey, IReadOnlyList<ReferencedProvision> RefersTo, IReadOnlyList<ReferencedProvision> ReferredToBy)
{
    public static ProvisionReferences Empty(string provisionKey) => new(provisionKey, [], []);
}

/// <summary>How many references a corpus's texts make and how many of them point at a stored provision.</summary>
public sealed record ReferenceStatistics(string Corpus, long Found, long Resolved)
{
    public double ResolvedShare => Found == 0 ? 0 : (double)Resolved / Found;
}

/// <summary>
/// The cross-reference graph between provisions ("§ 573 BGB refers to § 574 BGB"). Retrieval uses the
/// in-degree as a static prior: a provision many others cite is more often the one asked about.
/// </summary>
public interface IReferenceGraph
{
    /// <summary>Cited-by counts: distinct citing provisions, excluding self; keys without any are absent or 0.</summary>
    Task<IReadOnlyDictionary<string, int>> GetInDegreesAsync(IReadOnlyCollection<string> provisionKeys, CancellationToken cancellationToken);

    /// <summary>Cites and cited-by of one provision, with citations; empty lists when it has none or is unknown.</summary>
    Task<ProvisionReferences> GetReferencesAsync(string provisionKey, CancellationToken cancellationToken);
}

/// <summary>
/// Resolves references whose target was not yet stored when their document was written (a later file,
/// another act, a replaced target), and reports the state per corpus. Ingest calls it at its end.
/// </summary>
public interface IReferenceResolution
{
    Task<IReadOnlyList<ReferenceStatistics>> ResolveReferencesAsync(string? corpus, CancellationToken cancellationToken);
}
