using System.CommandLine;
using LegalRag.Core.Domain;
using LegalRag.Cli.Commands.Eval;
using LegalRag.Evaluation.Gold;
using LegalRag.Evaluation.QuestionSets;
using LegalRag.Evaluation.Running;
using LegalRag.Evaluation.Tests.Running;
using LegalRag.Evaluation.Tests.Support;

namespace LegalRag.Evaluation.Tests.Commands;

public sealed class EvalCommandsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Host
    {
        public List<EvalServicesRequest> Requests { get; } = [];
        public List<(CorpusInfo Corpus, LegalDocument Document)> Stored { get; } = [];
        public int Q1Rank { get; set; } = 2;

        public EvalCommandHost Create() => new()
        {
            CreateServices = (request, _) =>
            {
                Requests.Add(request);
                if (request.Mode == "quantum") throw new EvalInputException("unknown mode \"quantum\"");
                var catalog = new ProvisionCatalog(FixtureCorpus.Load());
                var services = new EvalServices(EvalRunnerTests.Scripted(Q1Rank)) { GoldResolver = catalog, ProvisionText = catalog };
                return Task.FromResult(new EvalSetup(services, CorpusSnapshot: "snap-1", Configuration: new Dictionary<string, string> { ["mode"] = request.Mode ?? "default" }));
            },
            StoreDocument = (corpus, document, _) => { Stored.Add((corpus, document)); return Task.CompletedTask; },
        };
    }

    private static async Task<(int Exit, string Out, string Error)> InvokeAsync(EvalCommandHost host, params string[] args)
    {
        var root = new RootCommand("test") { EvalCommands.Create(host) };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(["eval", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_writes_reports_and_compare_gates_on_regressions()
    {
        using var temp = new TempFolder();
        var set = temp.File("set.jsonl", EvalRunnerTests.SetText);
        var host = new Host();

        var (exit, output, error) = await InvokeAsync(host.Create(), "run", "--set", set, "--out", Path.Combine(temp.Path, "base"), "--corpus", "fixtures-de", "--k", "50");
        Assert.True(exit == 0, error);
        Assert.Contains("recall@10", output);
        Assert.True(File.Exists(Path.Combine(temp.Path, "base", "report.json")));
        Assert.True(File.Exists(Path.Combine(temp.Path, "base", "report.html")));
        // No --mode: the application decides (its configured default), so the request carries none.
        Assert.Equal(new EvalServicesRequest(null, "fixtures-de", false, null), host.Requests[0]);

        host.Q1Rank = 40;
        (exit, output, _) = await InvokeAsync(host.Create(), "run", "--set", set, "--out", Path.Combine(temp.Path, "worse"), "--k", "50",
            "--baseline", Path.Combine(temp.Path, "base", "report.json"));
        Assert.Equal(EvalCommands.ExitRegressed, exit);
        Assert.Contains("FAIL", output);

        var baseline = Path.Combine(temp.Path, "base", "report.json");
        var worse = Path.Combine(temp.Path, "worse", "report.json");
        (exit, output, _) = await InvokeAsync(host.Create(), "compare", baseline, worse);
        Assert.Equal(EvalCommands.ExitRegressed, exit);
        Assert.Contains("REGRESSED", output);
        (exit, output, _) = await InvokeAsync(host.Create(), "compare", baseline, baseline);
        Assert.Equal(EvalCommands.ExitOk, exit);
        Assert.Contains("PASS", output);
        var html = Path.Combine(temp.Path, "cmp.html");
        (exit, _, _) = await InvokeAsync(host.Create(), "compare", baseline, worse, "--tolerance", "0.5", "--html", html);
        Assert.Equal(EvalCommands.ExitOk, exit);
        Assert.Contains("Questions that got worse", await File.ReadAllTextAsync(html, Ct));
    }

    [Fact]
    public async Task Bad_input_exits_2_with_a_message_naming_the_problem()
    {
        using var temp = new TempFolder();
        var broken = temp.File("broken.jsonl", "{\"id\": \"q1\", \"question\": \"x\", \"language\": \"de\", \"gold\": [\"BGB § 1\"]}\n{oops}\n");
        var host = new Host();

        var (exit, _, error) = await InvokeAsync(host.Create(), "run", "--set", broken, "--out", temp.Path);
        Assert.Equal(EvalCommands.ExitBadInput, exit);
        Assert.Contains("broken.jsonl: line 2", error);

        (exit, _, error) = await InvokeAsync(host.Create(), "run", "--set", temp.File("ok.jsonl", EvalRunnerTests.SetText), "--mode", "quantum");
        Assert.Equal(EvalCommands.ExitBadInput, exit);
        Assert.Contains("unknown mode", error);

        (exit, _, error) = await InvokeAsync(host.Create(), "compare", temp.File("a.json", "[]"), temp.File("b.json", "{}"));
        Assert.Equal(EvalCommands.ExitBadInput, exit);
        Assert.Contains("a.json: not an evaluation report", error);

        (exit, _, error) = await InvokeAsync(host.Create(), "run", "--set", temp.File("ok2.jsonl", EvalRunnerTests.SetText), "--server", "ftp://x");
        Assert.Equal(EvalCommands.ExitBadInput, exit);
        Assert.Contains("--server", error);
    }

    [Fact]
    public async Task Import_corpus_hands_the_document_to_the_store()
    {
        using var temp = new TempFolder();
        var corpusFile = temp.File("articlesFull.json", """{"1": "(1) Private rights.\n(2) Good faith.", "2": "Dignity."}""");
        var host = new Host();

        var (exit, output, error) = await InvokeAsync(host.Create(), "import-corpus", corpusFile, "--format", "coliee", "--corpus", "coliee");

        Assert.True(exit == 0, error);
        var (corpus, document) = Assert.Single(host.Stored);
        Assert.Equal(new CorpusInfo("coliee", "en"), corpus);
        Assert.Equal(2, document.Provisions.Count);
        Assert.Contains("2 provisions of Civil Code", output);
    }

    [Fact]
    public async Task Convert_set_writes_the_native_format()
    {
        using var temp = new TempFolder();
        var source = temp.File("dev.json", """[{"Question_text": "Kaution?", "Paragraphs": ["§ 551"]}]""");
        var target = Path.Combine(temp.Path, "dev.jsonl");

        var (exit, _, error) = await InvokeAsync(new Host().Create(), "convert-set", source, "--out", target);

        Assert.True(exit == 0, error);
        var set = await QuestionSetLoader.LoadAsync(target, QuestionSetFormat.Native, Ct);
        Assert.Equal(["BGB § 551"], Assert.Single(set.Questions).GoldCitations);
    }
}
