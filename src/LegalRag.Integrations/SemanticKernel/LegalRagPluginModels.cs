using LegalRag.Answering;
using LegalRag.Core.Abstractions;
using LegalRag.Retrieval.Search;

namespace LegalRag.Integrations.SemanticKernel;

/// <summary>
/// What the plugin's functions return. Agents read these as JSON, so every result carries its citation
/// ("BGB § 573 Abs. 2") and provision id, which the agent can pass to <c>show</c> or cite to its user.
/// </summary>
public sealed record LegalSearchResults(string Query, string Mode, IReadOnlyList<LegalSearchHit> Results);

/// <summary>One provision found, best first: the pinpoint citation of its best passage and a snippet of it.</summary>
public sealed record LegalSearchHit(string Citation, string Pinpoint, string ProvisionId, string Heading, string Snippet, string Act, string Corpus, string SourcePath, int? Page, double Score, bool Repealed)
{
    internal static LegalSearchHit From(SearchResult r) =>
        new(r.Citation, string.IsNullOrEmpty(r.Pinpoint) ? r.Citation : r.Pinpoint, r.ProvisionId, r.Heading, r.Snippet, r.Act, r.Corpus, r.SourcePath, r.Page, r.Score, r.Repealed);
}

/// <summary>The provisions a citation or provision id names (several when the act was left out).</summary>
public sealed record LegalProvisions(string Requested, IReadOnlyList<LegalProvision> Provisions);

public sealed record LegalProvision(string Citation, string ProvisionId, string Heading, string Act, string ActTitle, string Path, string Corpus, string Language, string SourcePath, bool Repealed, IReadOnlyList<LegalParagraph> Paragraphs)
{
    internal static LegalProvision From(StoredProvision s) => new(
        s.Provision.Citation, s.Key, s.Provision.Heading, s.ActName, s.ActTitle, s.Provision.PathDisplay, s.Corpus, s.Language, s.SourcePath, s.Provision.IsRepealed,
        s.Provision.Paragraphs.Select(p => new LegalParagraph(p.Label, p.Text, p.Page)).ToList());
}

public sealed record LegalParagraph(string? Label, string Text, int? Page);

/// <summary>A verified answer: its text marks each supported statement with its citation in brackets; a refusal has none.</summary>
public sealed record LegalAnswer(string Text, bool Refused, string Mode, string Language, IReadOnlyList<LegalCitation> Citations, IReadOnlyList<string> Flags, string? Notice)
{
    internal static LegalAnswer From(Answer a) => new(
        a.Text, a.Refused,
        a.Mode switch { AnswerMode.Llm => "llm", AnswerMode.ExtractiveFallback => "extractive-fallback", _ => "extractive" },
        a.Language,
        a.Citations.Select(c => new LegalCitation(c.Number, c.Citation, c.ProvisionId, c.Quote, c.Paragraph, c.Heading, c.Corpus, c.SourcePath, c.Page)).ToList(),
        a.Flags.Select(f => $"{f.Kind}: {f.Message}").ToList(),
        a.Notice);
}

/// <summary>A citation of an answer: the pinpoint and the quote that supports the sentence marked [Number].</summary>
public sealed record LegalCitation(int Number, string Citation, string ProvisionId, string Quote, string? Paragraph, string Heading, string Corpus, string SourcePath, int? Page);
