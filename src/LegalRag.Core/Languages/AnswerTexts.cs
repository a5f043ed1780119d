namespace LegalRag.Core.Languages;

/// <summary>
/// Every sentence the answer service writes itself in one answer language; each pack holds its own. The
/// statute text is never translated: it is quoted as written, and the lead says in which language.
/// </summary>
public sealed record AnswerTexts
{
    public required string Language { get; init; }
    /// <summary>Lead over quotes from one provision; {0} is its citation with heading.</summary>
    public required string Lead { get; init; }
    /// <summary>Lead over quotes from several provisions; {0} lists them.</summary>
    public required string LeadMany { get; init; }
    /// <summary>Lead when no single provision clearly decides: one candidate; {0} is its citation with heading.</summary>
    public required string CandidateLead { get; init; }
    /// <summary>Lead when no single provision clearly decides: several candidates; {0} lists them.</summary>
    public required string CandidateLeadMany { get; init; }
    /// <summary>Appended to the lead when the provisions are in another language; {0} is that language's name.</summary>
    public required string QuotedIn { get; init; }
    public required string And { get; init; }
    public required string SeeAlso { get; init; }
    public required string Refusal { get; init; }
    public required string FallbackNotice { get; init; }
    public required string UncitedFlag { get; init; }
    public required string UnknownSourceFlag { get; init; }
    public required string QuoteNotFoundFlag { get; init; }
    public required string FlaggedNotice { get; init; }
    public required string OpenQuote { get; init; }
    public required string CloseQuote { get; init; }
    public required IReadOnlyDictionary<string, string> LanguageNames { get; init; }

    public string LanguageName(string code) => LanguageNames.TryGetValue(code, out var name) ? name : code;

    /// <summary>The texts of the answer language's pack (English for a language answers are not written in).</summary>
    public static AnswerTexts For(string language) => LanguageRegistry.Default.ForAnswers(language).Answers;
}
