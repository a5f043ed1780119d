using System.Text.Json.Serialization;
using LegalRag.Core.Abstractions;

namespace LegalRag.Answering;

/// <summary>How an answer was produced. Audited and shown to the user.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AnswerMode>))]
public enum AnswerMode
{
    /// <summary>Composed from the provisions' own sentences, no language model.</summary>
    [JsonStringEnumMemberName("extractive")] Extractive,
    /// <summary>Written by the configured language model from numbered sources, then verified.</summary>
    [JsonStringEnumMemberName("llm")] Llm,
    /// <summary>The language model failed or timed out; the extractive answer was sent with a notice.</summary>
    [JsonStringEnumMemberName("extractive-fallback")] ExtractiveFallback,
}

/// <summary>One earlier exchange of a conversation, used to make follow-up questions standalone.</summary>
public sealed record ChatTurn(string Question, string StandaloneQuery, string Answer);

public sealed record AnswerRequest
{
    public required string Question { get; init; }
    /// <summary>Restrict to one corpus; null searches every corpus the caller may read.</summary>
    public string? Corpus { get; init; }
    /// <summary>The language the user picked; null or "auto" detects it from the question.</summary>
    public string? Language { get; init; }
    /// <summary>Earlier turns, oldest first.</summary>
    public IReadOnlyList<ChatTurn> History { get; init; } = [];
    /// <summary>Corpora the caller may not read (restricted to other roles); results from them are never used.</summary>
    public IReadOnlySet<string>? ExcludedCorpora { get; init; }
    /// <summary>Retrieval mode of this question; null uses the service's configured mode.</summary>
    public LegalRag.Retrieval.Search.RetrievalMode? Mode { get; init; }
    /// <summary>The day whose law is asked about, as the user chose it (a date control, --as-of, the API's asOf). Null:
    /// the day the question names ("en 2008"), else today. A chosen day overrides one the question names, so a misread
    /// date can always be corrected.</summary>
    public DateOnly? AsOf { get; init; }
}

/// <summary>Where an answer's as-of day came from. Serialized as "today", "question" or "user" (the hub's done item, the API).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AsOfSource>))]
public enum AsOfSource
{
    /// <summary>Nobody named a day: the law in force today.</summary>
    [JsonStringEnumMemberName("today")] Today,
    /// <summary>Read in the question ("en 2008", "am 3. März 2012").</summary>
    [JsonStringEnumMemberName("question")] Question,
    /// <summary>Chosen by the user (date control, --as-of, asOf).</summary>
    [JsonStringEnumMemberName("user")] User,
}

/// <summary>A provision given to the composer or the model as numbered source [Number].</summary>
public sealed record AnswerSource(int Number, StoredProvision Provision, double Score, string Pinpoint, int? Page)
{
    public string Citation => Provision.Provision.Citation;
    public string ProvisionId => Provision.Key;
}

/// <summary>A citation in an answer: which provision, and the verbatim span of it that supports the claim.</summary>
public sealed record AnswerCitation
{
    /// <summary>The source number in the answer (1-based), as the text refers to it.</summary>
    public required int Number { get; init; }
    /// <summary>Pinpoint citation as shown in the text: "BGB § 573 Abs. 2".</summary>
    public required string Citation { get; init; }
    public required string ProvisionId { get; init; }
    /// <summary>The supporting span; it appears verbatim (up to whitespace) in the provision's text.</summary>
    public required string Quote { get; init; }
    /// <summary>Label of the paragraph holding the quote ("2"), when numbered.</summary>
    public string? Paragraph { get; init; }
    public string ProvisionCitation { get; init; } = "";
    public string Heading { get; init; } = "";
    public string Path { get; init; } = "";
    public string Corpus { get; init; } = "";
    public string SourcePath { get; init; } = "";
    public int? Page { get; init; }
    /// <summary>First day the cited version is in force, where the source says; the answer text states it.</summary>
    public DateOnly? ValidFrom { get; init; }
    /// <summary>First day the cited version is no longer in force; null while in force or unknown.</summary>
    public DateOnly? ValidTo { get; init; }
}

/// <summary>A problem the verifier found in a claim; shown to the user next to it.</summary>
public sealed record AnswerFlag(string Kind, string Message, string Claim)
{
    public const string Uncited = "uncited";
    public const string UnknownSource = "unknown-source";
    public const string QuoteNotFound = "quote-not-found";
}

public sealed record AnswerTimings
{
    public double RewriteMs { get; init; }
    public double RetrievalMs { get; init; }
    public double FirstTokenMs { get; init; }
    public double TotalMs { get; init; }
}

/// <summary>A finished, verified answer.</summary>
public sealed record Answer
{
    public required string Text { get; init; }
    public required string Language { get; init; }
    public required AnswerMode Mode { get; init; }
    public required bool Refused { get; init; }
    public IReadOnlyList<AnswerCitation> Citations { get; init; } = [];
    public IReadOnlyList<AnswerFlag> Flags { get; init; } = [];
    /// <summary>A visible notice, e.g. that the model was unavailable and the extractive answer is shown.</summary>
    public string? Notice { get; init; }
    /// <summary>The query retrieval actually ran (the follow-up rewritten as a standalone question).</summary>
    public string StandaloneQuery { get; init; } = "";
    /// <summary>Every provision retrieval returned, best first (for the audit log).</summary>
    public IReadOnlyList<string> RetrievedProvisionIds { get; init; } = [];
    public AnswerTimings Timings { get; init; } = new();
    /// <summary>The day whose law the answer states: only provisions in force then were retrieved.</summary>
    public DateOnly AsOf { get; init; }
    public AsOfSource AsOfSource { get; init; }
    /// <summary>The words the day was read from when it came from the question ("en 2008"); null otherwise.</summary>
    public string? AsOfText { get; init; }
}

/// <summary>What the answer stream yields: text as it is verified, then the finished answer.</summary>
public abstract record AnswerEvent;

/// <summary>Sent first: the language the answer is in and the query that was searched.</summary>
public sealed record AnswerStarted(string Language, string StandaloneQuery, AnswerMode Mode) : AnswerEvent;

/// <summary>A piece of verified answer text, to append to what came before.</summary>
public sealed record AnswerTextDelta(string Text) : AnswerEvent;

/// <summary>A notice for the user (model unavailable, claims flagged).</summary>
public sealed record AnswerNotice(string Text) : AnswerEvent;

/// <summary>Last: the full answer with its citations, flags and timings.</summary>
public sealed record AnswerCompleted(Answer Answer) : AnswerEvent;
