using LegalRag.Core.Domain;

namespace LegalRag.Core.Citations;

/// <summary>
/// Citation lookup over parsed documents in memory, by the stores' rules: the number, then the act by its
/// aliases (<see cref="ActAliases"/>), then <see cref="CitationMatches"/>. For catalogues built straight
/// from importers and for tests that check citations without a store.
/// </summary>
public sealed class CitationIndex
{
    private readonly Dictionary<string, List<(string Key, ProvisionKind Kind, Dictionary<string, ActAliasTier> Aliases)>> _byNumber = new(StringComparer.Ordinal);

    public void Add(LegalDocument document)
    {
        var aliases = ActAliases.Derive(document).ToDictionary(a => a.Key, a => a.Tier, StringComparer.Ordinal);
        foreach (var p in document.Provisions)
        {
            var n = CitationReference.NormalizeNumber(p.Number);
            if (!_byNumber.TryGetValue(n, out var list)) _byNumber[n] = list = [];
            list.Add((p.Key, p.Kind, aliases));
        }
    }

    /// <summary>The keys of the provisions the citation names: one, several when it is ambiguous, none when unknown.</summary>
    public IReadOnlyList<string> Resolve(CitationReference reference)
    {
        if (!_byNumber.TryGetValue(CitationReference.NormalizeNumber(reference.Number), out var list)) return [];
        var keys = reference.Act is null ? [] : ActAliases.QueryKeys(reference.Act);
        var candidates = new List<CitationCandidate<string>>();
        foreach (var (key, kind, aliases) in list)
        {
            if (reference.Act is null) { candidates.Add(new(key, ActAliasTier.Canonical, kind)); continue; }
            ActAliasTier? best = null;
            foreach (var k in keys)
                if (aliases.TryGetValue(k, out var tier) && (best is null || tier < best)) best = tier;
            if (best is { } b) candidates.Add(new(key, b, kind));
        }
        return CitationMatches.Select(candidates, reference.Kind);
    }
}
