using Microsoft.Extensions.AI;

namespace LegalRag.Core.Abstractions;

/// <summary>
/// Marks embedding inputs as queries or passages (they get different prefixes with E5-style models). It lives in
/// Core because both sides use it: retrieval asks for query embeddings, the embedding models read the mark.
/// </summary>
public static class EmbeddingInputKind
{
    /// <summary>Key in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>.</summary>
    public const string PropertyName = "legalrag.input_kind";

    public const string Query = "query";

    public const string Passage = "passage";

    public static EmbeddingGenerationOptions QueryOptions() => new() { AdditionalProperties = new() { [PropertyName] = Query } };

    public static EmbeddingGenerationOptions PassageOptions() => new() { AdditionalProperties = new() { [PropertyName] = Passage } };
}
