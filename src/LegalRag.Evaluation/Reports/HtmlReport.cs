using System.Globalization;
using System.Text;
using LegalRag.Evaluation.Comparison;
using LegalRag.Evaluation.Gold;
using static LegalRag.Evaluation.Reports.Svg;

namespace LegalRag.Evaluation.Reports;

/// <summary>
/// Renders a report as one self-contained HTML file: inline CSS and SVG, no script, nothing fetched from
/// the network, every piece of text HTML-escaped (questions and answers are user-written and may hold markup).
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    /// <summary>Bounds the page for very large sets; the JSON keeps every question.</summary>
    public const int MaxQuestionRows = 5000;
    public const int MaxChangedQuestions = 300;

    private const string Style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1b1f24}
        h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
        table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem 1rem}.fail{color:#cf222e;font-weight:bold}.pass{color:#1a7f37;font-weight:bold}
        .worse{color:#cf222e}.better{color:#1a7f37}.muted{color:#57606a}
        svg{font:11px system-ui,sans-serif;display:block;margin:.5rem 0}svg .grid{stroke:#e1e4e8}svg .bar{fill:#0969da}
        code{font-size:12px}details{margin:.5rem 0}
        """;

    public static string Render(EvalReport report, ReportComparison? comparison = null, EvalReport? baseline = null)
    {
        var html = new StringBuilder(64 * 1024);
        var title = $"Evaluation: {report.Run.QuestionSet.Name} · {report.Run.Mode}";
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(C, $"<title>{H(title)}</title><style>{Style}</style></head><body>");
        html.Append(C, $"<h1>{H(title)}</h1>");

        RunSection(html, report);
        if (report.Warnings.Count > 0)
        {
            html.Append("<div class=\"warn\"><ul>");
            foreach (var w in report.Warnings) html.Append(C, $"<li>{H(w)}</li>");
            html.Append("</ul></div>");
        }
        if (comparison is not null) Verdict(html, comparison);
        Headline(html, report);
        Charts(html, report, baseline);
        Breakdowns(html, report);
        if (comparison is not null) ComparisonSection(html, comparison);
        Unresolvable(html, report);
        QuestionTable(html, report);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void RunSection(StringBuilder html, EvalReport report)
    {
        var run = report.Run;
        html.Append("<table>");
        Row(html, "Started (UTC)", run.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", C));
        Row(html, "Duration", $"{F(run.DurationMs / 1000)} s, {run.Parallelism} in parallel");
        Row(html, "Mode · k · corpus", $"{run.Mode} · {run.K} · {run.Corpus ?? "(all)"}");
        Row(html, "Question set", $"{run.QuestionSet.Name} ({run.QuestionSet.Format}, {run.QuestionSet.Questions} questions, sha256 {run.QuestionSet.Sha256})");
        Row(html, "Corpus snapshot", run.CorpusSnapshot ?? "(not recorded)");
        foreach (var source in run.CorpusSources)
        {
            var span = source.FirstRetrievedUtc is { } first && source.LastRetrievedUtc is { } last
                ? $", retrieved {first.ToString("yyyy-MM-dd HH:mm", C)} to {last.ToString("yyyy-MM-dd HH:mm", C)} UTC" : "";
            var publishers = source.Publishers.Count == 0 ? "publisher not recorded" : string.Join(", ", source.Publishers);
            Row(html, $"Corpus source: {source.Corpus}",
                $"{source.WithProvenance} of {source.Documents} documents with provenance; {publishers}; from {(source.Origins.Count == 0 ? "(unknown)" : string.Join(", ", source.Origins))}{span}");
        }
        Row(html, "Code", $"{run.Code.Version}" + (run.Code.GitCommit is null ? "" : $", commit {run.Code.GitCommit}{(run.Code.GitDirty == true ? " (uncommitted changes)" : "")}"));
        foreach (var model in run.Models) Row(html, "Model file", $"{model.Path} sha256 {model.Sha256}");
        foreach (var (key, value) in run.Configuration) Row(html, $"config: {key}", value);
        Row(html, "Machine", $"{run.Machine.Os}, {run.Machine.ProcessorCount} cores, {run.Machine.Runtime}");
        var counts = report.Counts;
        Row(html, "Questions", $"{counts.Questions} total, {counts.Evaluated} evaluated, {counts.WithoutGold} without gold, {counts.AllGoldUnresolvable} with only unresolvable gold, {counts.RetrievalErrors} retrieval errors" + (run.AnswersEvaluated ? $", {counts.AnswerErrors} answer errors" : ""));
        html.Append("</table>");
    }

    private static void Verdict(StringBuilder html, ReportComparison comparison)
    {
        html.Append(comparison.Passed
            ? $"<p class=\"pass\">PASS against the baseline: no gated metric dropped by more than {F(comparison.Tolerance)}.</p>"
            : $"<p class=\"fail\">FAIL against the baseline: {H(string.Join(", ", comparison.Regressions.Select(r => $"{r.Name} {r.Delta.ToString("+0.####;-0.####", C)}")))} (tolerance {F(comparison.Tolerance)}).</p>");
    }

    private static void Headline(StringBuilder html, EvalReport report)
    {
        html.Append("<h2>Headline metrics</h2><table><tr><th>metric</th><th>value</th><th>95% CI (bootstrap)</th></tr>");
        foreach (var (name, value) in report.Metrics)
        {
            var ci = report.ConfidenceIntervals.TryGetValue(name, out var interval) ? string.Create(C, $"{interval.Low:0.####} – {interval.High:0.####}") : "";
            html.Append(C, $"<tr><td>{H(name)}</td><td class=\"n\">{value:0.####}</td><td class=\"n\">{H(ci)}</td></tr>");
        }
        html.Append("</table>");
        html.Append(C, $"<p class=\"muted\">Intervals: {report.Run.Bootstrap.Resamples} bootstrap resamples over questions, seed {report.Run.Bootstrap.Seed}.</p>");
    }

    private static void Charts(StringBuilder html, EvalReport report, EvalReport? baseline)
    {
        html.Append("<h2>Recall@k</h2>");
        // The baseline is drawn first and dashed, so identical curves still show both.
        var series = new List<(string, string, bool, IReadOnlyList<double>)>();
        if (baseline is not null) series.Add(("baseline", "#bf8700", true, RecallCurve(baseline)));
        series.Add(("this run", "#0969da", false, RecallCurve(report)));
        html.Append(Svg.RecallCurve(series, "Recall at k"));

        html.Append("<h2>Latency</h2>");
        var latencies = report.Questions.Where(q => q.Error is null).Select(q => q.LatencyMs).ToList();
        var upper = report.Metrics.TryGetValue("latency_p99_ms", out var p99) ? p99 : latencies.DefaultIfEmpty(1).Max();
        html.Append(Histogram(latencies, upper * 1.05, 24, "ms", "Retrieval latency per question"));

        html.Append("<h2>Recall@10 per tag</h2>");
        var tags = report.Breakdowns.ByTag.Where(t => t.Value.Evaluated > 0).Take(60)
            .Select(t => (t.Key, t.Value.Metrics.GetValueOrDefault("recall@10"), t.Value.Evaluated)).ToList();
        html.Append(tags.Count == 0 ? "<p class=\"muted\">No tagged questions.</p>" : Bars(tags, "Recall at 10 per tag"));
    }

    /// <summary>Recall at every k from 1 to K, from the gold ranks kept for each question.</summary>
    internal static IReadOnlyList<double> RecallCurve(EvalReport report)
    {
        var k = report.Run.K;
        var sums = new double[k + 1];
        var evaluated = 0;
        foreach (var question in report.Questions.Where(q => q.Evaluated))
        {
            var ranks = question.Gold.Where(g => g.Status != GoldStatus.Unresolvable)
                .GroupBy(g => g.Key ?? CitationKey.Of(g.Citation) ?? g.Citation, StringComparer.Ordinal)
                .Select(g => g.First().Rank).ToList();
            if (ranks.Count == 0) continue;
            evaluated++;
            foreach (var rank in ranks)
                if (rank is { } r && r <= k) sums[r] += 1.0 / ranks.Count;
        }
        var curve = new double[k];
        double cumulative = 0;
        for (var i = 1; i <= k; i++)
        {
            cumulative += sums[i];
            curve[i - 1] = evaluated == 0 ? 0 : cumulative / evaluated;
        }
        return curve;
    }

    private static void Breakdowns(StringBuilder html, EvalReport report)
    {
        GroupTable(html, "Per language", report.Breakdowns.ByLanguage);
        if (report.Breakdowns.ByTag.Count > 0) GroupTable(html, "Per tag", report.Breakdowns.ByTag);
    }

    private static void GroupTable(StringBuilder html, string title, IReadOnlyDictionary<string, GroupSummary> groups)
    {
        html.Append(C, $"<h2>{H(title)}</h2><table><tr><th>group</th><th>questions</th><th>evaluated</th>");
        var names = groups.Values.FirstOrDefault()?.Metrics.Keys.ToList() ?? [];
        foreach (var name in names) html.Append(C, $"<th>{H(name)}</th>");
        html.Append("</tr>");
        foreach (var (group, summary) in groups)
        {
            html.Append(C, $"<tr><td>{H(group)}</td><td class=\"n\">{summary.Questions}</td><td class=\"n\">{summary.Evaluated}</td>");
            foreach (var name in names) html.Append(C, $"<td class=\"n\">{summary.Metrics.GetValueOrDefault(name):0.###}</td>");
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    private static void ComparisonSection(StringBuilder html, ReportComparison comparison)
    {
        html.Append("<h2>Against the baseline</h2>");
        if (comparison.Warnings.Count > 0)
        {
            html.Append("<div class=\"warn\"><ul>");
            foreach (var w in comparison.Warnings) html.Append(C, $"<li>{H(w)}</li>");
            html.Append("</ul></div>");
        }
        html.Append("<table><tr><th>metric</th><th>baseline</th><th>this run</th><th>delta</th><th></th></tr>");
        foreach (var m in comparison.Metrics)
        {
            var good = m.HigherIsBetter ? m.Delta > 0 : m.Delta < 0;
            var css = m.Delta == 0 ? "" : good ? "better" : "worse";
            var note = m.Regressed ? "<span class=\"fail\">regressed</span>" : m.Gated ? "" : "<span class=\"muted\">not gated</span>";
            html.Append(C, $"<tr><td>{H(m.Name)}</td><td class=\"n\">{m.Baseline:0.####}</td><td class=\"n\">{m.Candidate:0.####}</td><td class=\"n {css}\">{m.Delta:+0.####;-0.####;0}</td><td>{note}</td></tr>");
        }
        html.Append("</table>");
        html.Append(C, $"<p>{comparison.Worse.Count} question(s) worse, {comparison.Better.Count} better, {comparison.UnchangedQuestions} unchanged.</p>");
        ChangedQuestions(html, "Questions that got worse", "worse", comparison.Worse);
        ChangedQuestions(html, "Questions that got better", "better", comparison.Better);
    }

    private static void ChangedQuestions(StringBuilder html, string title, string css, IReadOnlyList<QuestionChange> changes)
    {
        if (changes.Count == 0) return;
        html.Append(C, $"<h3 class=\"{css}\">{H(title)}</h3><table><tr><th>question</th><th>recall@10</th><th>gold (rank before → now)</th><th>retrieved now instead</th><th>retrieved before</th></tr>");
        foreach (var change in changes.Take(MaxChangedQuestions))
        {
            html.Append(C, $"<tr><td><b>{H(change.Id)}</b><br>{H(Shorten(change.Question, 300))}</td>");
            html.Append(C, $"<td class=\"n\">{change.BaselineRecallAt10:0.##} → {change.CandidateRecallAt10:0.##}</td><td>");
            foreach (var g in change.Gold) html.Append(C, $"{H(g.Citation)} ({ReportComparer.RankText(g.BaselineRank)} → {ReportComparer.RankText(g.CandidateRank)})<br>");
            html.Append("</td><td>");
            AppendRetrieved(html, change.CandidateRetrieved);
            html.Append("</td><td>");
            AppendRetrieved(html, change.BaselineRetrieved);
            html.Append("</td></tr>");
        }
        html.Append("</table>");
        if (changes.Count > MaxChangedQuestions) html.Append(C, $"<p class=\"muted\">… and {changes.Count - MaxChangedQuestions} more (all are in the reports' JSON).</p>");
    }

    private static void AppendRetrieved(StringBuilder html, IReadOnlyList<RetrievedResult> retrieved)
    {
        foreach (var r in retrieved.Take(5))
            html.Append(C, $"{r.Rank}. {(r.Relevant ? "<b>" : "")}{H(r.Citation)}{(r.Relevant ? "</b>" : "")}<br>");
    }

    private static void Unresolvable(StringBuilder html, EvalReport report)
    {
        if (report.Unresolvable.Count == 0) return;
        html.Append(C, $"<h2>Unresolvable gold citations ({report.Unresolvable.Count})</h2><p class=\"muted\">These name no provision of the corpus and are left out of the metrics.</p><table><tr><th>question</th><th>citation</th></tr>");
        foreach (var u in report.Unresolvable.Take(MaxQuestionRows)) html.Append(C, $"<tr><td>{H(u.QuestionId)}</td><td>{H(u.Citation)}</td></tr>");
        html.Append("</table>");
    }

    private static void QuestionTable(StringBuilder html, EvalReport report)
    {
        html.Append(C, $"<h2>Questions</h2><details><summary>All {report.Questions.Count} questions</summary><table><tr><th>id</th><th>question</th><th>gold (rank)</th><th>top retrieved</th><th>recall@10</th><th>ms</th></tr>");
        foreach (var q in report.Questions.Take(MaxQuestionRows))
        {
            html.Append(C, $"<tr><td>{H(q.Id)}</td><td>{H(Shorten(q.Question, 200))}");
            if (q.Error is not null) html.Append(C, $"<br><span class=\"fail\">{H(q.Error)}</span>");
            if (q.Answer is { } a) html.Append(C, $"<br><span class=\"muted\">answer{(a.Refused ? " (refused)" : "")}: {H(Shorten(a.Error ?? a.Answer, 200))}</span>");
            html.Append("</td><td>");
            foreach (var g in q.Gold) html.Append(C, $"{H(g.Citation)} ({(g.Status == GoldStatus.Unresolvable ? "unresolvable" : ReportComparer.RankText(g.Rank))})<br>");
            html.Append("</td><td>");
            AppendRetrieved(html, q.Retrieved.Take(3).ToList());
            var recall = q.Evaluated ? q.Metrics.GetValueOrDefault("recall@10").ToString("0.##", C) : "–";
            html.Append(C, $"</td><td class=\"n\">{recall}</td><td class=\"n\">{q.LatencyMs:0.#}</td></tr>");
        }
        html.Append("</table></details>");
    }

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append(C, $"<tr><th>{H(label)}</th><td>{H(value)}</td></tr>");

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
