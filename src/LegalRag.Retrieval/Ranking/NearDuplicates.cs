using System.Text;
using LegalRag.Core.Abstractions;

namespace LegalRag.Retrieval.Ranking;

/// <summary>
/// Provisions with the same normalised text are one hit: tariff annexes repeated in one act, the same
/// commencement clause in a hundred acts. Results never show the same text twice; the best-placed copy stays.
/// </summary>
public static class NearDuplicates
{
    /// <summary>The text with case, punctuation and spacing removed, hashed (digits stay: "3 Monate" is not "6 Monate").</summary>
    public static string Fingerprint(StoredProvision provision)
    {
        var text = provision.Provision.Text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        // A provision with (almost) no words, e.g. a table of numbers, is never a duplicate of another.
        if (sb.Length < 24) return provision.Key;
        return LegalRag.Core.Domain.Hashing.Sha256Hex(sb.ToString());
    }
}
