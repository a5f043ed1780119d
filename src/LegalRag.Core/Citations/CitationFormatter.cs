using LegalRag.Core.Domain;

namespace LegalRag.Core.Citations;

/// <summary>
/// Canonical pinpoint citations in each legal culture's own style. One place decides the form,
/// so ingestion, search output, evaluation gold matching and the chat UI all agree.
/// </summary>
public static class CitationFormatter
{
    /// <summary>"BGB § 573", "Code civil, art. 544", "art. 7:201 BW", "Civil Code Article 1".</summary>
    public static string Format(string language, string act, ProvisionKind kind, string number, string? paragraph = null)
    {
        var lang = NormalizeLanguage(language);
        if (kind is ProvisionKind.Preamble or ProvisionKind.Closing or ProvisionKind.Other)
        {
            // Unnumbered units are cited by their heading.
            var label = string.IsNullOrEmpty(number) ? kind.ToString() : number;
            return $"{act} {label}";
        }

        return lang switch
        {
            "de" => FormatGerman(act, kind, number, paragraph),
            "fr" => $"{act}, {FrenchMarker(kind)} {number}" + (paragraph is null ? "" : $", al. {paragraph}"),
            "nl" => $"{DutchMarker(kind)} {number}" + (paragraph is null ? "" : $" lid {paragraph}") + $" {act}",
            "en" => $"{act} {EnglishMarker(kind)} {number}" + (paragraph is null ? "" : $"({paragraph})"),
            _ => $"{act} Art. {number}" + (paragraph is null ? "" : $"({paragraph})"),
        };
    }

    /// <summary>The pinpoint for a run of paragraphs, "Abs. 1–3" style, used by chunks that hold several.</summary>
    public static string FormatRange(string language, string act, ProvisionKind kind, string number, string? first, string? last) =>
        first is null ? Format(language, act, kind, number)
        : last is null || last == first ? Format(language, act, kind, number, first)
        : Format(language, act, kind, number, $"{first}–{last}");

    private static string FormatGerman(string act, ProvisionKind kind, string number, string? paragraph)
    {
        var marker = kind switch
        {
            ProvisionKind.Section => "§",
            ProvisionKind.Annex => "Anlage",
            _ => "Art.",
        };
        var core = string.IsNullOrEmpty(number) ? $"{act} {marker}" : $"{act} {marker} {number}";
        return paragraph is null ? core : $"{core} Abs. {paragraph}";
    }

    private static string FrenchMarker(ProvisionKind kind) => kind == ProvisionKind.Annex ? "annexe" : "art.";
    private static string DutchMarker(ProvisionKind kind) => kind == ProvisionKind.Annex ? "bijlage" : "art.";
    private static string EnglishMarker(ProvisionKind kind) => kind == ProvisionKind.Annex ? "Annex" : "Article";

    public static string NormalizeLanguage(string language) =>
        (language.Length >= 2 ? language[..2] : language).ToLowerInvariant();
}
