using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.Reports;

namespace LegalRag.Evaluation.Answers;

/// <summary>The gold of one question after resolution: what answer citations and retrieved results are matched against.</summary>
internal sealed record ResolvedGold(string Citation, string? Key, string? CitationKey, GoldStatus Status)
{
    public bool Matches(string? provisionKey, string? citationKey) =>
        Status != GoldStatus.Unresolvable
        && ((Key is not null && provisionKey is not null && string.Equals(Key, provisionKey, StringComparison.Ordinal))
            || (CitationKey is not null && citationKey is not null && string.Equals(CitationKey, citationKey, StringComparison.Ordinal)));

    /// <summary>Identity of the gold provision, so two gold citations of the same provision count once.</summary>
    public string Identity => Key ?? "citation:" + CitationKey;
}

/// <summary>Scores one generated answer: citations against gold, refusal, and groundedness.</summary>
internal static class AnswerScorer
{
    public static async Task<AnswerOutcome> ScoreAsync(
        AnswerResult answer, IReadOnlyList<ResolvedGold> gold, bool shouldRefuse, string? corpus,
        IGoldResolver? resolver, IProvisionTextLookup? texts, double latencyMs, CancellationToken cancellationToken, DateOnly? asOf = null)
    {
        var resolvable = gold.Where(g => g.Status != GoldStatus.Unresolvable).DistinctBy(g => g.Identity).ToList();
        var citations = new List<AnswerCitationOutcome>(answer.Citations.Count);
        var citedIdentities = new HashSet<string>(StringComparer.Ordinal);
        var citedGold = new HashSet<string>(StringComparer.Ordinal);
        var grounded = texts is null ? (bool?)null : true;

        foreach (var cited in answer.Citations)
        {
            var citationKey = CitationKey.Of(cited.Citation);
            var key = !string.IsNullOrWhiteSpace(cited.ProvisionId) ? cited.ProvisionId
                : resolver is not null && cited.Citation.Length > 0 ? await resolver.ResolveAsync(cited.Citation, corpus, cancellationToken).ConfigureAwait(false)
                : null;
            var matched = resolvable.FirstOrDefault(g => g.Matches(key, citationKey));
            if (matched is not null) citedGold.Add(matched.Identity);
            citedIdentities.Add(matched?.Identity ?? key ?? citationKey ?? "raw:" + cited.Citation);

            string? problem = null;
            if (texts is not null)
            {
                var text = key is null ? null : await texts.GetTextAsync(key, cancellationToken).ConfigureAwait(false);
                if (text is null) problem = $"cited provision \"{(key ?? cited.Citation)}\" does not exist in the corpus";
                else if (!string.IsNullOrWhiteSpace(cited.Quote) && !ContainsVerbatim(text, cited.Quote))
                    problem = "quoted text does not appear verbatim in the cited provision";
                if (problem is not null) grounded = false;
            }
            citations.Add(new AnswerCitationOutcome(cited.Citation, cited.ProvisionId, cited.Quote, key, matched is not null, problem, cited.ValidFrom, cited.ValidTo));
        }

        double? precision = resolvable.Count == 0 || citedIdentities.Count == 0 ? null : (double)citedGold.Count / citedIdentities.Count;
        double? recall = resolvable.Count == 0 ? null : (double)citedGold.Count / resolvable.Count;
        return new AnswerOutcome
        {
            Answer = answer.Answer,
            Refused = answer.Refused,
            Citations = citations,
            CitationPrecision = precision,
            CitationRecall = recall,
            RefusalCorrect = answer.Refused == shouldRefuse,
            Grounded = answer.Refused && answer.Citations.Count == 0 ? null : grounded,
            PointInTime = asOf is { } day && !shouldRefuse && resolvable.Count > 0 ? PointInTime(citations, day) : null,
            LatencyMs = latencyMs,
        };
    }

    /// <summary>
    /// Whether the answer cites a gold provision in the version in force on <paramref name="day"/> (from on or before it, to
    /// after it). An answer citing no gold at all, or refusing, did not; a gold citation without any validity dates cannot
    /// be told apart from another version, so such an answer is not judged (null) rather than counted right.
    /// </summary>
    internal static bool? PointInTime(IReadOnlyList<AnswerCitationOutcome> citations, DateOnly day)
    {
        var gold = citations.Where(c => c.MatchesGold).ToList();
        if (gold.Any(c => (c.ValidFrom is null || c.ValidFrom <= day) && (c.ValidTo is null || c.ValidTo > day) && (c.ValidFrom is not null || c.ValidTo is not null)))
            return true;
        return gold.Any(c => c.ValidFrom is null && c.ValidTo is null) ? null : false;
    }

    /// <summary>Verbatim up to whitespace: line breaks and runs of spaces differ between a stored text and
    /// a quote rendered in an answer without the words differing.</summary>
    public static bool ContainsVerbatim(string text, string quote)
    {
        var needle = CollapseWhitespace(quote);
        return needle.Length == 0 || CollapseWhitespace(text).Contains(needle, StringComparison.Ordinal);
    }

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Normalize().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
