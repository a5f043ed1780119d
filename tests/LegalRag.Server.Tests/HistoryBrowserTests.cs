using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using LegalRag.Server.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// Issue 15, items 3 to 5 in the browser: the History view lists the user's conversations from the server, searches
/// them, reopens one after a new page load with its citations as recorded, exports a conversation and an answer
/// (DOCX and Markdown), deletes after an accessible confirmation; all of it by keyboard alone, and with no serious or
/// critical axe violation. The evaluator's feedback beside a reopened citation works by keyboard too.
/// </summary>
public sealed class HistoryBrowserTests
{
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";
    private const string FollowUp = "Und welche Fristen gelten dafür?";
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One conversation of two answers, asked over the hub (not by this page): what the server keeps for the key's user.</summary>
    private static async Task<(string Id, List<string> Citations)> ConverseAsync(ServerHost host, string key)
    {
        await using var hub = await HubConnections.ConnectAsync(host.Address, key, Ct);
        var first = await hub.AskAsync(new { question = Question, corpus = "fixture" }, Ct);
        await hub.AskAsync(new { question = FollowUp, corpus = "fixture" }, Ct);
        var citations = first.Where(i => i.GetProperty("type").GetString() == "citation").Select(i => i.GetProperty("citation").GetProperty("citation").GetString()!).ToList();
        Assert.NotEmpty(citations);
        return (first[^1].GetProperty("conversationId").GetString()!, citations);
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context, ServerHost host, string key)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={key}");
        await AccessibilityTests.WaitForConnectedAsync(page);
        return page;
    }

    private static void AssertDocx(string path, string contains)
    {
        // A DOCX is a zip with the main part at word/document.xml; OpenXml opens it and finds the question in the body.
        using (var zip = ZipFile.OpenRead(path)) Assert.Contains(zip.Entries, e => e.FullName == "word/document.xml");
        using var doc = WordprocessingDocument.Open(path, false);
        Assert.Contains(contains, doc.MainDocumentPart!.Document!.Body!.InnerText);
    }

    [Fact]
    public async Task A_new_page_reopens_searches_exports_and_deletes_a_conversation_kept_on_the_server()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, streamed) = await ConverseAsync(host, ServerHost.ReaderKey);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, AcceptDownloads = true, Locale = "de-DE" });
        var page = await OpenAsync(context, host, ServerHost.ReaderKey);
        var log = new PageLog(page);

        // The list: this user's one conversation, titled by its first question, dated as the locale writes dates.
        await page.Locator("#tab-history").ClickAsync();
        var entries = page.Locator("#history-list .history-open");
        await Assertions.Expect(entries).ToHaveCountAsync(1);
        Assert.Equal(Question, await entries.First.Locator(".history-name").TextContentAsync());
        var when = await entries.First.Locator(".history-when").TextContentAsync();
        Assert.Matches(@"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} UTC · 2 Antworten", when);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "history-list");

        // Search: a word of the first question finds it with the word marked; a word in none finds nothing, and says so.
        await page.Locator("#history-query").FillAsync("Eigenbedarf");
        await page.Locator("#history-query").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#history-list .snippet b").First).ToHaveTextAsync("Eigenbedarf");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "history-search");
        await page.Locator("#history-query").FillAsync("Schokoladenkuchen");
        await page.Locator("#history-query").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#history-status")).ToContainTextAsync("Schokoladenkuchen");
        await Assertions.Expect(page.Locator("#history-list li")).ToHaveCountAsync(0);
        await page.Locator("#history-all").ClickAsync();
        await Assertions.Expect(entries).ToHaveCountAsync(1);

        // Reopen: both exchanges, the first with the citations it was given (its chips, in order), and the law's day.
        await entries.First.ClickAsync();
        await Assertions.Expect(page.Locator("#history-title")).ToBeFocusedAsync();
        Assert.Equal(Question, await page.Locator("#history-title").TextContentAsync());
        var answers = page.Locator("#history-exchanges .msg.assistant");
        await Assertions.Expect(answers).ToHaveCountAsync(2);
        // The chips that carry a recorded citation (those get a name saying what they show).
        var chips = await answers.First.Locator(".chip[aria-label]").AllTextContentsAsync();
        Assert.Equal(streamed.Distinct().Order(), chips.Distinct().Order());
        Assert.Contains("Recht", await answers.First.Locator(".as-of").TextContentAsync());
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "history-conversation");

        // A recorded citation opens the provision with the recorded quote marked.
        await answers.First.Locator(".chip").First.ClickAsync();
        await Assertions.Expect(page.Locator("#provision-title")).ToBeFocusedAsync();
        Assert.StartsWith(chips[0], await page.Locator("#provision-title").TextContentAsync());
        await Assertions.Expect(page.Locator("#provision-text mark")).Not.ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Escape");

        // Export the whole conversation as DOCX: the server's content type, a zip with word/document.xml.
        // The labels are asked for in the interface language (German in this browser).
        var response = page.WaitForResponseAsync(r => r.Url.Contains($"/api/history/{id}/export?format=docx&lang=de"));
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#history-export-docx").ClickAsync());
        Assert.Equal(DocxType, (await response).Headers["content-type"]);
        // Saved under the server's file name for it.
        Assert.Matches(@"^legalrag-[0-9a-f]+\.docx$", download.SuggestedFilename);
        Assert.Contains(download.SuggestedFilename, (await response).Headers["content-disposition"]);
        var docx = Path.Combine(Path.GetTempPath(), $"legalrag-ui-{Guid.NewGuid():N}.docx");
        try
        {
            await download.SaveAsAsync(docx);
            AssertDocx(docx, FollowUp);
        }
        finally { File.Delete(docx); }

        // One answer as Markdown, from the buttons beside it.
        var md = await page.RunAndWaitForDownloadAsync(() => answers.Nth(1).Locator("button.export[data-format=md]").ClickAsync());
        Assert.Matches(@"^legalrag-[0-9a-f]+-2\.md$", md.SuggestedFilename);
        var text = await File.ReadAllTextAsync((await md.PathAsync())!, Ct);
        Assert.Contains(FollowUp, text);
        Assert.Contains("## Frage 2", text);

        // Delete asks first in a modal dialog; Escape cancels (nothing deleted, focus back), the dialog's Delete deletes.
        await page.Locator("#history-delete").ClickAsync();
        var dialog = page.Locator("#confirm-delete");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#confirm-text")).ToContainTextAsync(Question);
        await Assertions.Expect(page.Locator("#confirm-no")).ToBeFocusedAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "history-confirm-delete");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#history-delete")).ToBeFocusedAsync();
        using var alice = host.Client(ServerHost.ReaderKey);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/history/{id}", Ct)).StatusCode);

        await page.Locator("#history-delete").ClickAsync();
        await page.Locator("#confirm-yes").ClickAsync();
        await Assertions.Expect(page.Locator("#history-status")).ToHaveTextAsync($"Gelöscht: {Question}");
        await Assertions.Expect(page.Locator("#history-list li")).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/history/{id}", Ct)).StatusCode);
        Assert.Empty(log.Errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task An_answer_in_the_chat_exports_at_once_as_docx()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await OpenAsync(context, host, ServerHost.ReaderKey);
        var log = new PageLog(page);
        await page.Locator("#question").FillAsync(Question);
        await page.Locator("#question").PressAsync("Enter");
        var exports = page.Locator(".msg.assistant .exports[role=group]");
        await log.WaitVisibleAsync(exports, "export buttons under the answer");
        Assert.Equal("Export answer 1 for the case file", await exports.GetAttributeAsync("aria-label"));

        var response = page.WaitForResponseAsync(r => r.Url.Contains("/exchanges/1/export?format=docx"));
        var download = await page.RunAndWaitForDownloadAsync(() => exports.Locator("button[data-format=docx]").ClickAsync());
        Assert.Equal(DocxType, (await response).Headers["content-type"]);
        AssertDocx((await download.PathAsync())!, Question);
        await Assertions.Expect(page.Locator("#announcer")).ToHaveTextAsync($"Downloaded {download.SuggestedFilename}");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Each_question_of_a_chat_names_its_conversation_so_a_reconnected_connection_continues_it()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // The hub's frames as the page sends them (SignalR's JSON protocol: one invocation per frame).
        var asks = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => socket.FrameSent += (_, frame) =>
        {
            if (frame.Text is { } text && text.Contains("\"target\":\"Ask\"", StringComparison.Ordinal)) asks.Enqueue(text);
        };
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await AccessibilityTests.WaitForConnectedAsync(page);
        var log = new PageLog(page);

        await page.Locator("#question").FillAsync(Question);
        await page.Locator("#question").PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator(".msg.assistant .exports[role=group]"), "first answer recorded");
        using var client = host.Client(ServerHost.ReaderKey);
        var id = (await client.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("items")[0].GetProperty("id").GetString()!;
        await page.Locator("#question").FillAsync(FollowUp);
        await page.Locator("#question").PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator(".msg.assistant").Nth(1).Locator(".exports[role=group]"), "second answer recorded");

        // The first question names none; the second names the conversation the first was recorded in, which the hub
        // continues on any connection (HistoryTests: a new connection with the id gets the follow-up context).
        var sent = asks.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains("\"conversationId\":null", sent[0], StringComparison.Ordinal);
        Assert.Contains($"\"conversationId\":\"{id}\"", sent[1], StringComparison.Ordinal);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("total").GetInt64());
        Assert.Empty(log.Errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_reopened_conversation_continues_in_the_chat_by_keyboard_with_its_earlier_answers_as_context()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        string id;
        await using (var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct))
            id = (await hub.AskAsync(new { question = Question, corpus = "fixture" }, Ct))[^1].GetProperty("conversationId").GetString()!;
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await OpenAsync(context, host, ServerHost.ReaderKey);
        var log = new PageLog(page);
        var keys = page.Keyboard;

        // A new page, so a new hub connection: the History tab, the conversation, then Continue — all by keyboard.
        await page.Locator("#tab-history").FocusAsync();
        await keys.PressAsync("Enter");
        var entry = page.Locator("#history-list .history-open").First;
        await entry.FocusAsync();
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#history-title")).ToBeFocusedAsync();
        await keys.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#history-continue")).ToBeFocusedAsync();
        await keys.PressAsync("Enter");

        // The chat, with the earlier exchange as recorded (its citations as chips) and the question box ready.
        await Assertions.Expect(page.Locator("#panel-chat")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#tab-chat")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.Locator("#question")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#messages .continued")).ToContainTextAsync(Question);
        await Assertions.Expect(page.Locator("#messages .msg.user")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#messages .msg.assistant .chip[aria-label]")).Not.ToHaveCountAsync(0);
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "chat-continued");

        // The follow-up is read with the earlier question and recorded as the conversation's second exchange.
        await keys.TypeAsync(FollowUp);
        await keys.PressAsync("Enter");
        var second = page.Locator("#messages .msg.assistant").Nth(1).Locator(".exports[role=group]");
        await log.WaitVisibleAsync(second, "export buttons under the continued answer");
        Assert.Equal("Export answer 2 for the case file", await second.GetAttributeAsync("aria-label"));
        using var alice = host.Client(ServerHost.ReaderKey);
        var exchanges = (await alice.GetFromJsonAsync<JsonElement>($"/api/history/{id}", Ct)).GetProperty("exchanges").EnumerateArray().ToList();
        Assert.Equal([Question, FollowUp], exchanges.Select(e => e.GetProperty("question").GetString()));
        Assert.Contains("Eigenbedarf", exchanges[1].GetProperty("standaloneQuery").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await alice.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("total").GetInt64());

        // New leaves the conversation: the next question begins another one.
        await page.Locator("#reset").ClickAsync();
        await page.Locator("#question").FillAsync(FollowUp);
        await page.Locator("#question").PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator("#messages .msg.assistant .exports[role=group]"), "export buttons under the new conversation's answer");
        Assert.Equal(2, (await alice.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("total").GetInt64());
        Assert.Empty(log.Errors);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Keyboard_only_reach_history_open_a_conversation_judge_a_citation_export_and_delete()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, _) = await ConverseAsync(host, ServerHost.EvaluatorKey);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var __ = playwright;
        await using var ___ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, AcceptDownloads = true });
        var page = await OpenAsync(context, host, ServerHost.EvaluatorKey);
        var log = new PageLog(page);
        var keys = page.Keyboard;
        Task<string?> FocusedAsync() => page.EvaluateAsync<string?>("() => document.activeElement?.id || document.activeElement?.className || null");
        async Task TabToAsync(string what, string script)
        {
            // Bounded, so a focus trap or an unreachable control fails instead of hanging.
            for (var i = 0; i < 40 && !await page.EvaluateAsync<bool>(script); i++) await keys.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>(script), $"Tab never reached {what}; focus is on {await FocusedAsync()}");
        }

        Assert.Equal("question", await FocusedAsync());
        await TabToAsync("the view tabs", "() => document.activeElement.id === 'tab-chat'");
        await keys.PressAsync("End");
        Assert.Equal("tab-history", await FocusedAsync());
        await page.Locator("#history-list .history-open").First.WaitForAsync();
        await TabToAsync("the conversation", "() => document.activeElement.classList.contains('history-open')");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#history-title")).ToBeFocusedAsync();

        // A recorded citation, then the evaluator's verdict beside it: right, then wrong with the right provision typed.
        await TabToAsync("a citation chip", "() => document.activeElement.classList.contains('chip')");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#provision-title")).ToBeFocusedAsync();
        await TabToAsync("the feedback", "() => document.activeElement.id === 'feedback-right'");
        Assert.Equal("Evaluator feedback on this citation", await page.Locator("#feedback").GetAttributeAsync("aria-label"));
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#feedback-status")).ToHaveTextAsync("Recorded: right");
        Assert.Equal("true", await page.Locator("#feedback-right").GetAttributeAsync("aria-pressed"));
        await keys.PressAsync("Tab");
        await keys.PressAsync("Tab");
        Assert.Equal("feedback-correct", await FocusedAsync());
        await keys.TypeAsync("MietG § 573c");
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#feedback-status")).ToHaveTextAsync("Recorded: wrong, right is MietG § 573c");
        Assert.Equal("true", await page.Locator("#feedback-wrong").GetAttributeAsync("aria-pressed"));
        Assert.Equal("false", await page.Locator("#feedback-right").GetAttributeAsync("aria-pressed"));
        await keys.PressAsync("Escape");
        Assert.Equal("chip", await FocusedAsync());

        // Export: back to the conversation's export buttons (Shift+Tab, bounded), Enter downloads.
        for (var i = 0; i < 40 && await FocusedAsync() != "history-export-docx"; i++) await keys.PressAsync("Shift+Tab");
        Assert.Equal("history-export-docx", await FocusedAsync());
        var download = await page.RunAndWaitForDownloadAsync(() => keys.PressAsync("Enter"));
        Assert.Matches(@"^legalrag-[0-9a-f]+\.docx$", download.SuggestedFilename);
        Assert.Equal("history-export-docx", await FocusedAsync());

        // Delete: Enter opens the dialog on Cancel; Shift+Tab to Delete, Enter deletes; focus lands in the search box.
        await keys.PressAsync("Tab");
        await keys.PressAsync("Tab");
        Assert.Equal("history-delete", await FocusedAsync());
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#confirm-no")).ToBeFocusedAsync();
        await keys.PressAsync("Shift+Tab");
        Assert.Equal("confirm-yes", await FocusedAsync());
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#history-status")).ToHaveTextAsync($"Deleted: {Question}");
        Assert.Equal("history-query", await FocusedAsync());
        using var eve = host.Client(ServerHost.EvaluatorKey);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.GetAsync($"/api/history/{id}", Ct)).StatusCode);
        Assert.Equal(0, (await eve.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("total").GetInt64());
        Assert.Empty(log.Errors);
        await context.CloseAsync();
    }
}
