using System.ComponentModel;
using LegalRag.Answering;
using LegalRag.Core.Citations;
using LegalRag.Hosting;
using LegalRag.Retrieval.Search;
using Microsoft.SemanticKernel;

namespace LegalRag.Integrations.SemanticKernel;

/// <summary>
/// LegalRag for Semantic Kernel agents: <c>search</c>, <c>show</c> and <c>ask</c> as kernel functions, over the same
/// <see cref="SearchService"/> and <see cref="AnswerService"/> that AddLegalRag composes for the CLI and the server,
/// so an agent ranks and answers exactly as `legalrag search` and `legalrag ask` do.
/// </summary>
/// <remarks>
/// The plugin holds the <see cref="LegalRagStack"/>, not its services: the kernel builds its plugins when it is built,
/// before anyone has awaited the stack's opening, so each call opens the stack (once; later calls find it open).
/// In-process callers are trusted like the CLI: there are no API keys or corpus roles here.
/// </remarks>
public sealed class LegalRagPlugin(LegalRagStack stack)
{
    /// <summary>The plugin name <see cref="LegalRagKernelBuilderExtensions.AddLegalRagPlugin"/> registers it under.</summary>
    public const string Name = "legalrag";
    public const int MaxResults = 50;

    [KernelFunction("search")]
    [Description("Searches the ingested statutes and returns the best-matching provisions, best first, each with its citation, provision id and a snippet. A citation such as 'BGB § 573' as the query finds that provision.")]
    public async Task<LegalSearchResults> SearchAsync(
        [Description("What to look for, in the statutes' language, or a citation")] string query,
        [Description("Only this corpus (optional)")] string? corpus = null,
        [Description("Only this act, e.g. 'BGB' (optional)")] string? act = null,
        [Description("How many provisions to return (1 to 50)")] int k = 5,
        [Description("Retrieval mode: lexical, dense, hybrid or hybrid+rerank (optional; the configured default otherwise)")] string? mode = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("query is required", nameof(query));
        if (k is < 1 or > MaxResults) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {MaxResults}");
        await stack.OpenAsync(cancellationToken).ConfigureAwait(false);
        var retrieval = stack.ModeOrDefault(mode) ?? throw new ArgumentException($"mode must be {RetrievalModes.Choices}, not '{mode}'", nameof(mode));
        var response = await stack.Search.SearchAsync(new SearchRequest { Query = query, Corpus = Blank(corpus), Act = Blank(act), K = k, Mode = retrieval }, cancellationToken).ConfigureAwait(false);
        return new LegalSearchResults(query, RetrievalModes.Name(retrieval), response.Results.Select(LegalSearchHit.From).ToList());
    }

    [KernelFunction("show")]
    [Description("Returns the full text of the provision a citation ('BGB § 573') or provision id names, paragraph by paragraph, with its act and place in the act.")]
    public async Task<LegalProvisions> ShowAsync(
        [Description("A citation such as 'BGB § 573' or a provision id from search results")] string citation,
        [Description("Only this corpus (optional)")] string? corpus = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(citation)) throw new ArgumentException("citation is required", nameof(citation));
        await stack.OpenAsync(cancellationToken).ConfigureAwait(false);
        var store = stack.Store;
        if (await store.GetProvisionAsync(citation, cancellationToken).ConfigureAwait(false) is { } byId && (Blank(corpus) is null || byId.Corpus == corpus))
            return new LegalProvisions(citation, [LegalProvision.From(byId)]);
        if (!CitationParser.TryParse(citation, out var reference))
            throw new ArgumentException($"'{citation}' is neither a citation nor a provision id", nameof(citation));
        var found = await store.FindByCitationAsync(reference, Blank(corpus), cancellationToken).ConfigureAwait(false);
        return new LegalProvisions(citation, found.Select(LegalProvision.From).ToList());
    }

    [KernelFunction("ask")]
    [Description("Answers a legal question from the ingested statutes. Every statement in the answer is verified against the cited provisions; the answer refuses when the statutes do not support one.")]
    public async Task<LegalAnswer> AskAsync(
        [Description("The question, in any supported language")] string question,
        [Description("Only this corpus (optional)")] string? corpus = null,
        [Description("Answer language, e.g. 'de' (optional; detected from the question)")] string? language = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(question)) throw new ArgumentException("question is required", nameof(question));
        await stack.OpenAsync(cancellationToken).ConfigureAwait(false);
        var answer = await stack.Answers.AskAsync(new AnswerRequest { Question = question, Corpus = Blank(corpus), Language = Blank(language) }, cancellationToken).ConfigureAwait(false);
        return LegalAnswer.From(answer);
    }

    // Models fill optional parameters with "" as often as they leave them out.
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
