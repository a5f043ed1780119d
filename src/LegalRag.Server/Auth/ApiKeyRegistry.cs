using System.Security.Cryptography;
using System.Text;
using LegalRag.Server.Configuration;

namespace LegalRag.Server.Auth;

/// <summary>A caller known by its key.</summary>
public sealed record ApiCaller(string Name, string Role);

/// <summary>
/// The configured API keys, held as SHA-256 hashes: a lookup compares hashes, never the keys
/// themselves, so neither timing nor a memory dump of the table gives a key away.
/// </summary>
public sealed class ApiKeyRegistry
{
    public const string EnvironmentVariable = "LEGALRAG_API_KEYS";
    private readonly Dictionary<string, ApiCaller> _byHash = new(StringComparer.Ordinal);

    public ApiKeyRegistry(IEnumerable<ApiKeySetting> keys)
    {
        var i = 0;
        foreach (var key in keys)
        {
            i++;
            var role = key.Role.Trim().ToLowerInvariant();
            if (!Roles.IsKnown(role)) throw new InvalidOperationException($"LegalRag:Auth:Keys:{i - 1}:Role: unknown role '{key.Role}' (use reader, evaluator or admin)");
            if (key.Key.Length < 16) throw new InvalidOperationException($"LegalRag:Auth:Keys:{i - 1}:Key: an API key must have at least 16 characters");
            _byHash[Hash(key.Key)] = new ApiCaller(string.IsNullOrWhiteSpace(key.Name) ? $"key-{i}" : key.Name!, role);
        }
    }

    public int Count => _byHash.Count;

    /// <summary>The development key generated at start when none is configured (loopback only), else null.</summary>
    public string? DevelopmentKey { get; private set; }

    public ApiCaller? Find(string presentedKey) =>
        presentedKey.Length is > 0 and < 512 && _byHash.TryGetValue(Hash(presentedKey), out var caller) ? caller : null;

    /// <summary>Adds a random admin key that lives as long as this process: for the quick start on loopback.</summary>
    public string AddDevelopmentKey()
    {
        DevelopmentKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _byHash[Hash(DevelopmentKey)] = new ApiCaller("dev", Roles.Admin);
        return DevelopmentKey;
    }

    /// <summary>Parses LEGALRAG_API_KEYS: "key1:admin,key2:reader[:name]".</summary>
    public static List<ApiKeySetting> ParseEnvironment(string? value)
    {
        var list = new List<ApiKeySetting>();
        if (string.IsNullOrWhiteSpace(value)) return list;
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':');
            if (parts.Length is < 2 or > 3) throw new InvalidOperationException($"{EnvironmentVariable}: entry must be key:role or key:role:name");
            list.Add(new ApiKeySetting { Key = parts[0], Role = parts[1], Name = parts.Length == 3 ? parts[2] : null });
        }
        return list;
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
