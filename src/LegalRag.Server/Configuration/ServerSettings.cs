using System.ComponentModel.DataAnnotations;
using LegalRag.Retrieval.Search;

namespace LegalRag.Server.Configuration;

/// <summary>
/// The server's part of the "LegalRag" settings (appsettings.json; LEGALRAG__* and LegalRag__*
/// environment variables override). Validated at start: a bad value stops the server with the key named.
/// </summary>
public sealed class ServerSettings
{
    public const string Section = "LegalRag";

    [Required] public string DataDirectory { get; set; } = "data";
    public StoreSettings Search { get; set; } = new();
    public AnsweringSettings Answering { get; set; } = new();
    public LlmSettings Llm { get; set; } = new();
    public AuthSettings Auth { get; set; } = new();
    public ChatSettings Chat { get; set; } = new();

    /// <summary>The audit log: append-only JSON lines in the data folder unless set.</summary>
    public string? AuditLogPath { get; set; }

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory);
    public string ResolvedAuditLogPath => Path.GetFullPath(AuditLogPath ?? Path.Combine(ResolvedDataDirectory, "audit.jsonl"));
}

public sealed class StoreSettings
{
    [Range(0, 100)] public double HeadingWeight { get; set; } = 4.0;
    [Range(0, 64)] public int PrefixMinLength { get; set; } = 5;
    [Range(1, 10_000)] public int RrfK { get; set; } = 60;
}

public sealed class AnsweringSettings
{
    [Range(1, 50)] public int RetrieveK { get; set; } = 6;
    [Range(1, 20)] public int LlmSources { get; set; } = 5;
    public RetrievalMode Mode { get; set; } = RetrievalMode.Lexical;
    [Range(0, 1000)] public double MinMatchedWeight { get; set; } = 8;
    [Range(100, 100_000)] public int MaxQuestionChars { get; set; } = 4000;
}

/// <summary>An OpenAI-compatible endpoint; without Endpoint the answers are extractive. The key only from the environment (LEGALRAG__Llm__ApiKey).</summary>
public sealed class LlmSettings
{
    [Url] public string? Endpoint { get; set; }
    public string Model { get; set; } = "default";
    public string? ApiKey { get; set; }
    [Range(1, 600)] public double TimeoutSeconds { get; set; } = 60;
    [Range(0.1, 600)] public double FirstTokenTimeoutSeconds { get; set; } = 15;
    [Range(16, 8192)] public int MaxOutputTokens { get; set; } = 700;
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
