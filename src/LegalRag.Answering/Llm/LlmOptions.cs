namespace LegalRag.Answering.Llm;

/// <summary>
/// An OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama, OpenAI). Not configured (no
/// endpoint) means extractive answers. The key comes from the environment, never from committed config.
/// </summary>
public sealed record LlmOptions
{
    /// <summary>Base address, e.g. http://127.0.0.1:8000/v1 (a missing /v1 is added).</summary>
    public string? Endpoint { get; init; }
    public string Model { get; init; } = "default";
    public string? ApiKey { get; init; }
    /// <summary>Whole answer, from request to last token.</summary>
    public double TimeoutSeconds { get; init; } = 60;
    /// <summary>Until the first token: a dead or overloaded endpoint falls back to extractive quickly.</summary>
    public double FirstTokenTimeoutSeconds { get; init; } = 15;
    public int MaxOutputTokens { get; init; } = 700;
    public float Temperature { get; init; } = 0.1f;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The endpoint as the OpenAI SDK wants it: ending in /v1 (it appends chat/completions).</summary>
    public Uri BaseAddress()
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"LLM endpoint '{Endpoint}' is not an http(s) address");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/v1", StringComparison.Ordinal)) path += "/v1";
        return new UriBuilder(uri) { Path = path }.Uri;
    }
}
