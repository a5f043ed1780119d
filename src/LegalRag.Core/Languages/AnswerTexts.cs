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
    /// <summary>How a day is written in answers (a .NET format, invariant culture): "dd/MM/yyyy".</summary>
    public required string DateFormat { get; init; }
    /// <summary>The version of a cited provision, after its citation: "version en vigueur du {0}" ({0}: its first day in force).</summary>
    public required string VersionInForce { get; init; }
    /// <summary>The answer's first line when it is not as of today: "Selon le droit en vigueur au {0}." ({0}: the day).</summary>
    public required string AsOfLine { get; init; }
    /// <summary>Added when that day was read in the question ({0}: the words read), with how to ask for another.</summary>
    public required string AsOfFromQuestion { get; init; }
    /// <summary>Closing line of a model's answer naming the versions it cites ({0} lists them).</summary>
    public required string VersionsCited { get; init; }

    /// <summary>A day as answers in this language write it: "19/05/2011".</summary>
    public string FormatDate(DateOnly day) => day.ToString(DateFormat, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"Code civil, art. 910 (version en vigueur du 19/05/2011)": a citation that states its version.</summary>
    public string WithVersion(string citation, DateOnly? validFrom) =>
        validFrom is { } from ? $"{citation} ({string.Format(System.Globalization.CultureInfo.InvariantCulture, VersionInForce, FormatDate(from))})" : citation;

    public string LanguageName(string code) => LanguageNames.TryGetValue(code, out var name) ? name : code;

    /// <summary>The texts of the answer language's pack (English for a language answers are not written in).</summary>
    public static AnswerTexts For(string language) => LanguageRegistry.Default.ForAnswers(language).Answers;
}
