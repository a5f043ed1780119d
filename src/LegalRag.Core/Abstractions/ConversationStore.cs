namespace LegalRag.Core.Abstractions;

/// <summary>
/// The text a citation stood on when the answer was given: the cited act's source file by its SHA-256, when and where
/// it was taken. A later ingest may change the provision; this says which version the answer quoted.
/// </summary>
/// <param name="ContentHash">SHA-256 of the act's source as ingested.</param>
/// <param name="RetrievedAt">When the source was read (UTC); null where the store did not record it.</param>
/// <param name="Source">The official URL or file path it was read from.</param>
/// <param name="Publisher">The publisher named by the corpus manifest, where there is one.</param>
public sealed record CorpusSnapshot(string ContentHash, DateTimeOffset? RetrievedAt, string? Source, string? Publisher);

/// <summary>A citation of a recorded answer, kept as it was shown: the pinpoint, the quoted span and the provision.</summary>
public sealed record RecordedCitation
{
    public required int Number { get; init; }
    /// <summary>The full pinpoint as shown in the answer: "BGB § 573 Abs. 2 Satz 1".</summary>
    public required string Citation { get; init; }
    /// <summary>The store's key of the cited provision ("bundesrecht/bgb/s573").</summary>
    public required string ProvisionId { get; init; }
    /// <summary>The verbatim span of the provision that supports the claim.</summary>
    public required string Quote { get; init; }
    public required string Corpus { get; init; }
    public string? Paragraph { get; init; }
    public string ProvisionCitation { get; init; } = "";
    public string Heading { get; init; } = "";
    public string Path { get; init; } = "";
    public string SourcePath { get; init; } = "";
    public int? Page { get; init; }
    /// <summary>The version of the text cited; null where the store keeps no provenance for the act.</summary>
    public CorpusSnapshot? Snapshot { get; init; }
}

/// <summary>One question and its finished answer in a conversation.</summary>
public sealed record RecordedExchange
{
    /// <summary>1-based position in its conversation; assigned by the store.</summary>
    public int Number { get; init; }
    public required DateTimeOffset AskedAt { get; init; }
    public required string Question { get; init; }
    public required string Answer { get; init; }
    public required string Language { get; init; }
    /// <summary>How the answer was made: "extractive", "llm" or "extractive-fallback".</summary>
    public required string Mode { get; init; }
    public bool Refused { get; init; }
    public string? Notice { get; init; }
    /// <summary>The corpus the question was restricted to; null: every readable corpus.</summary>
    public string? Corpus { get; init; }
    /// <summary>The day the law was asked for ("as it stood on"); null: the law in force when asked.</summary>
    public DateOnly? AsOf { get; init; }
    public string StandaloneQuery { get; init; } = "";
    public IReadOnlyList<RecordedCitation> Citations { get; init; } = [];
}

/// <summary>A user's conversation: the exchanges of one chat session, oldest first.</summary>
public sealed record Conversation(string Id, string User, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<RecordedExchange> Exchanges);

/// <summary>A conversation in a list: no exchanges, only how many.</summary>
public sealed record ConversationSummary(string Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Exchanges);

/// <summary>One page of a user's conversations, the latest activity first.</summary>
public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, int Page, int PageSize, long Total);

/// <summary>An exchange whose question or answer matched a history search; the snippet marks hits as **term**.</summary>
public sealed record HistoryHit(string ConversationId, string Title, int Exchange, DateTimeOffset AskedAt, string Question, string Snippet);

/// <summary>What a delete, erasure or purge removed.</summary>
public sealed record HistoryRemoval(int Conversations, int Exchanges);

/// <summary>
/// Users' conversations, each visible to its owner only: every read and delete names the user, and a conversation of
/// another user answers as if it did not exist.
/// </summary>
public interface IConversationStore
{
    /// <summary>Appends an exchange to the user's conversation, creating the conversation with its first; returns it with its number.</summary>
    Task<RecordedExchange> AppendAsync(string user, string conversationId, RecordedExchange exchange, CancellationToken cancellationToken);
    /// <summary>
    /// Appends an exchange to a conversation the user already has; null, and nothing written, when it is absent or not the
    /// user's — a conversation deleted (by the user, retention or erasure) while it was being continued is not brought back.
    /// </summary>
    Task<RecordedExchange?> AppendToExistingAsync(string user, string conversationId, RecordedExchange exchange, CancellationToken cancellationToken);
    Task<ConversationPage> ListAsync(string user, int page, int pageSize, CancellationToken cancellationToken);
    /// <summary>Whether the user has this conversation (false when absent or another user's), without reading it.</summary>
    Task<bool> ExistsAsync(string user, string conversationId, CancellationToken cancellationToken);
    /// <summary>The conversation with every exchange and citation as recorded; null when absent or not the user's.</summary>
    Task<Conversation?> GetAsync(string user, string conversationId, CancellationToken cancellationToken);
    /// <summary>Full-text search over the user's own questions and answers, best first.</summary>
    Task<IReadOnlyList<HistoryHit>> SearchAsync(string user, string query, int limit, CancellationToken cancellationToken);
    /// <summary>Deletes one of the user's conversations; false when absent or not the user's.</summary>
    Task<bool> DeleteAsync(string user, string conversationId, CancellationToken cancellationToken);
    /// <summary>Everything kept about the user (GDPR access), oldest conversation first.</summary>
    Task<IReadOnlyList<Conversation>> ExportUserAsync(string user, CancellationToken cancellationToken);
    /// <summary>Deletes everything kept about the user (GDPR erasure).</summary>
    Task<HistoryRemoval> EraseUserAsync(string user, CancellationToken cancellationToken);
    /// <summary>Deletes every conversation whose last exchange is older than <paramref name="cutoff"/> (retention).</summary>
    Task<HistoryRemoval> PurgeOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
