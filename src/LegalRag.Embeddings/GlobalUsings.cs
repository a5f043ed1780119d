// The query/passage mark is shared with retrieval, so it is declared in Core.
global using EmbeddingInputKind = LegalRag.Core.Abstractions.EmbeddingInputKind;
