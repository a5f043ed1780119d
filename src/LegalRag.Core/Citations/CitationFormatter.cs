using LegalRag.Core.Domain;
using LegalRag.Core.Languages;

namespace LegalRag.Core.Citations;

/// <summary>
/// Canonical pinpoint citations in each legal culture's own style (each language pack's FormatCitation). One place decides the form,
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

        return LanguageRegistry.Default.Find(lang) is { } pack
            ? pack.FormatCitation(act, kind, number, paragraph, sentence, item)
            : PackSupport.GenericCitation(act, number, paragraph, item);
    }

    /// <summary>The pinpoint for a run of paragraphs, "Abs. 1–3" style, used by chunks that hold several.</summary>
    public static string FormatRange(string language, string act, ProvisionKind kind, string number, string? first, string? last) =>
        first is null ? Format(language, act, kind, number)
        : last is null || last == first ? Format(language, act, kind, number, first)
        : Format(language, act, kind, number, $"{first}–{last}");

    public static string NormalizeLanguage(string language) => LanguageRegistry.NormalizeCode(language);
}
