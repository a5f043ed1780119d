global using Xunit;
// The query/passage mark is shared by retrieval and the embedding models, so it is declared in Core.
global using EmbeddingInputKind = LegalRag.Core.Abstractions.EmbeddingInputKind;
