using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;

namespace LegalRag.Evaluation.QuestionSets;

/// <summary>
/// Reads any file in the COLIEE statute-law shape (<c>riteval_*.xml</c>):
/// <c>&lt;pair id="R03-01-E"&gt;&lt;t1&gt;Article 32 (1) …&lt;/t1&gt;&lt;t2&gt;question&lt;/t2&gt;&lt;/pair&gt;</c>.
/// The gold articles are the lines of <c>t1</c> that start with "Article N"; the question is <c>t2</c>.
/// Each question is tagged with the exam year from its id ("year:R03"), for per-year breakdowns.
/// </summary>
public static partial class ColieeQuestionSet
{
    public const string DefaultAct = "Civil Code";

    // "Article 398-2 (1) …": sub-articles are joined by hyphens.
    [GeneratedRegex(@"^\s*Article\s+(?<num>\d+(?:-\d+)*)\b", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ArticleLineRegex();

    public static async Task<IReadOnlyList<EvalQuestion>> ReadAsync(string path, QuestionSetLimits limits, string act, CancellationToken cancellationToken)
    {
        var bytes = await QuestionSetFiles.ReadBoundedAsync(path, limits.MaxFileBytes, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path, limits, act);
    }

    public static IReadOnlyList<EvalQuestion> Parse(byte[] xml, string fileName, QuestionSetLimits limits, string act = DefaultAct)
    {
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                // Question files have no DTD; refusing one rules out entity expansion attacks.
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                MaxCharactersInDocument = limits.MaxFileBytes,
            };
            using var stream = new MemoryStream(xml, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new EvalInputException($"{fileName}: line {ex.LineNumber}: not well-formed XML ({ex.Message})");
        }

        var problems = new InputProblems(fileName, limits.MaxErrorsReported);
        var questions = new List<EvalQuestion>();
        var pairs = document.Root?.Elements("pair").ToList() ?? [];
        foreach (var pair in pairs)
        {
            var line = ((IXmlLineInfo)pair).LineNumber;
            var id = pair.Attribute("id")?.Value.Trim();
            var where = $"line {line}" + (string.IsNullOrEmpty(id) ? "" : $" (pair \"{id}\")");
            if (string.IsNullOrEmpty(id)) { problems.Add(where, "<pair> without an id attribute"); continue; }
            var t1 = pair.Element("t1")?.Value;
            var t2 = pair.Element("t2")?.Value;
            if (t1 is null || t2 is null || string.IsNullOrWhiteSpace(t2)) { problems.Add(where, "<pair> needs a <t1> (gold articles) and a non-empty <t2> (question)"); continue; }

            var gold = ArticleLineRegex().Matches(t1)
                .Select(m => CitationFormatter.Format("en", act, ProvisionKind.Article, m.Groups["num"].Value))
                .Distinct(StringComparer.Ordinal).ToArray();
            if (gold.Length == 0) { problems.Add(where, "<t1> has no line starting with \"Article N\""); continue; }
            if (gold.Length > limits.MaxGoldPerQuestion) { problems.Add(where, $"more than {limits.MaxGoldPerQuestion} gold articles"); continue; }

            var text = GerLayQaQuestionSet.NormalizeSpace(t2);
            if (text.Length > limits.MaxQuestionChars) { problems.Add(where, $"question longer than {limits.MaxQuestionChars} characters"); continue; }
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            string[] tags = dash > 0 ? [$"year:{id[..dash]}"] : [];
            questions.Add(new EvalQuestion(id, text, "en", gold, [], tags));
            if (questions.Count > limits.MaxQuestions) throw new EvalInputException($"{fileName}: more than {limits.MaxQuestions} questions");
        }

        if (pairs.Count == 0 && document.Root?.Name.LocalName != "dataset")
            problems.Add("root", $"expected a <dataset> of <pair> elements, found <{document.Root?.Name.LocalName}>");
        problems.ThrowIfAny();
        return questions;
    }
}
