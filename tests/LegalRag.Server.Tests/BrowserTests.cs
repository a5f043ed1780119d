using LegalRag.Answering.Tests.Support;
using LegalRag.Server.Tests.Support;
using LegalRag.TestSupport;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// The web UI in a real browser: Debian's Chromium driven by Playwright's bundled driver (nothing is
/// downloaded). Asks a German question, watches the streamed answer, opens a citation, and keeps a
/// screenshot under artifacts/browser/.
/// </summary>
public sealed class BrowserTests
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        // CI installs chromium (tools/setup.sh): its absence is a broken setup, not a reason to skip.
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} not found: install Debian's chromium package (tools/setup.sh does)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    internal static string Artifact(string name)
    {
        var dir = Path.Combine(Repository.Root, "artifacts", "browser");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public async Task German_question_streams_an_answer_and_a_citation_opens_the_highlighted_provision()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await page.Locator("#app").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Contains("alice · reader", await page.Locator("#who").TextContentAsync());
        // The corpus selector lists what this role may read.
        Assert.Equal(["", "fixture"], await page.Locator("#corpus option").EvaluateAllAsync<string[]>("o => o.map(x => x.value)"));

        await page.Locator("#question").FillAsync("Darf mein Vermieter wegen Eigenbedarf kündigen?");
        await page.Locator("#question").PressAsync("Enter"); // keyboard only
        var answer = page.Locator(".msg.assistant").Last;
        await answer.Locator(".meta").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var text = await answer.TextContentAsync();
        Assert.Contains("In Betracht kommt: MietG § 573 (Ordentliche Kündigung des Vermieters)", text);
        Assert.Contains("extractive", await answer.Locator(".meta").TextContentAsync());

        var chip = answer.Locator(".chip", new LocatorLocatorOptions { HasText = "MietG § 573 Abs. 2" }).First;
        await chip.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var panel = page.Locator("#provision");
        await panel.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Contains("MietG § 573 Abs. 2 — Ordentliche Kündigung des Vermieters", await page.Locator("#provision-title").TextContentAsync());
        Assert.Contains("Mietgesetz › Abschnitt 1 - Wohnraum", await page.Locator("#provision-path").TextContentAsync());
        var highlighted = await page.Locator("#provision-text mark").TextContentAsync();
        Assert.Contains("(Eigenbedarf)", highlighted);
        Assert.False(await page.Locator("#feedback").IsVisibleAsync()); // feedback is for evaluators
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("chat-citation.png"), FullPage = true });

        await page.Keyboard.PressAsync("Escape");
        await panel.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Search_tab_lists_ranked_provisions_and_shows_corpus_markup_as_text()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await page.Locator("#app").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        await page.Locator("#tab-chat").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.Equal("true", await page.Locator("#tab-search").GetAttributeAsync("aria-selected"));
        await page.Locator("#query").FillAsync("Hund beaufsichtigen Hinweis");
        await page.Locator("#query").PressAsync("Enter");
        var first = page.Locator("#results li").First;
        await first.WaitForAsync();
        Assert.Contains("HundeG § 1", await first.TextContentAsync());

        await first.Locator(".chip").ClickAsync();
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Contains("<img src=x onerror=", await page.Locator("#provision-text").TextContentAsync());
        Assert.Equal(0, await page.Locator("#provision-text img, #results img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("search.png"), FullPage = true });
    }

    [Fact]
    public async Task An_evaluator_marks_a_found_provision_wrong_and_names_the_right_one()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={ServerHost.EvaluatorKey}");
        await page.Locator("#app").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator("#tab-search").ClickAsync();
        await page.Locator("#query").FillAsync("Widerspruch des Mieters");
        await page.Locator("#query").PressAsync("Enter");
        var first = page.Locator("#results li").First;
        await first.WaitForAsync();
        await first.Locator(".chip").ClickAsync();
        await page.Locator("#feedback").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator("#feedback-correct").FillAsync("MietG § 573c");
        await page.Locator("#feedback-wrong").ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-status")).ToContainTextAsync("Recorded: wrong, right is MietG § 573c");
    }

    [Fact]
    public async Task The_UI_works_under_the_CSP_with_no_violation_and_questions_and_feedback_stay_text()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error" or "warning") console.Add($"{m.Text} ({m.Location})"); };
        page.PageError += (_, e) => console.Add(e);
        // The browser's own report of anything the policy blocked (script, style, connection, image).
        await page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
        var response = await page.GotoAsync($"{host.Address}#key={ServerHost.EvaluatorKey}");
        Assert.Equal(Security.SecurityHeaders.ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));
        await page.Locator("#app").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        // A question with markup: shown as typed, never parsed (the hub's WebSocket runs under connect-src 'self').
        const string hostile = "Eigenbedarf <img src=x onerror=\"window.__pwned=1\"><b>fett</b>";
        await page.Locator("#question").FillAsync(hostile);
        await page.Locator("#question").PressAsync("Enter");
        await page.Locator(".msg.assistant").Last.Locator(".meta").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Contains(hostile, await page.Locator(".msg").First.TextContentAsync());

        // Feedback naming a "provision" with markup: recorded and echoed as text.
        await page.Locator("#tab-search").ClickAsync();
        await page.Locator("#query").FillAsync("Widerspruch des Mieters");
        await page.Locator("#query").PressAsync("Enter");
        var first = page.Locator("#results li").First;
        await first.WaitForAsync();
        await first.Locator(".chip").ClickAsync();
        await page.Locator("#feedback").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator("#feedback-correct").FillAsync("<img src=x onerror=window.__pwned=2>");
        await page.Locator("#feedback-wrong").ClickAsync();
        await Assertions.Expect(page.Locator("#feedback-status")).ToContainTextAsync("<img src=x onerror=window.__pwned=2>");

        Assert.Equal(0, await page.Locator("main img, #provision img, .msg img, #feedback-status img, .msg b").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));
        Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        // The one expected complaint: the server refused the markup as a citation (400), which the status line showed as text.
        var unexpected = console.Where(m => !m.Contains("status of 400 (Bad Request) (http://127.0.0.1", StringComparison.Ordinal) || !m.Contains("/api/feedback", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }

    /// <summary>A small act in Gesetze im Internet's XML with a fee table (one cell holds a pipe, one markup).</summary>
    private const string FeeAct = """
        <?xml version="1.0" encoding="UTF-8" ?>
        <dokumente builddate="20250101000000" doknr="BJNR000000001">
          <norm doknr="BJNR000000001"><metadaten><jurabk>GebG</jurabk><langue>Gebührengesetz</langue></metadaten>
            <textdaten><text format="XML"><Content><P/></Content></text></textdaten></norm>
          <norm doknr="BJNR000000001BJNE000100000">
            <metadaten><jurabk>GebG</jurabk><enbez>§ 1</enbez><titel format="parat">Gebührentabelle</titel></metadaten>
            <textdaten><text format="XML"><Content>
              <P>(1) Die Prüfgebühren betragen:
                <table><tgroup cols="2"><colspec colname="col1"/><colspec colname="col2"/>
                  <thead><row><entry colname="col1">Prüfung</entry><entry colname="col2">Gebühr in Euro</entry></row></thead>
                  <tbody><row><entry colname="col1">klein | mittel</entry><entry colname="col2">10</entry></row>
                    <row><entry colname="col1">&lt;b&gt;groß&lt;/b&gt;</entry><entry colname="col2">20</entry></row></tbody></tgroup></table>
                Die Gebühr wird mit der Prüfung fällig.</P>
            </Content></text></textdaten>
          </norm>
        </dokumente>
        """;

    [Fact]
    public async Task A_table_from_an_official_format_shows_as_a_table_in_the_provision_panel()
    {
        await using var host = await ServerHost.StartAsync(Ct, prepare: async corpus =>
        {
            corpus.Directory.File("official/gebg/BJNR000000001.xml", FeeAct);
            var pipeline = new LegalRag.Ingestion.Pipeline.IngestionPipeline(
                new LegalRag.Ingestion.Parsing.ParserRegistry([new LegalRag.Ingestion.Parsers.Xml.XmlParser()]), corpus.Store,
                new LegalRag.Ingestion.Chunking.StructureChunker(new LegalRag.Ingestion.Chunking.ChunkingOptions()));
            var summary = await pipeline.RunAsync(new LegalRag.Ingestion.Pipeline.IngestRequest
            {
                Root = Path.Combine(corpus.Directory.Path, "official"), Corpus = LegalRag.Answering.Tests.Support.FixtureCorpus.Name, Language = "de",
            }, null, Ct);
            Assert.Equal((1, 0), (summary.Added, summary.Failures.Count));
        });
        var (playwright, browser) = await LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await page.Locator("#app").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator("#tab-search").ClickAsync();
        await page.Locator("#query").FillAsync("Prüfgebühren Gebührentabelle");
        await page.Locator("#query").PressAsync("Enter");
        var first = page.Locator("#results li").First;
        await first.WaitForAsync();
        Assert.Contains("GebG § 1", await first.TextContentAsync());
        await first.Locator(".chip").ClickAsync();
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        var table = page.Locator("#provision-text table");
        Assert.Equal(1, await table.CountAsync());
        Assert.Equal(["Prüfung", "Gebühr in Euro"], await table.Locator("thead th").AllTextContentsAsync());
        Assert.Equal(["klein | mittel", "10", "<b>groß</b>", "20"], await table.Locator("tbody td").AllTextContentsAsync());
        Assert.Equal(0, await table.Locator("b").CountAsync()); // cell text stays text
        var prose = string.Join(" ", await page.Locator("#provision-text > p").AllTextContentsAsync());
        Assert.Contains("Die Prüfgebühren betragen:", prose);
        Assert.Contains("Die Gebühr wird mit der Prüfung fällig.", prose);
        Assert.DoesNotContain("| ---", prose);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("provision-table.png"), FullPage = true });
    }
}
