using System.Collections.Concurrent;
using System.Diagnostics;
using LegalRag.Evaluation.Answers;
using LegalRag.Evaluation.Comparison;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.Metrics;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Retrieval;

namespace LegalRag.Evaluation.Running;

/// <summary>
/// Runs a question set against a retriever (and optionally the answer path), scores every question,
/// and writes report.json and report.html. One failing question is recorded and counted as a miss;
/// it never stops the run.
/// </summary>
public static class EvalRunner
{
    public const int MaxK = 1000;

    public static async Task<EvalRunResult> RunAsync(
        EvalRunOptions options, EvalServices services, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        Validate(options);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var parallelism = options.Parallelism > 0 ? options.Parallelism : Math.Clamp(Environment.ProcessorCount, 1, 16);

        var set = await QuestionSetLoader.LoadAsync(options.SetPath, options.Format, cancellationToken, options.Limits, options.ActForBareGold).ConfigureAwait(false);
        var questions = options.Limit is { } limit ? set.Questions.Take(limit).ToList() : set.Questions;
        // Read everything that can be wrong before the long part, so a typo fails in a second, not after an hour.
        var baseline = options.BaselinePath is null ? null : await ReportJson.ReadAsync(options.BaselinePath, cancellationToken).ConfigureAwait(false);
        var models = await RunProvenance.HashModelFilesAsync(options.ModelFiles, cancellationToken).ConfigureAwait(false);
        var gold = await ResolveGoldAsync(questions, services.GoldResolver, options.Corpus, parallelism, cancellationToken).ConfigureAwait(false);

        var results = new QuestionResult[questions.Count];
        var completed = 0;
        progress?.Report(new EvalProgress(0, questions.Count));
        await Parallel.ForEachAsync(
            Enumerable.Range(0, questions.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                results[index] = await EvaluateQuestionAsync(questions[index], gold, options, services, token).ConfigureAwait(false);
                progress?.Report(new EvalProgress(Interlocked.Increment(ref completed), questions.Count));
            }).ConfigureAwait(false);

        if (results.All(r => r.Error is not null))
            throw new InvalidOperationException($"retrieval failed for every question; the first error: {results[0].Error}");

        var context = new ReportContext(
            set, options, services.Retriever.Mode, parallelism, started, clock.Elapsed.TotalMilliseconds, models,
            RunProvenance.CodeVersion(), RunProvenance.Machine(), services.AnswerClient is not null);
        var report = ReportBuilder.Build(context, questions, results);
        var comparison = baseline is null ? null : ReportComparer.Compare(baseline, report, options.Tolerance);

        string? jsonPath = null, htmlPath = null;
        if (options.OutputDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            jsonPath = Path.Combine(directory, "report.json");
            htmlPath = Path.Combine(directory, "report.html");
            await ReportJson.WriteAsync(report, jsonPath, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(report, comparison, baseline), cancellationToken).ConfigureAwait(false);
        }
        return new EvalRunResult(report, jsonPath, htmlPath, comparison);
    }

    private static void Validate(EvalRunOptions options)
    {
        if (options.K is < 1 or > MaxK) throw new EvalInputException($"--k must be between 1 and {MaxK}, got {options.K}");
        if (options.Tolerance is < 0 or > 1 || double.IsNaN(options.Tolerance)) throw new EvalInputException($"--tolerance must be between 0 and 1, got {options.Tolerance}");
        if (options.Limit is < 1) throw new EvalInputException($"--limit must be at least 1, got {options.Limit}");
        if (options.BootstrapResamples is < 0 or > 100_000) throw new EvalInputException($"bootstrap resamples must be between 0 and 100000, got {options.BootstrapResamples}");
        if (options.RetrievedInReport < 0) throw new EvalInputException("the number of retrieved results kept in the report cannot be negative");
        if (options.Parallelism is < 0 or > 256) throw new EvalInputException($"--parallelism must be between 1 and 256, got {options.Parallelism}");
    }

    /// <summary>Resolves each distinct gold citation once (sets repeat the same provisions many times).</summary>
    private static async Task<IReadOnlyDictionary<string, ResolvedGold>> ResolveGoldAsync(
        IReadOnlyList<EvalQuestion> questions, IGoldResolver? resolver, string? corpus, int parallelism, CancellationToken cancellationToken)
    {
        var distinct = questions.SelectMany(q => q.GoldCitations).Distinct(StringComparer.Ordinal).ToArray();
        var resolved = new ConcurrentDictionary<string, ResolvedGold>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (citation, token) =>
            {
                var citationKey = CitationKey.Of(citation);
                if (resolver is null)
                {
                    resolved[citation] = new ResolvedGold(citation, null, citationKey,
                        citationKey is not null && CitationKey.NamesAct(citationKey) ? GoldStatus.ByCitation : GoldStatus.Unresolvable);
                    return;
                }
                var key = await resolver.ResolveAsync(citation, corpus, token).ConfigureAwait(false);
                resolved[citation] = new ResolvedGold(citation, key, citationKey, key is null ? GoldStatus.Unresolvable : GoldStatus.Resolved);
            }).ConfigureAwait(false);
        return resolved;
    }

    private static async Task<QuestionResult> EvaluateQuestionAsync(
        EvalQuestion question, IReadOnlyDictionary<string, ResolvedGold> goldByCitation, EvalRunOptions options,
        EvalServices services, CancellationToken cancellationToken)
    {
        var gold = question.GoldCitations.Select(c => goldByCitation[c]).ToList();
        IReadOnlyList<RetrievedProvision> hits = [];
        string? error = null;
        var timer = Stopwatch.StartNew();
        try
        {
            hits = await services.Retriever.RetrieveAsync(question.Question, options.K, options.Corpus, question.AsOf ?? options.AsOf, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }
        var latency = timer.Elapsed.TotalMilliseconds;

        var scored = QuestionScorer.Score(gold, hits, options.K, options.RetrievedInReport);
        AnswerOutcome? answer = null;
        if (services.AnswerClient is { } client)
            answer = await AskAsync(client, question, gold, options.Corpus, question.AsOf ?? options.AsOf, services, cancellationToken).ConfigureAwait(false);

        return new QuestionResult
        {
            Id = question.Id,
            Question = question.Question,
            Language = question.Language,
            Tags = question.Tags,
            Gold = scored.Gold,
            Retrieved = scored.Retrieved,
            Evaluated = scored.Evaluated,
            Metrics = scored.Metrics,
            LatencyMs = Math.Round(latency, 3),
            Error = error,
            Answer = answer,
            AsOf = question.AsOf ?? options.AsOf,
        };
    }

    private static async Task<AnswerOutcome> AskAsync(
        IAnswerClient client, EvalQuestion question, IReadOnlyList<ResolvedGold> gold, string? corpus, DateOnly? asOf,
        EvalServices services, CancellationToken cancellationToken)
    {
        var timer = Stopwatch.StartNew();
        try
        {
            var answer = await client.AskAsync(question.Question, corpus, asOf, cancellationToken).ConfigureAwait(false);
            var latency = Math.Round(timer.Elapsed.TotalMilliseconds, 3);
            return await AnswerScorer.ScoreAsync(answer, gold, question.ShouldRefuse, corpus, services.GoldResolver, services.ProvisionText, latency, cancellationToken, asOf).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new AnswerOutcome
            {
                Answer = "",
                Refused = false,
                Citations = [],
                RefusalCorrect = false,
                LatencyMs = Math.Round(timer.Elapsed.TotalMilliseconds, 3),
                Error = $"{ex.GetType().Name}: {ex.Message}",
            };
        }
    }
}
