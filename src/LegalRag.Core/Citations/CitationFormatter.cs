using LegalRag.Core.Domain;

namespace LegalRag.Core.Citations;

/// <summary>
/// Canonical pinpoint citations in each legal culture's own style. One place decides the form,
/// so ingestion, search output, evaluation gold matching and the chat UI all agree.
/// </summary>
public static class CitationFormatter
{
    /// <summary>"BGB § 573", "Code civil, art. 544", "art. 7:201 BW", "Civil Code Article 1"; with a sentence and
    /// a numbered item down to "BGB § 622 Abs. 2 Satz 1 Nr. 2", "Code civil, art. 2, al. 1, 3°", "art. 7:2 lid 1 onder a BW".</summary>
    /// <param name="sentence">The sentence within the paragraph (1-based); only German citations count sentences.</param>
    /// <param name="item">The label of a numbered or lettered item ("2", "a"), as the text numbers it.</param>
    public static string Format(string language, string act, ProvisionKind kind, string number, string? paragraph = null, int? sentence = null, string? item = null)
    {
        var lang = NormalizeLanguage(language);
        if (item is { Length: 0 }) item = null;
        if (kind is ProvisionKind.Preamble or ProvisionKind.Closing or ProvisionKind.Other)
        {
            // Unnumbered units are cited by their heading.
            var label = string.IsNullOrEmpty(number) ? kind.ToString() : number;
            return $"{act} {label}";
        }

        return lang switch
        {
            "de" => FormatGerman(act, kind, number, paragraph) + GermanDepth(sentence, item),
            "fr" => $"{act}, {FrenchMarker(kind)} {number}" + (paragraph is null ? "" : $", al. {paragraph}") + (item is null ? "" : $", {FrenchItem(item)}"),
            "nl" => $"{DutchMarker(kind)} {number}" + (paragraph is null ? "" : $" lid {paragraph}") + (item is null ? "" : $" onder {item}") + $" {act}",
            "en" => $"{act} {EnglishMarker(kind)} {number}" + (paragraph is null ? "" : $"({paragraph})") + (item is null ? "" : $"({item})"),
            _ => $"{act} Art. {number}" + (paragraph is null ? "" : $"({paragraph})") + (item is null ? "" : $"({item})"),
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

    /// <summary>"Satz 1 Nr. 2", "Nr. 16a"; lettered items are "Buchst. a". German cites the sentence only where the
    /// paragraph has several, which the caller knows, so a null sentence is simply left out.</summary>
    private static string GermanDepth(int? sentence, string? item)
    {
        var depth = sentence is { } s ? $" Satz {s}" : "";
        if (item is null) return depth;
        return depth + (char.IsDigit(item[0]) ? $" Nr. {item}" : $" Buchst. {item}");
    }

    /// <summary>French items are numbered "1°", "2°"; lettered ones ("a") are cited as written.</summary>
    private static string FrenchItem(string item) => char.IsDigit(item[0]) ? item + "°" : item;

    private static string FrenchMarker(ProvisionKind kind) => kind == ProvisionKind.Annex ? "annexe" : "art.";
    private static string DutchMarker(ProvisionKind kind) => kind == ProvisionKind.Annex ? "bijlage" : "art.";
    private static string EnglishMarker(ProvisionKind kind) => kind == ProvisionKind.Annex ? "Annex" : "Article";

    public static string NormalizeLanguage(string language) =>
        (language.Length >= 2 ? language[..2] : language).ToLowerInvariant();
}
