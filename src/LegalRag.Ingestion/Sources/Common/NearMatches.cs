namespace LegalRag.Ingestion.Sources.Common;

/// <summary>
/// The names a mistyped selection probably meant ("stvo" → "stvo_2013", "bgbb" → "bgb"), so an error about an
/// unknown item can say what to write instead.
/// </summary>
public static class NearMatches
{
    /// <summary>Up to <paramref name="max"/> names close to <paramref name="wanted"/>, the closest first: names that
    /// extend it (a year or number suffix) and names a few edits away (a quarter of its length, at least two).</summary>
    public static IReadOnlyList<string> Of(string wanted, IEnumerable<string> names, int max = 5)
    {
        var query = wanted.ToLowerInvariant();
        var allowed = Math.Max(2, query.Length / 4);
        return names
            .Select(name => (Name: name, Distance: Distance(query, name.ToLowerInvariant())))
            .Where(x => x.Distance <= allowed)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name.Length).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Name)
            .ToList();
    }

    private static int Distance(string query, string name)
    {
        // A name that starts with the query is what was meant more often than any one-letter typo.
        if (name.Length > query.Length && name.StartsWith(query, StringComparison.Ordinal)) return 1;
        return Levenshtein(query, name);
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
