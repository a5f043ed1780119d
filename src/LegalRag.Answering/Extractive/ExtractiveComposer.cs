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
    /// <summary>Score factor for a sentence carrying a period or an amount when the question asks for one
    /// ("wie lange", "wie hoch"): that information is what the reader came for.</summary>
    public double SpecificCueBonus { get; init; } = 1.0;
    /// <summary>The same for a permission or party cue ("darf ich", "wer"), which statutes say in many sentences.</summary>
    public double GeneralCueBonus { get; init; } = 0.25;
    /// <summary>Weight of the dense question–sentence similarity, when a sentence scorer is given.</summary>
    public double DenseWeight { get; init; } = 1.0;
    /// <summary>
    /// "Maßgeblich ist …" names one deciding provision only when retrieval ranked it first and its best
    /// sentence beats every other provision's best by this share; below, the lead lists candidates.
    /// Calibrated with <c>benchmarks/LegalRag.Benchmarks -- composer</c> on the everyday train splits (de, fr,
    /// lexical retrieval): at no margin was the decisive provision more often right than the candidates'
    /// first (retrieval finds the gold provision for only 13–15 % of those questions), so the lead claims
    /// one decisive provision only when it is far ahead (about 2 % of those answers).
    /// </summary>
    public double DecisiveMargin { get; init; } = 0.5;
}

/// <summary>The composed answer: the lines to stream, in order, and one citation per bracketed marker in them.</summary>
public sealed record ComposedAnswer(IReadOnlyList<string> Lines, IReadOnlyList<AnswerCitation> Citations)
{
    public string Text => string.Join("\n", Lines);
    /// <summary>Whether the lead names the deciding provision ("Maßgeblich ist …") rather than candidates.</summary>
    public bool Decisive { get; init; }
    /// <summary>How far the best sentence's provision is ahead of the next provision's best (0…1).</summary>
    public double Margin { get; init; }
    /// <summary>The kinds of information the question asked for, as its wording tells.</summary>
    public IReadOnlyList<QuestionKind> Asked { get; init; } = [];
}

/// <summary>
/// Answers without a language model: picks the 2–4 sentences (or numbered items) across the best
/// provisions that together cover most of the question's terms, quotes each verbatim followed by its
/// pinpoint citation down to sentence and item ("BGB § 622 Abs. 2 Satz 1 Nr. 2"), under a one-line lead
/// in the question's language. A sentence's score combines the question terms it matches (weighted as
/// retrieval weighs them), its provision's retrieval rank, whether it carries the kind of information
/// the question asks for (a period for "wie lange", an amount for "wie hoch") and, when a sentence scorer
/// is given, its dense similarity to the question. Sentences are chosen greedily by the question terms
/// they add (so two sentences saying the same thing are not both quoted).
/// </summary>
public sealed class ExtractiveComposer(ExtractiveOptions? options = null, ISentenceScorer? sentenceScorer = null)
{
    private readonly ExtractiveOptions _options = options ?? new ExtractiveOptions();

    /// <summary>A "see also" provision's best sentence must score at least this share of the best quoted one.</summary>
    public const double SeeAlsoShare = 0.6;

    /// <param name="Sentence">1-based sentence within the paragraph; null when the paragraph has one.</param>
    /// <param name="Item">Label of the numbered item quoted, with <paramref name="Intro"/> the enumeration's introduction.</param>
    private sealed record Candidate(AnswerSource Source, int SourceRank, int ParagraphIndex, string? Label, int? Sentence, string? Item, string? Intro,
        TextSpan Span, HashSet<string> Matched, double Prior, double Score, double Similarity = 0)
    {
        /// <summary>Speaks to the question: matches its terms, or is close to it in meaning.</summary>
        public bool Relevant => Matched.Count > 0 || Similarity > 0;

        /// <summary>The sentence's own evidence, without its provision's retrieval rank.</summary>
        public double Evidence => Prior <= 0 ? 0 : Score / Prior;

        /// <summary>The text the reader sees and the dense scorer compares: the item under its introduction.</summary>
        public string Display(int max) => Intro is null ? Shorten(Span.Text, max, out _) : $"{Shorten(Intro, max / 2, out _)} … {Shorten(Span.Text, max, out _)}";
    }

    private sealed record Prepared(AnswerTexts Texts, List<AnswerSource> Top, QueryTerms Terms, IReadOnlyList<QuestionKind> Asked, List<Candidate> Candidates);

    public ComposedAnswer Compose(string question, string answerLanguage, IReadOnlyList<AnswerSource> sources)
    {
        var prepared = Prepare(question, answerLanguage, sources);
        return prepared is null ? new ComposedAnswer([AnswerTexts.For(answerLanguage).Refusal], []) : Render(prepared);
    }

    /// <summary><see cref="Compose"/>, with the dense similarity of each sentence when a sentence scorer was given.</summary>
    public async Task<ComposedAnswer> ComposeAsync(string question, string answerLanguage, IReadOnlyList<AnswerSource> sources, CancellationToken cancellationToken)
    {
        var prepared = Prepare(question, answerLanguage, sources);
        if (prepared is null) return new ComposedAnswer([AnswerTexts.For(answerLanguage).Refusal], []);
        if (sentenceScorer is not null && sentenceScorer.Supports(answerLanguage) && prepared.Candidates.Count > 0)
        {
            var similarities = await sentenceScorer.ScoreAsync(question, prepared.Candidates.Select(c => c.Display(_options.MaxQuoteChars)).ToList(), cancellationToken).ConfigureAwait(false);
            if (similarities.Count != prepared.Candidates.Count)
                throw new InvalidDataException($"the sentence scorer returned {similarities.Count} scores for {prepared.Candidates.Count} sentences");
            // Added on the lexical scale (a perfect match is worth DenseWeight times the best lexical sentence),
            // so a sentence sharing no word with the question can still be quoted when it says what was asked.
            var scale = prepared.Candidates.Max(c => c.Evidence);
            if (scale <= 0) scale = 1;
            for (var i = 0; i < prepared.Candidates.Count; i++)
            {
                var c = prepared.Candidates[i];
                prepared.Candidates[i] = c with { Score = c.Score + _options.DenseWeight * Math.Max(0, similarities[i]) * scale * c.Prior, Similarity = Math.Max(0, similarities[i]) };
            }
        }
        return Render(prepared);
    }

    private Prepared? Prepare(string question, string answerLanguage, IReadOnlyList<AnswerSource> sources)
    {
        var texts = AnswerTexts.For(answerLanguage);
        // Quote from one legal order: a German question answered from German law must not drift into a
        // French article that happens to share a word ("Testament"). The best source decides the language.
        var top = sources.Take(_options.MaxSources).ToList();
        if (top.Count == 0) return null;
        top = top.Where(s => s.Provision.Language == top[0].Provision.Language).ToList();
        var terms = new QueryTerms(question, top[0].Provision.Language);
        // What is asked is read in the question's language; whether a sentence says it, in the statute's.
        var asked = QuestionCues.For(LanguageDetector.Detect(question, answerLanguage)).Asked(question);
        var statuteCues = QuestionCues.For(top[0].Provision.Language);
        var candidates = new List<Candidate>();
        for (var rank = 0; rank < top.Count; rank++)
            candidates.AddRange(CandidatesOf(top[rank], rank, terms, asked, statuteCues));
        return new Prepared(texts, top, terms, asked, candidates);
    }

    private ComposedAnswer Render(Prepared prepared)
    {
        var (texts, top, terms, asked, candidates) = (prepared.Texts, prepared.Top, prepared.Terms, prepared.Asked, prepared.Candidates);
        var chosen = Choose(candidates, terms);
        if (chosen.Count == 0)
        {
            // Nothing in the text matched the question's words (a citation lookup, or a question in
            // another language than the corpus): quote the opening of the best provision.
            var first = candidates.FirstOrDefault(c => c.SourceRank == 0);
            if (first is not null) chosen.Add(first);
        }

        // The deciding provision is named only when sentence scoring and retrieval agree on it, clearly.
        var best = chosen.Count == 0 ? null : chosen.MaxBy(c => c.Score)!;
        // The margin compares the sentences' own evidence; retrieval's say is that the best must come from its first hit.
        var bestOther = best is null ? 0 : candidates.Where(c => c.Source.ProvisionId != best.Source.ProvisionId && c.Relevant).Select(c => c.Evidence).DefaultIfEmpty(0).Max();
        var margin = best is null || best.Evidence <= 0 ? 0 : Math.Clamp(1 - bestOther / best.Evidence, 0, 1);
        var decisive = best is not null && best.SourceRank == 0 && best.Relevant && margin >= _options.DecisiveMargin;

        chosen = chosen.OrderBy(c => c.SourceRank).ThenBy(c => c.ParagraphIndex).ThenBy(c => c.Span.Start).ToList();
        var lines = new List<string>();
        var citations = new List<AnswerCitation>();
        var quotedSources = chosen.Select(c => c.Source).DistinctBy(s => s.ProvisionId).ToList();
        lines.Add(Lead(texts, quotedSources, decisive));
        foreach (var c in chosen)
        {
            var pinpoint = Pinpoint(c.Source, c.Label, c.Sentence, c.Item);
            var quote = Shorten(c.Span.Text, _options.MaxQuoteChars, out var cut);
            var shown = c.Intro is null ? quote : $"{Shorten(c.Intro, _options.MaxQuoteChars / 2, out _)} … {quote}";
            lines.Add($"- {texts.OpenQuote}{shown}{(cut ? " …" : "")}{texts.CloseQuote} [{pinpoint}]");
            citations.Add(CitationOf(citations.Count + 1, c.Source, pinpoint, quote, c.Label, c.Source.Provision.Provision.Paragraphs[c.ParagraphIndex].Page));
        }

        // Other good provisions the reader should know of, each with its most relevant sentence as the highlight.
        // Only provisions nearly as relevant as what was quoted: a "see also" is a citation the reader will
        // follow, so a weak one costs more than it gives.
        var bar = chosen.Count == 0 ? double.MaxValue : SeeAlsoShare * chosen.Max(c => c.Score);
        var more = top.Where(s => quotedSources.All(q => q.ProvisionId != s.ProvisionId))
            .Where(s => candidates.Any(c => c.Source == s && c.Relevant && c.Score >= bar))
            .Take(_options.SeeAlso).ToList();
        if (more.Count > 0)
        {
            var refs = new List<string>();
            foreach (var s in more)
            {
                var top1 = candidates.Where(c => c.Source == s).MaxBy(c => c.Score)!;
                var quote = Shorten(top1.Span.Text, _options.MaxQuoteChars, out _);
                citations.Add(CitationOf(citations.Count + 1, s, s.Citation, quote, top1.Label, s.Provision.Provision.Paragraphs[top1.ParagraphIndex].Page));
                refs.Add($"[{s.Citation}]" + (s.Provision.Provision.Heading.Length > 0 ? $" {s.Provision.Provision.Heading}" : ""));
            }
            lines.Add($"{texts.SeeAlso} {string.Join("; ", refs)}");
        }
        return new ComposedAnswer(lines, citations) { Decisive = decisive, Margin = margin, Asked = asked };
    }

    private IEnumerable<Candidate> CandidatesOf(AnswerSource source, int rank, QueryTerms terms, IReadOnlyList<QuestionKind> asked, QuestionCues statuteCues)
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
                int? sentenceNumber = sentences.Count > 1 ? s + 1 : null;
                var (intro, items) = SentenceSplitter.Items(sentences[s]);
                if (items.Count > 0)
                {
                    // An enumeration: each item is a candidate of its own, read under its introduction, so
                    // "nach zehn Jahren" quotes and cites the one item saying so ("… Nr. 4").
                    var introText = intro is null ? null : WithoutLabel(intro).Text;
                    var introTerms = introText is null ? [] : terms.Matched(introText);
                    if (intro is not null && introText!.Any(char.IsLetter))
                        yield return Score(source, rank, p, paragraph.Label, sentenceNumber, null, null, WithoutLabel(intro), introTerms, [], prior, s, terms, headingTerms, asked, statuteCues, incomplete: true);
                    foreach (var item in items)
                    {
                        var span = item.Span.Text.Length > _options.MaxQuoteChars ? SentenceSplitter.Clauses(item.Span).FirstOrDefault() ?? item.Span : item.Span;
                        yield return Score(source, rank, p, paragraph.Label, sentenceNumber, item.Label, introText, span, terms.Matched(item.Span.Text), introTerms, prior, s, terms, headingTerms, asked, statuteCues);
                    }
                    continue;
                }
                var spans = sentences[s].Text.Length > _options.MaxQuoteChars ? SentenceSplitter.Clauses(sentences[s]) : [sentences[s]];
                if (spans.Count == 0) spans = [sentences[s]];
                foreach (var raw in spans)
                {
                    var span = WithoutLabel(raw);
                    if (!span.Text.Any(char.IsLetter)) continue;
                    yield return Score(source, rank, p, paragraph.Label, sentenceNumber, null, null, span, terms.Matched(span.Text), [], prior, s, terms, headingTerms, asked, statuteCues);
                }
            }
        }
    }

    private Candidate Score(AnswerSource source, int rank, int p, string? label, int? sentence, string? item, string? intro, TextSpan span,
        HashSet<string> matched, HashSet<string> introTerms, double prior, int s, QueryTerms terms, HashSet<string> headingTerms, IReadOnlyList<QuestionKind> asked, QuestionCues statuteCues, bool incomplete = false)
    {
        // An item's introduction speaks for every item, so its terms count half: the item's own words decide.
        var all = new HashSet<string>(matched, StringComparer.Ordinal);
        all.UnionWith(introTerms);
        // A sentence of a provision whose heading matches speaks to the question even in general words.
        var weight = terms.WeightOf(matched) + 0.5 * terms.WeightOf(introTerms.Except(matched)) + 0.3 * terms.WeightOf(headingTerms.Except(all));
        var lengthPenalty = 1.0 + Math.Max(0, span.Text.Length - 200) / 400.0;
        var openingBonus = p == 0 && s == 0 && item is null ? 1.1 : 1.0; // the rule usually comes first
        // "Dies gilt auch, wenn …" means nothing without the sentence before it.
        // An enumeration's introduction ("…, wenn") says nothing until an item completes it.
        var dependent = LeansOnContext(span.Text) || incomplete ? 0.5 : 1.0;
        // The kind of information asked for: a period for "wie lange", an amount for "wie hoch".
        var carries = asked.Where(k => statuteCues.Says(k, span.Text)).ToList();
        var cue = carries.Count == 0 ? 1.0
            : 1.0 + carries.Max(k => k is QuestionKind.Duration or QuestionKind.Amount ? _options.SpecificCueBonus : _options.GeneralCueBonus);
        return new Candidate(source, rank, p, label, sentence, item, intro, span, all, prior, weight * prior * openingBonus * dependent * cue / lengthPenalty);
    }

    private List<Candidate> Choose(List<Candidate> candidates, QueryTerms terms)
    {
        var chosen = new List<Candidate>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var pool = candidates.Where(c => c.Relevant).ToList();
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
                // A sentence matching no term is here only by its dense similarity, which counts as it is.
                var gain = matched <= 0 ? (chosen.Count == 0 ? c.Score : 0.3 * c.Score) : c.Score * (added + 0.3 * (matched - added)) / matched;
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

    private static string Lead(AnswerTexts texts, IReadOnlyList<AnswerSource> quoted, bool decisive)
    {
        // Each citation states its version where the source dates it: "Code civil, art. 910 (version en vigueur du 19/05/2011)".
        var names = quoted.Select(s => texts.WithVersion(s.Citation, s.Provision.Provision.ValidFrom))
            .Select((name, i) => quoted[i].Provision.Provision.Heading is { Length: > 0 } heading ? $"{name} ({heading})" : name).ToList();
        var list = names.Count <= 1 ? names.FirstOrDefault() ?? ""
            : string.Join(", ", names.Take(names.Count - 1)) + $" {texts.And} " + names[^1];
        var format = (decisive, names.Count > 1) switch
        {
            (true, false) => texts.Lead,
            (true, true) => texts.LeadMany,
            (false, false) => texts.CandidateLead,
            (false, true) => texts.CandidateLeadMany,
        };
        var lead = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, list);
        var sourceLanguage = LanguageDetector.Normalize(quoted.FirstOrDefault()?.Provision.Language);
        if (quoted.Count > 0 && sourceLanguage != texts.Language)
            lead = lead.TrimEnd(':', ' ') + string.Format(System.Globalization.CultureInfo.InvariantCulture, texts.QuotedIn, texts.LanguageName(sourceLanguage)) + (texts.Language == "fr" ? " :" : ":");
        return lead;
    }

    /// <summary>The citation of the paragraph holding the quote ("BGB § 573 Abs. 2"), or of the provision.</summary>
    public static string Pinpoint(AnswerSource source, string? paragraphLabel) => Pinpoint(source, paragraphLabel, null, null);

    /// <summary>
    /// The citation down to the sentence and numbered item holding the quote ("BGB § 622 Abs. 2 Satz 1 Nr. 2"),
    /// in the style of the provision's legal order. The paragraph is named only where the provision has
    /// several; the sentence only where the paragraph has several (the caller passes null otherwise).
    /// </summary>
    public static string Pinpoint(AnswerSource source, string? paragraphLabel, int? sentence, string? item)
    {
        var p = source.Provision;
        var paragraph = p.Provision.Paragraphs.Count <= 1 ? null : paragraphLabel;
        if (paragraph is null && sentence is null && item is null) return p.Provision.Citation;
        return CitationFormatter.Format(p.Language, p.ActName, p.Provision.Kind, p.Provision.Number, paragraph, sentence, item);
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
        ValidFrom = source.Provision.Provision.ValidFrom,
        ValidTo = source.Provision.Provision.ValidTo,
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
