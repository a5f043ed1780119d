using LegalRag.Core.Domain;
using LegalRag.Core.Versions;

namespace LegalRag.Ingestion.Versions;

/// <summary>
/// A snapshot ("this folder is the corpus as of DATE") against what is stored of one document: provisions whose text
/// is unchanged keep their version; a changed or new text becomes a new version from DATE, closing the one it
/// replaces; a provision the snapshot no longer has is closed on DATE. Nothing is deleted. A second snapshot of the
/// same day replaces that day's version (the later wins); an older snapshot ingested late ends where the next known
/// version begins.
/// </summary>
public static class SnapshotMerge
{
    /// <summary>What the merge changed, for the ingest's report.</summary>
    public sealed record Result(IReadOnlyList<Provision> Provisions, int NewVersions, int Unchanged, int Closed);

    public static Result Merge(IReadOnlyList<Provision> stored, IReadOnlyList<Provision> snapshot, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(snapshot);
        var byBase = new Dictionary<string, List<Provision>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var p in stored)
        {
            var b = ProvisionVersions.BaseKey(p.Key);
            if (!byBase.TryGetValue(b, out var list)) { byBase[b] = list = []; order.Add(b); }
            list.Add(p);
        }
        int added = 0, unchanged = 0, closed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in snapshot)
        {
            var b = ProvisionVersions.BaseKey(s.Key);
            if (!seen.Add(b)) throw new ArgumentException($"the snapshot holds provision '{b}' twice", nameof(snapshot));
            if (!byBase.TryGetValue(b, out var versions)) { byBase[b] = versions = []; order.Add(b); }
            var current = CurrentAt(versions, asOf);
            if (current is not null && ProvisionVersions.SameText(current, s)) { unchanged++; continue; }
            var from = s.ValidFrom ?? asOf;
            // The next version already known (an older snapshot ingested after a newer one) bounds this one.
            var next = versions.Where(v => v.ValidFrom > from).Select(v => v.ValidFrom).Min();
            var to = s.ValidTo ?? next;
            if (current is not null)
            {
                versions.Remove(current);
                // Same day: the later text replaces that day's version instead of leaving one in force for no day.
                if (current.ValidFrom != from)
                    versions.Add(ProvisionVersions.With(current, validTo: from, setValidTo: true));
                else to = s.ValidTo ?? current.ValidTo;
            }
            versions.Add(ProvisionVersions.With(s, key: b, validFrom: from, validTo: to, setValidTo: true));
            added++;
        }
        foreach (var b in order.Where(b => !seen.Contains(b)))
        {
            var versions = byBase[b];
            if (CurrentAt(versions, asOf) is not { } gone) continue;
            versions.Remove(gone);
            versions.Add(ProvisionVersions.With(gone, validTo: asOf, setValidTo: true));
            closed++;
        }
        // Keys last: a provision that now has several versions gives each its start date.
        var merged = order.SelectMany(b => byBase[b].OrderBy(v => v.ValidFrom ?? DateOnly.MinValue).Select(v => ProvisionVersions.With(v, key: b))).ToList();
        return new Result(ProvisionVersions.AssignKeys(merged), added, unchanged, closed);
    }

    /// <summary>The version in force on the day, the latest start winning; null when none is.</summary>
    private static Provision? CurrentAt(List<Provision> versions, DateOnly day) =>
        versions.Where(v => Validity.InForce(v.ValidFrom, v.ValidTo, day)).OrderByDescending(v => v.ValidFrom ?? DateOnly.MinValue).FirstOrDefault();
}
