namespace LegalRag.Server.Audit;

/// <summary>One audited request: who asked what, what came back, and how it was answered.</summary>
public sealed record AuditEvent
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
    public required string Action { get; init; }
    public required string User { get; init; }
    public required string Role { get; init; }
    public string? Question { get; init; }
    public string? StandaloneQuery { get; init; }
    public string? Corpus { get; init; }
    public string? Mode { get; init; }
    public bool? Refused { get; init; }
    public bool? Cancelled { get; init; }
    public IReadOnlyList<string>? Provisions { get; init; }
    public IReadOnlyList<string>? Cited { get; init; }
    public int? Flags { get; init; }
    public double? Ms { get; init; }
    public string? Transport { get; init; }
    public string? Error { get; init; }
    /// <summary>For refusals: the HTTP status (401, 403, 413, 429), the method and path (no query string), the remote address.</summary>
    public int? Status { get; init; }
    public string? Method { get; init; }
    public string? Path { get; init; }
    public string? Address { get; init; }
    /// <summary>What a history action concerned: the user whose data an admin exported or erased, or the conversation deleted or exported.</summary>
    public string? Target { get; init; }
}

/// <summary>The append-only audit log (see <see cref="JsonLinesLog{T}"/>); admins read its tail.</summary>
public sealed class AuditLog(string path, ILogger<AuditLog> logger) : JsonLinesLog<AuditEvent>(path, logger)
{
    public const int MaxFieldChars = 4000;

    public ValueTask WriteAsync(AuditEvent e, CancellationToken cancellationToken) =>
        EnqueueAsync(e with { Question = Cap(e.Question), StandaloneQuery = Cap(e.StandaloneQuery) }, cancellationToken);

    internal static string? Cap(string? text) => text is { Length: > MaxFieldChars } ? text[..MaxFieldChars] + "…" : text;
}
