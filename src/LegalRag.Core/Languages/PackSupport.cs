using LegalRag.Core.Domain;

namespace LegalRag.Core.Languages;

/// <summary>Small helpers the packs share.</summary>
internal static class PackSupport
{
    /// <summary>A set from a space-separated word list, as the lists are written in the packs.</summary>
    public static IReadOnlySet<string> Words(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>"Act Art. 5(2)(a)": the citation of a language without a style of its own.</summary>
    public static string GenericCitation(string act, string number, string? paragraph, string? item) =>
        $"{act} Art. {number}" + (paragraph is null ? "" : $"({paragraph})") + (item is null ? "" : $"({item})");
}
