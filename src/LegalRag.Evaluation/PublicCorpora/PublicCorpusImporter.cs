using LegalRag.Core.Domain;
using LegalRag.Evaluation.QuestionSets;

namespace LegalRag.Evaluation.PublicCorpora;

/// <summary>The corpora shipped with the public question sets.</summary>
public enum PublicCorpusFormat { GerLayQa, Coliee }

/// <summary>Imports a public set's own corpus file into a document the ingestion pipeline stores like any parsed act.</summary>
public static class PublicCorpusImporter
{
    public static PublicCorpusFormat ParseFormat(string name) => name.Trim().ToLowerInvariant() switch
    {
        "gerlayqa" => PublicCorpusFormat.GerLayQa,
        "coliee" => PublicCorpusFormat.Coliee,
        _ => throw new EvalInputException($"unknown corpus format \"{name}\"; use gerlayqa (bgb.json) or coliee (articlesFull.json)"),
    };

    /// <summary>The language of the documents a format yields, for creating the corpus.</summary>
    public static string LanguageOf(PublicCorpusFormat format) => format == PublicCorpusFormat.GerLayQa ? "de" : "en";

    /// <param name="corpus">The corpus name, used as the first segment of provision keys ("gerlayqa/bgb/s573", the same scheme as parsed acts).</param>
    public static Task<LegalDocument> ImportAsync(PublicCorpusFormat format, string path, string corpus, CancellationToken cancellationToken) =>
        format switch
        {
            PublicCorpusFormat.GerLayQa => GerLayQaCorpus.ImportAsync(path, corpus, cancellationToken),
            PublicCorpusFormat.Coliee => ColieeCorpus.ImportAsync(path, corpus, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };

    /// <summary>Parses a corpus file's JSON, turning a syntax error into a message naming file and line.</summary>
    internal static System.Text.Json.JsonDocument ParseJson(byte[] json, string sourcePath)
    {
        try
        {
            return System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new EvalInputException($"{sourcePath}: line {(ex.LineNumber ?? 0) + 1}: not valid JSON ({ex.Message})");
        }
    }
}
