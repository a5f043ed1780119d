using System.Text;
using LegalRag.Answering.Languages;
using LegalRag.Answering.Text;
using LegalRag.Core.Citations;

namespace LegalRag.Answering.Extractive;

public sealed record ExtractiveOptions
{
    /// <summary>Quoted sentences per answer: at least this many when they match the question at all…</summary>
    public int MinSentences { get; init; } = 2;
    /// <summary>…and never more: a short answer people read, not a dump of chunks.</summary>
    public int MaxSentences { get; init; } = 4;
    /// <summary>Sources whose sentences are considered (the best provisions of the retrieval).</summary>
    public int MaxSources { get; init; } = 4;
    /// <summary>Longer sentences are cut to their best clause, or shortened at a word boundary.</summary>
    public int MaxQuoteChars { get; init; } = 360;
    /// <summary>Provisions listed under "see also" beyond the quoted ones.</summary>
    public int SeeAlso { get; init; } = 2;
}

/// <summary>The composed answer: the lines to stream, in order, and one citation per bracketed marker in them.</summary>
public sealed record ComposedAnswer(IReadOnlyList<string> Lines, IReadOnlyList<AnswerCitation> Citations)
{
    public string Text => string.Join("\n", Lines);
}

/// <summary>
/// Answers without a language model: picks the 2–4 sentences across the best provisions that together
/// cover most of the question's terms, quotes each verbatim followed by its pinpoint citation, under a
/// one-line lead in the question's language. Sentences are chosen greedily by the question terms they
/// add (so two sentences saying the same thing are not both quoted), weighted by the provision's rank.
/// </summary>
public sealed class ExtractiveComposer(ExtractiveOptions? options = null)
{
    private readonly ExtractiveOptions _options = options ?? new ExtractiveOptions();

    /// <summary>A "see also" provision's best sentence must score at least this share of the best quoted one.</summary>
    public const double SeeAlsoShare = 0.6;

    private sealed record Candidate(AnswerSource Source, int SourceRank, int ParagraphIndex, string? Label, TextSpan Span, HashSet<string> Matched, double Score);

    public ComposedAnswer Compose(string question, string answerLanguage, IReadOnlyList<AnswerSource> sources)
    {
        var texts = AnswerTexts.For(answerLanguage);
        // Quote from one legal order: a German question answered from German law must not drift into a
        // French article that happens to share a word ("Testament"). The best source decides the language.
        var top = sources.Take(_options.MaxSources).ToList();
        if (top.Count == 0) return new ComposedAnswer([texts.Refusal], []);
        top = top.Where(s => s.Provision.Language == top[0].Provision.Language).ToList();
        var terms = new QueryTerms(question, top[0].Provision.Language);

        var candidates = new List<Candidate>();
        for (var rank = 0; rank < top.Count; rank++)
            candidates.AddRange(CandidatesOf(top[rank], rank, terms));

        var chosen = Choose(candidates, terms);
        if (chosen.Count == 0)
        {
            // Nothing in the text matched the question's words (a citation lookup, or a question in
            // another language than the corpus): quote the opening of the best provision.
            var first = CandidatesOf(top[0], 0, terms).FirstOrDefault();
            if (first is not null) chosen.Add(first);
        }
        chosen = chosen.OrderBy(c => c.SourceRank).ThenBy(c => c.ParagraphIndex).ThenBy(c => c.Span.Start).ToList();

        var lines = new List<string>();
        var citations = new List<AnswerCitation>();
        var quotedSources = chosen.Select(c => c.Source).DistinctBy(s => s.ProvisionId).ToList();
        lines.Add(Lead(texts, quotedSources));
        foreach (var c in chosen)
        {
            var pinpoint = Pinpoint(c.Source, c.Label);
            var quote = Shorten(c.Span.Text, _options.MaxQuoteChars, out var cut);
            lines.Add($"- {texts.OpenQuote}{quote}{(cut ? " …" : "")}{texts.CloseQuote} [{pinpoint}]");
            citations.Add(CitationOf(citations.Count + 1, c.Source, pinpoint, quote, c.Label, c.Source.Provision.Provision.Paragraphs[c.ParagraphIndex].Page));
        }

        // Other good provisions the reader should know of, each with its most relevant sentence as the highlight.
        // Only provisions nearly as relevant as what was quoted: a "see also" is a citation the reader will
        // follow, so a weak one costs more than it gives.
        var bar = chosen.Count == 0 ? double.MaxValue : SeeAlsoShare * chosen.Max(c => c.Score);
        var more = top.Where(s => quotedSources.All(q => q.ProvisionId != s.ProvisionId))
            .Where(s => candidates.Any(c => c.Source == s && c.Matched.Count > 0 && c.Score >= bar))
            .Take(_options.SeeAlso).ToList();
        if (more.Count > 0)
        {
            var refs = new List<string>();
            foreach (var s in more)
            {
                var best = candidates.Where(c => c.Source == s).MaxBy(c => c.Score)!;
                var quote = Shorten(best.Span.Text, _options.MaxQuoteChars, out _);
                citations.Add(CitationOf(citations.Count + 1, s, s.Citation, quote, best.Label, s.Provision.Provision.Paragraphs[best.ParagraphIndex].Page));
                refs.Add($"[{s.Citation}]" + (s.Provision.Provision.Heading.Length > 0 ? $" {s.Provision.Provision.Heading}" : ""));
            }
            lines.Add($"{texts.SeeAlso} {string.Join("; ", refs)}");
        }
        return new ComposedAnswer(lines, citations);
    }

    private IEnumerable<Candidate> CandidatesOf(AnswerSource source, int rank, QueryTerms terms)
    {
        var provision = source.Provision.Provision;
        if (provision.IsRepealed) yield break;
        var headingTerms = terms.Matched(provision.Heading);
        // Earlier provisions in the ranking are more likely to be what the question is about.
        var prior = 1.0 / (1.0 + 0.35 * rank);
        for (var p = 0; p < provision.Paragraphs.Count; p++)
        {
            var paragraph = provision.Paragraphs[p];
            var sentences = SentenceSplitter.Split(paragraph.Text);
            for (var s = 0; s < sentences.Count; s++)
            {
                var spans = sentences[s].Text.Length > _options.MaxQuoteChars ? SentenceSplitter.Clauses(sentences[s]) : [sentences[s]];
                if (spans.Count == 0) spans = [sentences[s]];
                foreach (var raw in spans)
                {
                    var span = WithoutLabel(raw);
                    if (!span.Text.Any(char.IsLetter)) continue;
                    var matched = terms.Matched(span.Text);
                    // A sentence of a provision whose heading matches speaks to the question even in general words.
                    var weight = terms.WeightOf(matched) + 0.3 * terms.WeightOf(headingTerms.Except(matched));
                    var lengthPenalty = 1.0 + Math.Max(0, span.Text.Length - 200) / 400.0;
                    var openingBonus = p == 0 && s == 0 ? 1.1 : 1.0; // the rule usually comes first
                    // "Dies gilt auch, wenn …" means nothing without the sentence before it.
                    var dependent = LeansOnContext(span.Text) ? 0.5 : 1.0;
                    yield return new Candidate(source, rank, p, paragraph.Label, span, matched, weight * prior * openingBonus * dependent / lengthPenalty);
                }
            }
        }
    }

    private List<Candidate> Choose(List<Candidate> candidates, QueryTerms terms)
    {
        var chosen = new List<Candidate>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var pool = candidates.Where(c => c.Matched.Count > 0).ToList();
        if (pool.Count == 0) return chosen;
        var bestScore = pool.Max(c => c.Score);
        while (chosen.Count < _options.MaxSentences && pool.Count > 0)
        {
            Candidate? pick = null;
            var pickGain = 0.0;
            foreach (var c in pool)
            {
                var matched = terms.WeightOf(c.Matched);
                var added = terms.WeightOf(c.Matched.Where(t => !covered.Contains(t)));
                // Terms not yet covered count fully, repeated ones a little (the rule's other half
                // often repeats the words); not normalized, so one trivial new word cannot win.
                var gain = matched <= 0 ? 0 : c.Score * (added + 0.3 * (matched - added)) / matched;
                if (gain > pickGain) { pickGain = gain; pick = c; }
            }
            if (pick is null) break;
            // Beyond the minimum a sentence must add enough to be worth reading; below it, it must still say something.
            if (chosen.Count >= _options.MinSentences && pickGain < 0.35 * bestScore) break;
            if (chosen.Count > 0 && pickGain < 0.2 * bestScore) break;
            chosen.Add(pick);
            covered.UnionWith(pick.Matched);
            pool.Remove(pick);
            pool.RemoveAll(c => c.Source == pick.Source && c.ParagraphIndex == pick.ParagraphIndex && Overlaps(c.Span, pick.Span));
        }
        return chosen;
    }

    /// <summary>Stored paragraphs keep their "(2) " label; the quote leaves it out (the pinpoint says it).</summary>
    private static TextSpan WithoutLabel(TextSpan span)
    {
        var m = System.Text.RegularExpressions.Regex.Match(span.Text, @"^\(\w{1,4}\)\s+");
        return m.Success ? new TextSpan(span.Text[m.Length..], span.Start + m.Length) : span;
    }

    private static readonly string[] ContextOpeners =
    [
        "dies ", "das gilt", "satz 1", "satz 2", "absatz 1", "die sätze", "im fall", "in den fällen des", "in diesem fall", "hierbei", "dabei ",
        "this ", "the preceding", "in that case", "in such case", "such ", "cette ", "ces dispositions", "dans ce cas", "il en est de même",
        "dit ", "deze bepaling", "in dat geval", "het vorige lid", "see ", "sellisel juhul", "eelmises",
    ];

    private static bool LeansOnContext(string sentence)
    {
        var start = sentence.TrimStart().ToLowerInvariant();
        return ContextOpeners.Any(o => start.StartsWith(o, StringComparison.Ordinal));
    }

    private static bool Overlaps(TextSpan a, TextSpan b) => a.Start < b.Start + b.Text.Length && b.Start < a.Start + a.Text.Length;

    private static string Lead(AnswerTexts texts, IReadOnlyList<AnswerSource> quoted)
    {
        var names = quoted.Select(s => s.Provision.Provision.Heading.Length > 0 ? $"{s.Citation} ({s.Provision.Provision.Heading})" : s.Citation).ToList();
        var list = names.Count <= 1 ? names.FirstOrDefault() ?? ""
            : string.Join(", ", names.Take(names.Count - 1)) + $" {texts.And} " + names[^1];
        var lead = string.Format(System.Globalization.CultureInfo.InvariantCulture, names.Count > 1 ? texts.LeadMany : texts.Lead, list);
        var sourceLanguage = LanguageDetector.Normalize(quoted.FirstOrDefault()?.Provision.Language);
        if (quoted.Count > 0 && sourceLanguage != texts.Language)
            lead = lead.TrimEnd(':', ' ') + string.Format(System.Globalization.CultureInfo.InvariantCulture, texts.QuotedIn, texts.LanguageName(sourceLanguage)) + (texts.Language == "fr" ? " :" : ":");
        return lead;
    }

    /// <summary>The citation of the paragraph holding the quote ("BGB § 573 Abs. 2"), or of the provision.</summary>
    public static string Pinpoint(AnswerSource source, string? paragraphLabel)
    {
        var p = source.Provision;
        if (paragraphLabel is null || p.Provision.Paragraphs.Count <= 1) return p.Provision.Citation;
        return CitationFormatter.Format(p.Language, p.ActName, p.Provision.Kind, p.Provision.Number, paragraphLabel);
    }

    public static AnswerCitation CitationOf(int number, AnswerSource source, string pinpoint, string quote, string? label, int? page) => new()
    {
        Number = number,
        Citation = pinpoint,
        ProvisionId = source.ProvisionId,
        Quote = quote,
        Paragraph = label,
        ProvisionCitation = source.Citation,
        Heading = source.Provision.Provision.Heading,
        Path = source.Provision.Provision.PathDisplay,
        Corpus = source.Provision.Corpus,
        SourcePath = source.Provision.SourcePath,
        Page = page ?? source.Page,
    };

    /// <summary>A prefix of <paramref name="text"/> ending at a word boundary, so the quote stays verbatim.</summary>
    internal static string Shorten(string text, int max, out bool cut)
    {
        cut = text.Length > max;
        if (!cut) return text;
        var space = text.LastIndexOf(' ', max);
        return text[..(space > max / 2 ? space : max)].TrimEnd(',', ';', ' ');
    }
}
