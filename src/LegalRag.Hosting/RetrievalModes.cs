using System.ComponentModel.DataAnnotations;
using LegalRag.Retrieval.Search;

namespace LegalRag.Hosting;

/// <summary>A retrieval mode name (see <see cref="RetrievalModes.Parse"/>); empty is allowed and means "not set".</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RetrievalModeNameAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is null || value is string { Length: 0 } || (value is string s && RetrievalModes.Parse(s) is not null);

    public override string FormatErrorMessage(string name) => $"must be {RetrievalModes.Choices}";
}

/// <summary>The mode used when a request names none, and why it differs from the configured one (if it does).</summary>
public sealed record DefaultRetrievalMode(RetrievalMode Mode, string Configured, string? FallbackReason)
{
    public string Name => RetrievalModes.Name(Mode);

    /// <summary>Search:DefaultMode, stepped down to what the configured models allow.</summary>
    public static DefaultRetrievalMode Resolve(string configured, bool denseAvailable, bool rerankerAvailable)
    {
        var mode = RetrievalModes.Parse(configured) ?? throw new Configuration.SettingsException($"LegalRag:Search:DefaultMode must be {RetrievalModes.Choices}, not '{configured}'");
        if (mode == RetrievalMode.HybridRerank && !rerankerAvailable)
        {
            var to = denseAvailable ? RetrievalMode.Hybrid : RetrievalMode.Lexical;
            return new(to, configured, $"LegalRag:Search:DefaultMode is {configured} but no reranker is configured (LegalRag:Reranker): searching {RetrievalModes.Name(to)} by default");
        }
        if (RetrievalModes.NeedsEmbedder(mode) && !denseAvailable)
            return new(RetrievalMode.Lexical, configured, $"LegalRag:Search:DefaultMode is {configured} but no embedding model is configured (LegalRag:Embedding or --model): searching lexical by default");
        return new(mode, configured, null);
    }
}
