using LegalRag.Answering.Tests.Support;
using LegalRag.Server.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// Issue 15, item 1: axe-core on every screen (login, chat, search, provision panel, history) and in every state
/// (streaming, refused, error), a keyboard-only run through the whole flow, and the layout at 360 px and at 200 % zoom.
/// </summary>
public sealed class AccessibilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";

    private static async Task<IPage> SignedInAsync(IBrowser browser, ServerHost host, string key, BrowserNewPageOptions? options = null)
    {
        var page = await browser.NewPageAsync(options ?? new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await page.GotoAsync($"{host.Address}#key={key}");
        await page.Locator("#app").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await WaitForConnectedAsync(page);
        return page;
    }

    /// <summary>The UI sets its interactive mark once the hub is connected and focus is in the question.</summary>
    internal static Task WaitForConnectedAsync(IPage page) =>
        page.WaitForFunctionAsync("() => performance.getEntriesByName('legalrag:interactive').length > 0");

    /// <summary>A model that answers the first question slowly and then stalls (so the answer stays streaming), and later ones at once.</summary>
    private static FakeOpenAiServer StallingModel()
    {
        var asked = 0;
        return new FakeOpenAiServer(r =>
        {
            var n = FakeOpenAiServer.SourceNumber(r, "MietG § 573");
            var text = $"Bei Eigenbedarf darf der Vermieter kündigen [{n}]. Er muss das berechtigte Interesse im Kündigungsschreiben angeben [{n}].";
            return Interlocked.Increment(ref asked) == 1
                ? new FakeReply { Text = text, ChunkDelay = TimeSpan.FromMilliseconds(100), StallAfterChunks = 10 }
                : new FakeReply { Text = text };
        });
    }

    [Fact]
    public async Task Every_screen_and_state_has_no_serious_or_critical_axe_violation()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        // Login: first empty, then after a rejected key (the error state of that screen).
        var login = await browser.NewPageAsync();
        await login.GotoAsync(host.Address.ToString());
        await login.Locator("#login").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await AxeCheck.AssertNoSeriousViolationsAsync(login, "login");
        await login.Locator("#key").FillAsync("not-a-valid-key-at-all");
        await login.Locator("#key").PressAsync("Enter");
        await Assertions.Expect(login.Locator("#login-error")).ToHaveTextAsync("The key was not accepted.");
        await AxeCheck.AssertNoSeriousViolationsAsync(login, "login-rejected");

        var page = await SignedInAsync(browser, host, ServerHost.EvaluatorKey);
        var log = new PageLog(page);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "chat-empty");

        // Refused: nothing in the corpus is about baking (asked first: a follow-up would borrow the earlier question's words).
        await page.Locator("#corpus").SelectOptionAsync("fixture");
        await page.Locator("#question").FillAsync("Wie backe ich einen Schokoladenkuchen?");
        await page.Locator("#question").PressAsync("Enter");
        var refused = page.Locator(".msg.assistant.refused");
        await log.WaitVisibleAsync(refused, "refused answer");
        Assert.Contains("No answer", await refused.TextContentAsync());
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "chat-refused");

        await page.Locator("#question").FillAsync(Question);
        await page.Locator("#question").PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator(".msg.assistant").Nth(1).Locator(".meta").Last, "answer");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "chat-answered");

        // Provision panel, with the evaluator's feedback controls (the chips of the first answer).
        await page.Locator(".msg.assistant .chip").First.ClickAsync();
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator("#feedback").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "provision");
        await page.Keyboard.PressAsync("Escape");

        await page.Locator("#tab-search").ClickAsync();
        await page.Locator("#query").FillAsync("Widerspruch des Mieters");
        await page.Locator("#query").PressAsync("Enter");
        await page.Locator("#results li").First.WaitForAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "search");

        // History, from the server: this page's two answers are one conversation (HistoryBrowserTests covers the rest).
        await page.Locator("#tab-history").ClickAsync();
        await Assertions.Expect(page.Locator("#history-list li")).ToHaveCountAsync(1);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "history");

        // The check itself can fail: a button with no name is a critical violation.
        await page.EvaluateAsync("() => document.getElementById('panel-history').append(document.createElement('button'))");
        var caught = await Assert.ThrowsAnyAsync<Exception>(() => AxeCheck.AssertNoSeriousViolationsAsync(page, "self-check"));
        Assert.Contains("critical button-name", caught.Message);

        // Error: a corpus a reader may not read (the selector never offers it; a stale page or a crafted request would).
        var reader = await SignedInAsync(browser, host, ServerHost.ReaderKey);
        var readerLog = new PageLog(reader);
        await reader.EvaluateAsync("() => { const s = document.getElementById('corpus'); s.add(new Option('intern', 'intern')); s.value = 'intern'; }");
        await reader.Locator("#question").FillAsync("Kaufvertrag");
        await reader.Locator("#question").PressAsync("Enter");
        var error = reader.Locator(".msg.assistant .error[role=alert]");
        await readerLog.WaitVisibleAsync(error, "error in the answer");
        Assert.Contains("corpus 'intern' is not readable", await error.TextContentAsync());
        await AxeCheck.AssertNoSeriousViolationsAsync(reader, "chat-error");
    }

    [Fact]
    public async Task A_streaming_answer_is_busy_announced_politely_and_has_no_serious_axe_violation()
    {
        await using var model = StallingModel();
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Llm:Endpoint"] = model.Endpoint, ["LegalRag:Llm:TimeoutSeconds"] = "120" });
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await SignedInAsync(browser, host, ServerHost.ReaderKey);

        // The live region exists before anything is said into it (a region added with its text is often not announced).
        Assert.Equal("polite", await page.Locator("#announcer").GetAttributeAsync("aria-live"));
        await page.Locator("#question").FillAsync(Question);
        await page.Locator("#question").PressAsync("Enter");
        var streaming = page.Locator(".msg.assistant[aria-busy=true]");
        await streaming.Locator(".chip").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#announcer")).ToHaveTextAsync("Answering…");
        // The message list itself is not live: it re-renders on every token and would be read again each time.
        Assert.Null(await page.Locator("#messages").GetAttributeAsync("aria-live"));
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "chat-streaming");

        await page.Locator("#stop").ClickAsync();
        await Assertions.Expect(page.Locator(".msg.assistant[aria-busy]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#announcer")).ToHaveTextAsync("Stopped.");

        // A finished answer is announced once, whole, with its date line.
        await page.Locator("#question").FillAsync(Question);
        await page.Locator("#question").PressAsync("Enter");
        await page.Locator(".msg.assistant").Last.Locator(".meta").Last.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var announced = await page.Locator("#announcer").TextContentAsync();
        Assert.StartsWith("Answer: Bei Eigenbedarf darf der Vermieter kündigen", announced);
        Assert.Contains("Law as of", announced);
    }

    [Fact]
    public async Task Keyboard_only_ask_stop_open_a_citation_copy_close_and_go_to_history()
    {
        await using var model = StallingModel();
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Llm:Endpoint"] = model.Endpoint, ["LegalRag:Llm:TimeoutSeconds"] = "120" });
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = host.Address.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();
        var log = new PageLog(page);
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await WaitForConnectedAsync(page);
        var keys = page.Keyboard;
        Task<string?> FocusedAsync() => page.EvaluateAsync<string?>("() => document.activeElement?.id || document.activeElement?.className || null");

        // The app starts in the question box.
        Assert.Equal("question", await FocusedAsync());
        await keys.TypeAsync(Question);
        await keys.PressAsync("Enter");
        // Stop once the model has begun (stopped earlier, the question would never reach it).
        await log.WaitVisibleAsync(page.Locator(".msg.assistant[aria-busy=true] .chip"), "streaming answer");

        // Stop: the next stop in tab order after the question (Ask is disabled while an answer streams).
        await keys.PressAsync("Tab");
        Assert.Equal("stop", await FocusedAsync());
        await keys.PressAsync("Enter");
        await page.Locator(".msg.assistant .muted", new PageLocatorOptions { HasText = "Stopped." }).WaitForAsync();
        Assert.Equal("question", await FocusedAsync());

        await keys.TypeAsync(Question);
        await keys.PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator(".msg.assistant").Nth(1).Locator(".meta").Last, "second answer");

        // Open a citation: back from the question box passes the answer's two export buttons and lands on its last chip.
        await keys.PressAsync("Shift+Tab");
        Assert.Equal("export", await FocusedAsync());
        await keys.PressAsync("Shift+Tab");
        await keys.PressAsync("Shift+Tab");
        Assert.Equal("chip", await FocusedAsync());
        var chipLabel = await page.EvaluateAsync<string>("() => document.activeElement.textContent");
        Assert.StartsWith("MietG § 573", chipLabel);
        await keys.PressAsync("Enter");
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await Assertions.Expect(page.Locator("#provision-title")).ToBeFocusedAsync();
        Assert.Empty(log.Errors);

        await keys.PressAsync("Tab");
        Assert.Equal("copy", await FocusedAsync());
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#copy-status")).ToHaveTextAsync($"Copied: {chipLabel}");
        Assert.Equal(chipLabel, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        await keys.PressAsync("Tab");
        Assert.Equal("close", await FocusedAsync());
        await keys.PressAsync("Enter");
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        Assert.Equal("chip", await FocusedAsync()); // focus went back to the chip that opened it

        // History: Tab on to the view tabs (bounded, so a trap fails the test), then the arrow keys.
        for (var i = 0; i < 60 && await FocusedAsync() != "tab-chat"; i++) await keys.PressAsync("Tab");
        Assert.Equal("tab-chat", await FocusedAsync());
        await keys.PressAsync("End");
        Assert.Equal("tab-history", await FocusedAsync());
        Assert.True(await page.Locator("#panel-history").IsVisibleAsync());
        // The server kept this conversation (the stopped answer is not kept): Enter on it reopens it.
        var entries = page.Locator("#history-list .history-open");
        await Assertions.Expect(entries).ToHaveCountAsync(1);
        Assert.Contains(Question, await entries.First.TextContentAsync());
        for (var i = 0; i < 40 && await page.EvaluateAsync<bool>("() => !document.activeElement.closest('#history-list')"); i++) await keys.PressAsync("Tab");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#history-title")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#history-exchanges .msg.assistant")).ToHaveCountAsync(1);

        // Focus is visible wherever it lands: the outline is drawn, not removed.
        await keys.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.Equal("solid", outline);
        await context.CloseAsync();
    }

    [Theory]
    [InlineData(360, 800, 1)]  // a small phone
    [InlineData(640, 400, 2)]  // 1280 × 800 at 200 % zoom: the same CSS pixels, drawn twice as large
    public async Task The_layout_holds_without_sideways_scrolling(int width, int height, int scale)
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await SignedInAsync(browser, host, ServerHost.EvaluatorKey,
            new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, DeviceScaleFactor = scale });

        async Task AssertFitsAsync(string screen)
        {
            var overflow = await page.EvaluateAsync<string[]>("""
                () => {
                  const width = document.documentElement.clientWidth;
                  const out = [];
                  if (document.documentElement.scrollWidth > width + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
                  for (const el of document.querySelectorAll('button, input, select, textarea, a, h1, h2, .msg, #results li')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0 || el.closest('[hidden]') || el.closest('.visually-hidden') || el.classList.contains('skip')) continue;
                    if (r.left < -1 || r.right > width + 1) out.push((el.id || el.className || el.tagName) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right));
                  }
                  return out;
                }
                """);
            Assert.True(overflow.Length == 0, $"{screen} at {width}×{height}: " + string.Join("; ", overflow));
        }

        await AssertFitsAsync("chat-empty");
        await page.Locator("#question").FillAsync(Question);
        await page.Locator("#question").PressAsync("Enter");
        var answer = page.Locator(".msg.assistant").Last;
        await answer.Locator(".meta").Last.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await AssertFitsAsync("chat-answered");
        await answer.Locator(".chip").First.ClickAsync();
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await AssertFitsAsync("provision");
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("#tab-search").ClickAsync();
        await page.Locator("#query").FillAsync("Widerspruch des Mieters");
        await page.Locator("#query").PressAsync("Enter");
        await page.Locator("#results li").First.WaitForAsync();
        await AssertFitsAsync("search");
        await page.Locator("#tab-history").ClickAsync();
        await AssertFitsAsync("history");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserTests.Artifact($"layout-{width}x{height}@{scale}.png"), FullPage = true });
    }
}
