using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Evaluation.Gold;

namespace LegalRag.Cli.Commands.Eval;

/// <summary>Gold citations resolved against the store, as search resolves a citation typed as a query. Evaluation
/// and ranker training both label through this, so a gold counts the same in both.</summary>
public sealed class StoreGoldResolver(ILegalStore store) : IGoldResolver
{
    public async Task<string?> ResolveAsync(string citation, string? corpus, CancellationToken cancellationToken)
    {
        if (!CitationParser.TryParse(citation, out var reference)) return null;
        var found = await store.FindByCitationAsync(reference, corpus, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0].Key : null;
    }
}
