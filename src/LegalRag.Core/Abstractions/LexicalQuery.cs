using LegalRag.Core.Text;

namespace LegalRag.Core.Abstractions;

/// <summary>One analyzed term of a lexical query.</summary>
/// <param name="Text">The term as the analyzer wrote it into the index (letters and digits only).</param>
/// <param name="Prefix">Also match every indexed term that starts with it ("miet" finds "mietvertrag"). An index that
/// cannot match prefixes matches the term exactly.</param>
public sealed record LexicalTerm(string Text, bool Prefix = false);

/// <summary>How much a match in each field of a chunk counts against a match in its body (BM25 column weights).</summary>
/// <param name="Heading">The provision heading.</param>
/// <param name="Context">The act's title and name and the provision's hierarchy path.</param>
public sealed record LexicalFieldWeights(double Heading = 4.0, double Context = 1.0)
{
    public static LexicalFieldWeights Default { get; } = new();
}

/// <summary>
/// What a lexical index is asked: these terms, OR-ed, scored by BM25 with these field weights. Which terms to ask
/// for and how much each field weighs is retrieval's decision (<c>LegalRag.Retrieval.Query.LexicalQueryPlanner</c>);
/// the index only scores and cuts.
/// </summary>
public sealed record LexicalQuery(IReadOnlyList<LexicalTerm> Terms, LexicalFieldWeights? Weights = null)
{
    public LexicalFieldWeights FieldWeights => Weights ?? LexicalFieldWeights.Default;

    public bool IsEmpty => Terms.Count == 0;

    /// <summary>Every distinct analyzed term of <paramref name="text"/> in <paramref name="language"/>, none as a prefix,
    /// default weights: the plain query that store tests and tools ask with.</summary>
    public static LexicalQuery AllTerms(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new TextAnalyzer(language).Analyze(text).Distinct(StringComparer.Ordinal).Select(t => new LexicalTerm(t)).ToList();
        return new LexicalQuery(terms);
    }
}
