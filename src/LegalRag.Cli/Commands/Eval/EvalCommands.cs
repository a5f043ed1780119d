using System.CommandLine;
using System.Globalization;
using LegalRag.Core.Domain;
using LegalRag.Evaluation.Answers;
using LegalRag.Evaluation.Comparison;
using LegalRag.Evaluation.Feedback;
using LegalRag.Evaluation.PublicCorpora;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Reports;
using LegalRag.Evaluation.Running;

namespace LegalRag.Cli.Commands.Eval;

/// <summary>
/// <c>legalrag eval …</c>: run, compare, import-corpus, convert-set, export-feedback. Exit codes: 0 success, 1 a metric dropped
/// beyond tolerance against the baseline (the CI gate), 2 bad input (the message names the file and reason),
/// 130 cancelled.
/// </summary>
public static class EvalCommands
{
    public const int ExitOk = 0;
    public const int ExitRegressed = 1;
    public const int ExitBadInput = 2;
    public const int ExitCancelled = 130;

    public static Command Create(EvalCommandHost host)
    {
        var eval = new Command("eval", "Evaluate retrieval and answers against question sets with gold citations.");
        eval.Subcommands.Add(RunCommand(host));
        eval.Subcommands.Add(CompareCommand());
        if (host.StoreDocument is not null) eval.Subcommands.Add(ImportCorpusCommand(host));
        eval.Subcommands.Add(ConvertSetCommand());
        eval.Subcommands.Add(ExportFeedbackCommand(host));
        return eval;
    }

    private static Command RunCommand(EvalCommandHost host)
    {
        var set = new Option<string>("--set") { Description = "Question set: a .jsonl (native), GerLayQA .json, COLIEE .xml or folder of them.", Required = true };
        var format = new Option<string>("--format") { Description = "auto|native|gerlayqa|coliee", DefaultValueFactory = _ => "auto" };
        var corpus = new Option<string?>("--corpus") { Description = "Corpus to search and resolve gold citations in." };
        var k = new Option<int>("--k") { Description = "Results retrieved per question.", DefaultValueFactory = _ => 100 };
        var mode = new Option<string?>("--mode") { Description = "Retrieval mode: lexical, dense, hybrid, hybrid+rerank (default: the application's configured default, as the chat serves)." };
        var output = new Option<string?>("--out") { Description = "Folder for report.json and report.html." };
        var baseline = new Option<string?>("--baseline") { Description = "A previous report.json to compare with; a drop beyond --tolerance exits 1." };
        var tolerance = new Option<double>("--tolerance") { Description = "Allowed absolute drop per metric (0.01 = one point).", DefaultValueFactory = _ => 0.01 };
        var server = new Option<string?>("--server") { Description = "Evaluate answers from a running server (POST {server}/api/ask)." };
        var answers = new Option<bool>("--answers") { Description = "Evaluate answers in process as well as retrieval." };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N questions." };
        var parallelism = new Option<int>("--parallelism") { Description = "Questions in flight at once (0: one per core).", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the bootstrap resampling.", DefaultValueFactory = _ => 20240611UL };
        var act = new Option<string?>("--act") { Description = "Act that bare gold citations of a public set refer to (default: BGB / Civil Code)." };
        var asOf = new Option<string?>("--as-of") { Description = "Ask questions without their own asOf as of this day, YYYY-MM-DD (default: today)." };

        var command = new Command("run", "Run a question set and write report.json and report.html.")
        {
            set, format, corpus, k, mode, output, baseline, tolerance, server, answers, limit, parallelism, seed, act, asOf,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            return await Guard(stderr, async () =>
            {
                var setPath = parse.GetRequiredValue(set);
                var modeName = parse.GetValue(mode);
                Uri? serverUri = null;
                if (parse.GetValue(server) is { } serverText
                    && (!Uri.TryCreate(serverText, UriKind.Absolute, out serverUri) || serverUri.Scheme is not ("http" or "https")))
                    throw new EvalInputException($"--server \"{serverText}\" is not an http(s) address such as http://127.0.0.1:5000");

                if (!Core.Text.IsoDay.TryParse(parse.GetValue(asOf), "--as-of", out var day, out var asOfError)) throw new EvalInputException(asOfError!);
                var request = new EvalServicesRequest(modeName, parse.GetValue(corpus), parse.GetValue(answers), serverUri);
                var setup = await host.CreateServices(request, cancellationToken).ConfigureAwait(false);
                var services = setup.Services;
                using var ownedHttp = serverUri is not null && host.AnswerHttpClient is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(5) } : null;
                if (serverUri is not null) services = services with { AnswerClient = new HttpAnswerClient(host.AnswerHttpClient ?? ownedHttp!, serverUri) };

                var setName = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(setPath));
                var options = new EvalRunOptions
                {
                    SetPath = setPath,
                    Format = QuestionSetLoader.ParseFormat(parse.GetRequiredValue(format)),
                    Corpus = request.Corpus,
                    K = parse.GetValue(k),
                    OutputDirectory = parse.GetValue(output) ?? Path.Combine(host.DefaultReportRoot, $"{setName}-{services.Retriever.Mode}"),
                    BaselinePath = parse.GetValue(baseline),
                    Tolerance = parse.GetValue(tolerance),
                    Parallelism = parse.GetValue(parallelism),
                    Limit = parse.GetValue(limit),
                    BootstrapSeed = parse.GetValue(seed),
                    ActForBareGold = parse.GetValue(act),
                    AsOf = day,
                    CorpusSnapshot = setup.CorpusSnapshot,
                    CorpusSources = setup.CorpusSources ?? [],
                    ModelFiles = setup.ModelFiles ?? [],
                    Configuration = setup.Configuration ?? new Dictionary<string, string>(),
                };

                EvalRunResult result;
                using (var progress = host.CreateProgress?.Invoke(stderr) ?? new TextProgressBar(stderr, enabled: !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)))
                {
                    result = await EvalRunner.RunAsync(options, services, progress, cancellationToken).ConfigureAwait(false);
                }
                WriteSummary(stdout, result);
                if (result.Comparison is { } comparison) await stdout.WriteAsync(ReportComparer.FormatText(comparison)).ConfigureAwait(false);
                return result.Regressed ? ExitRegressed : ExitOk;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CompareCommand()
    {
        var baseline = new Argument<string>("baseline") { Description = "The reference report.json." };
        var candidate = new Argument<string>("candidate") { Description = "The new report.json." };
        var tolerance = new Option<double>("--tolerance") { Description = "Allowed absolute drop per metric (0.01 = one point).", DefaultValueFactory = _ => 0.01 };
        var html = new Option<string?>("--html") { Description = "Also write the candidate's HTML report with the comparison to this file." };
        var command = new Command("compare", "Compare two reports; exits 1 when a metric dropped beyond tolerance.") { baseline, candidate, tolerance, html };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            return await Guard(parse.InvocationConfiguration.Error, async () =>
            {
                var before = await ReportJson.ReadAsync(parse.GetRequiredValue(baseline), cancellationToken).ConfigureAwait(false);
                var after = await ReportJson.ReadAsync(parse.GetRequiredValue(candidate), cancellationToken).ConfigureAwait(false);
                var t = parse.GetValue(tolerance);
                if (t is < 0 or > 1 || double.IsNaN(t)) throw new EvalInputException($"--tolerance must be between 0 and 1, got {t.ToString(CultureInfo.InvariantCulture)}");
                var comparison = ReportComparer.Compare(before, after, t);
                await stdout.WriteAsync(ReportComparer.FormatText(comparison)).ConfigureAwait(false);
                if (parse.GetValue(html) is { } htmlPath)
                    await File.WriteAllTextAsync(htmlPath, HtmlReport.Render(after, comparison, before), cancellationToken).ConfigureAwait(false);
                return comparison.Passed ? ExitOk : ExitRegressed;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ImportCorpusCommand(EvalCommandHost host)
    {
        var file = new Argument<string>("file") { Description = "GerLayQA bgb.json or COLIEE articlesFull.json." };
        var format = new Option<string>("--format") { Description = "gerlayqa|coliee", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "Name of the corpus to store it in.", Required = true };
        var command = new Command("import-corpus", "Store a public question set's own corpus so the set can be evaluated against it.") { file, format, corpus };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            return await Guard(parse.InvocationConfiguration.Error, async () =>
            {
                var corpusFormat = PublicCorpusImporter.ParseFormat(parse.GetRequiredValue(format));
                var corpusName = parse.GetRequiredValue(corpus);
                var document = await PublicCorpusImporter.ImportAsync(corpusFormat, parse.GetRequiredValue(file), corpusName, cancellationToken).ConfigureAwait(false);
                await host.StoreDocument!(new CorpusInfo(corpusName, PublicCorpusImporter.LanguageOf(corpusFormat)), document, cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync($"{document.SourcePath}: {document.Provisions.Count} provisions of {document.ActName} stored in corpus \"{corpusName}\"").ConfigureAwait(false);
                foreach (var warning in document.Warnings) await stdout.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
                return ExitOk;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ConvertSetCommand()
    {
        var input = new Argument<string>("set") { Description = "A question set in any supported format." };
        var format = new Option<string>("--format") { Description = "auto|native|gerlayqa|coliee", DefaultValueFactory = _ => "auto" };
        var output = new Option<string>("--out") { Description = "The native .jsonl file to write.", Required = true };
        var command = new Command("convert-set", "Convert a question set to the native JSONL format, e.g. to review a public set in a diff.") { input, format, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            return await Guard(parse.InvocationConfiguration.Error, async () =>
            {
                var set = await QuestionSetLoader.LoadAsync(parse.GetRequiredValue(input), QuestionSetLoader.ParseFormat(parse.GetRequiredValue(format)), cancellationToken).ConfigureAwait(false);
                var path = parse.GetRequiredValue(output);
                await using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false)))
                    NativeQuestionSet.Write(writer, set.Questions);
                await stdout.WriteLineAsync($"{set.Questions.Count} questions written to {path}").ConfigureAwait(false);
                return ExitOk;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command ExportFeedbackCommand(EvalCommandHost host)
    {
        var feedback = new Option<string?>("--feedback") { Description = "The server's feedback log (default: feedback.jsonl in the data folder)." };
        var output = new Option<string>("--out") { Description = "The native .jsonl question set to write, e.g. evals/feedback.jsonl.", Required = true };
        var command = new Command("export-feedback", "Turn evaluators' feedback into a native question set: gold = provisions marked right plus named corrections.") { feedback, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            return await Guard(parse.InvocationConfiguration.Error, async () =>
            {
                var path = parse.GetValue(feedback) ?? host.DefaultFeedbackPath();
                var result = FeedbackExport.ToQuestions(await FeedbackExport.ReadAsync(path, cancellationToken).ConfigureAwait(false));
                var target = parse.GetRequiredValue(output);
                if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } folder) Directory.CreateDirectory(folder);
                await using (var writer = new StreamWriter(target, append: false, new System.Text.UTF8Encoding(false)))
                    NativeQuestionSet.Write(writer, result.Questions);
                await stdout.WriteLineAsync($"{result.Questions.Count} questions from {result.Entries} feedback entries written to {target}; " +
                                            $"{result.Skipped} skipped (only 'wrong' with no correction)").ConfigureAwait(false);
                return ExitOk;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static void WriteSummary(TextWriter output, EvalRunResult result)
    {
        var report = result.Report;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{report.Run.QuestionSet.Name}: {report.Counts.Questions} questions ({report.Counts.Evaluated} evaluated), mode {report.Run.Mode}, k={report.Run.K}, {report.Run.DurationMs / 1000:0.0} s"));
        foreach (var (name, value) in report.Metrics)
        {
            var ci = report.ConfidenceIntervals.TryGetValue(name, out var interval) ? string.Create(c, $"  [{interval.Low:0.####}, {interval.High:0.####}]") : "";
            output.WriteLine(string.Create(c, $"  {name,-26} {value,10:0.####}{ci}"));
        }
        foreach (var warning in report.Warnings) output.WriteLine($"warning: {warning}");
        if (result.ReportJsonPath is not null) output.WriteLine($"report: {result.ReportJsonPath}");
        if (result.ReportHtmlPath is not null) output.WriteLine($"report: {result.ReportHtmlPath}");
    }

    /// <summary>Turns expected failures into a message and an exit code instead of a stack trace.</summary>
    private static async Task<int> Guard(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (EvalInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitBadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return ExitCancelled;
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitBadInput;
        }
    }
}
