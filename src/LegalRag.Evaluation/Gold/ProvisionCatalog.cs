using LegalRag.Core.Domain;

namespace LegalRag.Evaluation.Gold;

/// <summary>
/// An in-memory gold resolver and text lookup over parsed documents, e.g. the public sets' own corpora
/// straight from their importers, without a store. The store-backed implementation is the normal path.
/// </summary>
public sealed class ProvisionCatalog : IGoldResolver, IProvisionTextLookup
{
    private readonly Dictionary<string, string> _keyByCitation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _keysWithoutAct = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Provision> _byKey = new(StringComparer.Ordinal);

    public ProvisionCatalog(IEnumerable<LegalDocument> documents)
    {
        foreach (var document in documents)
        {
            foreach (var provision in document.Provisions)
            {
                if (!_byKey.TryAdd(provision.Key, provision)) continue;
                var key = CitationKey.Of(provision.Citation);
                if (key is null) continue;
                _keyByCitation.TryAdd(key, provision.Key);
                var bare = CitationKey.WithoutAct(key)!;
                if (!_keysWithoutAct.TryGetValue(bare, out var list)) _keysWithoutAct[bare] = list = [];
                list.Add(provision.Key);
            }
        }
    }

    public int Count => _byKey.Count;

    public Provision? Get(string provisionKey) => _byKey.GetValueOrDefault(provisionKey);

    public Task<string?> ResolveAsync(string citation, string? corpus, CancellationToken cancellationToken)
    {
        var key = CitationKey.Of(citation);
        if (key is null) return Task.FromResult<string?>(null);
        if (CitationKey.NamesAct(key)) return Task.FromResult(_keyByCitation.GetValueOrDefault(key));
        // A citation without an act resolves only when exactly one act has that provision.
        return Task.FromResult(_keysWithoutAct.TryGetValue(CitationKey.WithoutAct(key)!, out var keys) && keys.Count == 1 ? keys[0] : null);
    }

    public Task<string?> GetTextAsync(string provisionKey, CancellationToken cancellationToken)
    {
        if (!_byKey.TryGetValue(provisionKey, out var provision)) return Task.FromResult<string?>(null);
        var text = string.IsNullOrEmpty(provision.Heading) ? provision.Text : provision.Heading + "\n\n" + provision.Text;
        return Task.FromResult<string?>(text);
    }
}
