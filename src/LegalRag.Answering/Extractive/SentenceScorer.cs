using Microsoft.Extensions.AI;

namespace LegalRag.Answering.Extractive;

/// <summary>
/// Optional dense signal for the extractive composer: how close each candidate sentence is in meaning
/// to the question, as a cosine similarity (−1…1). The composer works without one; with one, a
/// sentence that says what was asked in other words than the question's ranks higher.
/// </summary>
public interface ISentenceScorer
{
    /// <summary>Whether the scorer's similarities mean anything for texts in <paramref name="language"/>: a model trained
    /// on one language's corpus says nothing about another's sentences.</summary>
    bool Supports(string language);

    Task<IReadOnlyList<double>> ScoreAsync(string question, IReadOnlyList<string> sentences, CancellationToken cancellationToken);
}

/// <summary>Scores sentences with the same embedding model dense retrieval uses.</summary>
/// <param name="languages">Languages the model was trained for (two-letter codes); null: every language.</param>
public sealed class EmbeddingSentenceScorer(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyCollection<string>? languages = null) : ISentenceScorer
{
    public bool Supports(string language) =>
        languages is null || languages.Contains(LegalRag.Core.Citations.CitationFormatter.NormalizeLanguage(language));

    public async Task<IReadOnlyList<double>> ScoreAsync(string question, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        if (sentences.Count == 0) return [];
        var embeddings = await generator.GenerateAsync([question, .. sentences], null, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != sentences.Count + 1)
            throw new InvalidDataException($"the embedding model returned {embeddings.Count} vectors for {sentences.Count + 1} texts");
        var q = embeddings[0].Vector.Span;
        var scores = new double[sentences.Count];
        for (var i = 0; i < sentences.Count; i++) scores[i] = Cosine(q, embeddings[i + 1].Vector.Span);
        return scores;
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new InvalidDataException($"embedding sizes differ ({a.Length} and {b.Length})");
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
