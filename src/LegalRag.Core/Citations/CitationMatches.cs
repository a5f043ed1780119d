using LegalRag.Core.Domain;

namespace LegalRag.Core.Citations;

/// <summary>A provision that a citation could mean, with how well the act named matched it.</summary>
/// <param name="Tier">The alias tier by which the act matched; <see cref="ActAliasTier.Canonical"/> when no act was named.</param>
public sealed record CitationCandidate<T>(T Item, ActAliasTier Tier, ProvisionKind Kind);

/// <summary>
/// The one policy for choosing among the provisions a citation could mean, shared by the stores and the
/// in-memory catalogues so that "§ 147 AO" resolves alike everywhere: the act named by its canonical
/// name beats one named by a derived abbreviation, which beats one named by its title; then the kind asked
/// for (§ vs Art.) beats the other. What is left after that is reported as several matches.
/// </summary>
public static class CitationMatches
{
    public static IReadOnlyList<T> Select<T>(IEnumerable<CitationCandidate<T>> candidates, ProvisionKind kind)
    {
        var list = candidates.ToList();
        if (list.Count == 0) return [];
        var best = list.Min(c => c.Tier);
        var atBest = list.Where(c => c.Tier == best).ToList();
        // "§ 573" and "Art. 573" are different provisions where an act has both; prefer the kind asked for.
        var sameKind = atBest.Where(c => c.Kind == kind).ToList();
        return (sameKind.Count > 0 ? sameKind : atBest).Select(c => c.Item).ToList();
    }
}
