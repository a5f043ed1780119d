using LegalRag.Answering.Extractive;
using LegalRag.Answering.Llm;
using LegalRag.Retrieval.Search;

namespace LegalRag.Answering;

public sealed record AnswerOptions
{
    /// <summary>Provisions retrieved per question; the best of them become the answer's sources.</summary>
    public int RetrieveK { get; init; } = 6;
    /// <summary>Sources numbered in the model's prompt.</summary>
    public int LlmSources { get; init; } = 5;
    public RetrievalMode Mode { get; init; } = RetrievalMode.Lexical;
    /// <summary>Longer questions are refused with a clear error rather than searched (hostile or pasted input).</summary>
    public int MaxQuestionChars { get; init; } = 4000;
    public ExtractiveOptions Extractive { get; init; } = new();
    public RelevanceOptions Relevance { get; init; } = new();
    public LlmOptions Llm { get; init; } = new();
}
