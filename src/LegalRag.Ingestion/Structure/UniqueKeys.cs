namespace LegalRag.Ingestion.Structure;

/// <summary>
/// Provision keys of one document, made unique with a suffix: the first "…/s3", then "…/s3~2", "…/s3~3". Each key
/// remembers the next suffix to try (keys are never released, so every suffix below it is taken): probing from ~2
/// for every duplicate made n provisions of one number cost n² probes, and a file repeating "§ 3" 100,000 times
/// (the fuzzer's) took minutes in every reader.
/// </summary>
internal sealed class UniqueKeys
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextSuffix = new(StringComparer.Ordinal);

    /// <summary>The key itself when it is free, else the key with the first free suffix; either is taken from now on.</summary>
    public string Claim(string key)
    {
        if (_taken.Add(key)) return key;
        for (var i = _nextSuffix.GetValueOrDefault(key, 2); ; i++)
        {
            var candidate = $"{key}~{i}";
            if (!_taken.Add(candidate)) continue;
            _nextSuffix[key] = i + 1;
            return candidate;
        }
    }
}
