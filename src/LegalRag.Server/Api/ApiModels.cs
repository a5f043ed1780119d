using LegalRag.Answering;

namespace LegalRag.Server.Api;

/// <summary>POST /api/ask: the corpus is optional (all readable corpora), the language too (detected), the mode too (the configured one);
/// asOf ("YYYY-MM-DD", in the body or the query string) is the day whose law is asked about, else the day the question names, else today.</summary>
public sealed record AskRequest(string? Question, string? Corpus = null, string? Language = null, string? Mode = null, string? AsOf = null);

/// <summary>POST /api/search: ranked provisions with snippets, filtered by corpus and act; mode defaults to LegalRag:Search:DefaultMode;
/// asOf ("YYYY-MM-DD", in the body or the query string) searches the law in force that day, else today's.</summary>
public sealed record SearchApiRequest(string? Query, string? Corpus = null, string? Act = null, int K = 10, string? Mode = null, string? AsOf = null);

public sealed record CitationDto(
    int Number, string Citation, string ProvisionId, string Quote, string? Paragraph, string ProvisionCitation,
    string Heading, string Path, string Corpus, string SourcePath, int? Page, DateOnly? ValidFrom = null, DateOnly? ValidTo = null)
{
    public static CitationDto From(AnswerCitation c) => new(c.Number, c.Citation, c.ProvisionId, c.Quote, c.Paragraph, c.ProvisionCitation, c.Heading, c.Path, c.Corpus, c.SourcePath, c.Page, c.ValidFrom, c.ValidTo);
}

public sealed record FlagDto(string Kind, string Message, string Claim);

/// <summary>The answer contract of POST /api/ask: {"answer", "citations": [{"citation", "provisionId", "quote", …}], "refused", …}.</summary>
public sealed record AskResponse(
    string Answer, IReadOnlyList<CitationDto> Citations, bool Refused, AnswerMode Mode, string Language,
    string? Notice, IReadOnlyList<FlagDto> Flags, string StandaloneQuery, AnswerTimings Timings, IReadOnlyList<string>? Retrieved,
    DateOnly? AsOf = null, AsOfSource? AsOfSource = null, string? AsOfText = null)
{
    public static AskResponse From(Answer a, bool includeRetrieved) => new(
        a.Text, a.Citations.Select(CitationDto.From).ToList(), a.Refused, a.Mode, a.Language, a.Notice,
        a.Flags.Select(f => new FlagDto(f.Kind, f.Message, f.Claim)).ToList(), a.StandaloneQuery, a.Timings,
        includeRetrieved ? a.RetrievedProvisionIds : null, a.AsOf, a.AsOfSource, a.AsOfText);
}

public sealed record SearchHitDto(
    string Citation, string ProvisionId, string Path, string Snippet, double Score, string Pinpoint, string Heading,
    string Act, string Corpus, string SourcePath, int? Page, bool CitationMatch, bool Repealed,
    DateOnly? ValidFrom = null, DateOnly? ValidTo = null);

/// <param name="AsOf">The day whose law was searched.</param>
public sealed record SearchApiResponse(IReadOnlyList<SearchHitDto> Results, double TookMs, DateOnly? AsOf = null);

public sealed record ParagraphDto(string? Label, string Text, int? Page);

/// <summary>GET /api/provisions/{id}: the provision with its place in the act, for the citation panel.</summary>
/// <param name="Identifier">The publisher's identifier of the provision (ELI, BWB, LEGI, GII doknr); null when the source has none.</param>
/// <param name="ValidFrom">First day in force (ISO date), where the source says.</param>
/// <param name="ValidTo">Last day in force, where the source says; null: open-ended.</param>
/// <param name="Notes">Footnotes and amendment notes, apart from the normative text.</param>
/// <param name="ActIdentifier">The publisher's identifier of the act.</param>
/// <param name="Provenance">Where and when the act's text was taken; null for documents stored without it.</param>
public sealed record ProvisionDto(
    string ProvisionId, string Citation, string Heading, string Path, IReadOnlyList<string> PathSegments, string Act,
    string ActTitle, string Corpus, string Language, string SourcePath, bool Repealed, IReadOnlyList<ParagraphDto> Paragraphs,
    IReadOnlyList<ReferenceDto> RefersTo, IReadOnlyList<ReferenceDto> ReferredToBy,
    string? Identifier = null, DateOnly? ValidFrom = null, DateOnly? ValidTo = null, IReadOnlyList<string>? Notes = null,
    string? ActIdentifier = null, DateOnly? ActValidFrom = null, DateOnly? ActValidTo = null, ProvenanceDto? Provenance = null)
{
    /// <summary>The DTO of a stored provision with its (already access-filtered) references.</summary>
    public static ProvisionDto From(LegalRag.Core.Abstractions.StoredProvision stored, IReadOnlyList<ReferenceDto> refersTo, IReadOnlyList<ReferenceDto> referredToBy)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var p = stored.Provision;
        return new ProvisionDto(stored.Key, p.Citation, p.Heading, p.PathDisplay, p.Path, stored.ActName, stored.ActTitle, stored.Corpus,
            stored.Language, stored.SourcePath, p.IsRepealed, p.Paragraphs.Select(x => new ParagraphDto(x.Label, x.Text, x.Page)).ToList(),
            refersTo, referredToBy, p.Identifier, p.ValidFrom, p.ValidTo, p.Notes,
            stored.Act?.Identifier, stored.Act?.ValidFrom, stored.Act?.ValidTo,
            stored.Act?.Provenance is { } pv ? new ProvenanceDto(pv.Source, pv.Publisher, pv.RetrievedAt, pv.ContentHash) : null);
    }
}

/// <summary>Where and when a document's text was taken: a URL or file path, the publisher, the retrieval time (UTC) and the SHA-256.</summary>
public sealed record ProvenanceDto(string Source, string? Publisher, DateTimeOffset RetrievedAt, string ContentHash);

/// <summary>A provision at the other end of a cross-reference.</summary>
public sealed record ReferenceDto(string Citation, string ProvisionId);

public sealed record CorpusDto(string Name, string Language, long Documents, long Provisions);

public sealed record CallerDto(string Name, string Role, string AnswerMode, string SearchMode);

/// <summary>POST /api/feedback: a verdict on the provision (by id or citation) cited for a question, and optionally the right citation.</summary>
public sealed record FeedbackRequest(string? Question, string? ProvisionId = null, string? Citation = null, string? Verdict = null, string? Correct = null, string? Corpus = null, string? Language = null);

/// <summary>GET /api/provision-versions/{id}: every version of a provision, oldest first.</summary>
/// <param name="ProvisionId">The key every version shares.</param>
/// <param name="Citation">The latest version's citation.</param>
/// <param name="Today">The day "in force" is judged on (the server's search clock).</param>
/// <param name="Current">The version shown when no day is asked: in force today, else the latest.</param>
public sealed record ProvisionVersionsDto(string ProvisionId, string Citation, string Corpus, DateOnly Today, string Current, IReadOnlyList<ProvisionVersionDto> Versions);

/// <summary>One version: its id (GET /api/provisions/{id} gives its text), its validity (ISO days; null where open or
/// not given, written as null rather than left out), the act that made it, and whether it is repealed or in force today.</summary>
public sealed record ProvisionVersionDto(
    string ProvisionId,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] DateOnly? ValidFrom,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] DateOnly? ValidTo,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? ChangedBy,
    bool Repealed, bool InForce)
{
    public static ProvisionVersionDto From(LegalRag.Core.Abstractions.StoredProvision v, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(v);
        var p = v.Provision;
        return new(v.Key, p.ValidFrom, p.ValidTo, p.ChangedBy, p.IsRepealed, LegalRag.Core.Versions.Validity.InForce(p.ValidFrom, p.ValidTo, v.Act?.ValidFrom, v.Act?.ValidTo, today));
    }
}

/// <summary>GET /api/provision-diff: what changed from one version to another, word by word.</summary>
/// <param name="Changed">Whether any word was removed or added.</param>
/// <param name="Segments">The texts in order, as runs of kept ("equal"), removed ("delete") and added ("insert") words.</param>
public sealed record ProvisionDiffDto(string Citation, ProvisionVersionDto From, ProvisionVersionDto To, bool Changed, IReadOnlyList<DiffSegmentDto> Segments);

public sealed record DiffSegmentDto(string Op, string Text);
