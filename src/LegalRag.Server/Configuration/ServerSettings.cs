using System.ComponentModel.DataAnnotations;

namespace LegalRag.Server.Configuration;

/// <summary>
/// The server's own part of the "LegalRag" settings (appsettings.json; LEGALRAG__* and LegalRag__* environment
/// variables override): keys, chat history, the audit log. Everything the CLI shares — data folder, search,
/// embedding, answering, the model endpoint — is LegalRag.Hosting's <c>LegalRagSettings</c>, bound by AddLegalRag.
/// Validated at start: a bad value stops the server with the key named.
/// </summary>
public sealed class ServerSettings
{
    public const string Section = "LegalRag";

    public AuthSettings Auth { get; set; } = new();
    public ChatSettings Chat { get; set; } = new();
    public LimitSettings Limits { get; set; } = new();
    /// <summary>Users' conversations (history.db in the data folder): how long they are kept.</summary>
    public HistorySettings History { get; set; } = new();

    /// <summary>The audit log: append-only JSON lines in the data folder unless set.</summary>
    public string? AuditLogPath { get; set; }

    public string ResolvedAuditLogPath(string dataDirectory) => Path.GetFullPath(AuditLogPath ?? Path.Combine(dataDirectory, "audit.jsonl"));

    /// <summary>Evaluators' verdicts on citations: append-only JSON lines, always in the data folder (where <c>eval export-feedback</c> looks).</summary>
    public static string FeedbackLogPath(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, "feedback.jsonl"));
}

public sealed class AuthSettings
{
    /// <summary>API keys and their roles; from the environment only (LEGALRAG__Auth__Keys__0__Key, …__Role, …__Name, or LEGALRAG_API_KEYS).</summary>
    public List<ApiKeySetting> Keys { get; set; } = [];
    /// <summary>Corpora readable only from a role up: {"internal-circulars": "evaluator"}.</summary>
    public Dictionary<string, string> CorpusRoles { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ApiKeySetting
{
    [Required, MinLength(16)] public string Key { get; set; } = "";
    [Required] public string Role { get; set; } = "reader";
    public string? Name { get; set; }
}

public sealed class ChatSettings
{
    /// <summary>Earlier turns kept per hub connection for follow-up questions.</summary>
    [Range(0, 50)] public int MaxHistoryTurns { get; set; } = 6;
}

/// <summary>
/// How long conversations are kept (LegalRag:History:*). A conversation is purged when its last exchange is older than
/// <see cref="RetentionDays"/>; a background job looks every <see cref="PurgeIntervalMinutes"/>, and once at start.
/// </summary>
public sealed class HistorySettings
{
    /// <summary>Days a conversation is kept after its last exchange: 1 to 3650 (ten years).</summary>
    [Range(1, 3650)] public int RetentionDays { get; set; } = 180;
    [Range(1, 24 * 60)] public int PurgeIntervalMinutes { get; set; } = 60;

    /// <summary>The history's SQLite file: its own file beside the corpus store (see SqliteConversationStore for why).</summary>
    public static string FilePath(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, LegalRag.Storage.Sqlite.SqliteConversationStore.DefaultFileName));
}

/// <summary>
/// Per-caller rate limit, server-wide capacity and size limits (LegalRag:Limits:*). Each caller (API key; address when there is no valid key)
/// has a token bucket of <see cref="Burst"/> requests refilled at <see cref="RequestsPerSecond"/>; HTTP requests and hub
/// invocations draw on it; beyond it the answer is 429 with Retry-After at once. The expensive work of all callers together
/// is bounded by <see cref="MaxConcurrentRequests"/> and a bounded queue; beyond them the answer is 503 with Retry-After.
/// </summary>
public sealed class LimitSettings
{
    [Range(1, 1_000_000)] public int RequestsPerSecond { get; set; } = 50;
    [Range(1, 1_000_000)] public int Burst { get; set; } = 200;
    /// <summary>Largest request body Kestrel accepts (413 beyond); questions are capped at a few KB, so 1 MiB is ample.</summary>
    [Range(1024, 1L << 30)] public long MaxRequestBodyBytes { get; set; } = 1 << 20;
    /// <summary>Largest message a hub client may send; beyond it the connection is closed.</summary>
    [Range(1024, 16 << 20)] public int MaxHubMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Server-wide: searches and answers (REST search and ask, hub asks, MCP) running at once, whoever asks. Retrieval is
    /// CPU-bound, so a few per core keep the cores busy while one request waits on I/O; more only share the cores and
    /// lengthen every answer. 0 = 4 per core (8 on the 2-core reference machine). In LLM mode an answer holds its place
    /// while the model streams: set this to what the model endpoint serves at once.
    /// </summary>
    [Range(0, 4096)] public int MaxConcurrentRequests { get; set; }
    /// <summary>Requests waiting for a place beyond <see cref="MaxConcurrentRequests"/>; beyond this queue the answer is 503 at once.
    /// 256 is what 200 sessions pressing Enter together need; at ~10 ms per search it drains in about a second on 2 cores.</summary>
    [Range(0, 100_000)] public int MaxQueuedRequests { get; set; } = 256;
    /// <summary>Longest a request waits in that queue before it gets 503: an answer later than this is no longer worth computing.</summary>
    [Range(10, 120_000)] public int QueueTimeoutMs { get; set; } = 2000;

    public int ResolvedMaxConcurrentRequests => MaxConcurrentRequests > 0 ? MaxConcurrentRequests : 4 * Environment.ProcessorCount;
}
