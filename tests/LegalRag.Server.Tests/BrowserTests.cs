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

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
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

    private static string Artifact(string name)
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
}
