using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Evaluation.Gold;

/// <summary>
/// An in-memory gold resolver and text lookup over parsed documents, e.g. the public sets' own corpora
/// straight from their importers, without a store. The store-backed implementation is the normal path.
/// </summary>
public sealed class ProvisionCatalog : IGoldResolver, IProvisionTextLookup
{
    private readonly CitationIndex _citations = new();
    private readonly Dictionary<string, Provision> _byKey = new(StringComparer.Ordinal);

    public ProvisionCatalog(IEnumerable<LegalDocument> documents)
    {
        foreach (var document in documents)
        {
            // A provision key seen before (the same act imported twice) keeps its first text and citation.
            var fresh = document.Provisions.Where(p => _byKey.TryAdd(p.Key, p)).ToList();
            if (fresh.Count == 0) continue;
            _citations.Add(document.Provisions.Count == fresh.Count ? document : new LegalDocument
            {
                SourcePath = document.SourcePath, ContentHash = document.ContentHash, Language = document.Language,
                Title = document.Title, Abbreviation = document.Abbreviation, Aliases = document.Aliases, Format = document.Format, Provisions = fresh,
            });
        }
    }

    public int Count => _byKey.Count;

    public Provision? Get(string provisionKey) => _byKey.GetValueOrDefault(provisionKey);

    /// <summary>By the stores' rules (aliases included: "§ 147 AO" finds "AO 1977"); a citation without an act
    /// resolves only when exactly one act has that provision.</summary>
    public Task<string?> ResolveAsync(string citation, string? corpus, CancellationToken cancellationToken)
    {
        if (!CitationParser.TryParse(citation, out var reference)) return Task.FromResult<string?>(null);
        var found = _citations.Resolve(reference);
        return Task.FromResult(reference.Act is null ? (found.Count == 1 ? found[0] : null) : found.FirstOrDefault());
    }

    public Task<string?> GetTextAsync(string provisionKey, CancellationToken cancellationToken)
    {
        if (!_byKey.TryGetValue(provisionKey, out var provision)) return Task.FromResult<string?>(null);
        var text = string.IsNullOrEmpty(provision.Heading) ? provision.Text : provision.Heading + "\n\n" + provision.Text;
        return Task.FromResult<string?>(text);
    }
}
