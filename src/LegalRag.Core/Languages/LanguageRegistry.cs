namespace LegalRag.Core.Languages;

/// <summary>
/// The language packs, keyed by code. The list is explicit: a new language is one more entry here and
/// its folder, nothing found by name or reflection. Order matters where languages compete (detecting a
/// question's language breaks ties in this order).
/// </summary>
public sealed class LanguageRegistry
{
    private readonly Dictionary<string, ILegalLanguage> _byCode;

    public LanguageRegistry(IEnumerable<ILegalLanguage> languages)
    {
        All = languages.ToList();
        _byCode = new Dictionary<string, ILegalLanguage>(StringComparer.Ordinal);
        foreach (var language in All)
        {
            if (!_byCode.TryAdd(language.Code, language))
                throw new ArgumentException($"Two language packs have the code '{language.Code}'.", nameof(languages));
        }
    }

    /// <summary>Every pack LegalRag ships. Immutable, so one shared instance serves every caller.</summary>
    public static LanguageRegistry Default { get; } = new(
    [
        new GermanLanguage(),
        new FrenchLanguage(),
        new DutchLanguage(),
        new EnglishLanguage(),
        new EstonianLanguage(),
    ]);

    public IReadOnlyList<ILegalLanguage> All { get; }

    public IEnumerable<string> Codes => All.Select(l => l.Code);

    /// <summary>"de-DE" → "de", lowercased; the first two letters name the language.</summary>
    public static string NormalizeCode(string language) =>
        (language.Length >= 2 ? language[..2] : language).ToLowerInvariant();

    /// <summary>The pack of a language ("de", "de-DE", "FR"), or null when LegalRag has none.</summary>
    public ILegalLanguage? Find(string? language) =>
        string.IsNullOrWhiteSpace(language) ? null : _byCode.GetValueOrDefault(NormalizeCode(language));

    /// <summary>The pack answers are written with: the language's own, else English, which every text here has.</summary>
    public ILegalLanguage ForAnswers(string? language) => Find(language) ?? _byCode["en"];
}
