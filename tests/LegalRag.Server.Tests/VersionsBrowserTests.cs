using LegalRag.Server.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// Issue 14, the provision panel's history: the versions timeline, choosing a version, the word diff with the one
/// before or any other, by keyboard alone and with no serious axe violation; a citation of an older version opens that version.
/// </summary>
public sealed class VersionsBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(IPlaywright, IBrowser, IPage, PageLog)> OpenAsync(ServerHost host)
    {
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        // en-GB writes "1 July 2006", the days the assertions read.
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, Locale = "en-GB" });
        var log = new PageLog(page);
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await AccessibilityTests.WaitForConnectedAsync(page);
        return (playwright, browser, page, log);
    }

    private static Task<string?> FocusedVersionAsync(IPage page) =>
        page.EvaluateAsync<string?>("() => document.activeElement?.dataset?.version || document.activeElement?.id || null");

    [Fact]
    public async Task Keyboard_only_the_timeline_shows_an_older_version_and_its_diff_with_the_one_before()
    {
        await using var host = await ServerHost.StartAsync(Ct, prepare: c => VersionedProvisions.AddAsync(c, Ct));
        var (playwright, browser, page, log) = await OpenAsync(host);
        using var _ = playwright;
        await using var __ = browser;
        var keys = page.Keyboard;

        // Search today's law; the hit is the version in force now.
        await page.Locator("#tab-chat").FocusAsync();
        await keys.PressAsync("ArrowRight");
        await page.Locator("#query").FocusAsync();
        await keys.TypeAsync("libéralités établissements");
        await keys.PressAsync("Enter");
        var chip = page.Locator("#results li .chip", new PageLocatorOptions { HasText = "art. 910" }).First;
        await log.WaitVisibleAsync(chip, "search hit");
        await chip.FocusAsync();
        await keys.PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator("#provision-versions"), "versions timeline");
        await Assertions.Expect(page.Locator("#provision-title")).ToBeFocusedAsync();

        var entries = page.Locator("#versions-list li");
        await Assertions.Expect(entries).ToHaveCountAsync(3);
        Assert.Equal(["13 March 1804 – 1 July 2006", "1 July 2006 – 19 May 2011", "since 19 May 2011"], await page.Locator("#versions-list button").AllTextContentsAsync());
        var current = page.Locator("#versions-list button[aria-current=true]");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        Assert.Equal(VersionedProvisions.CurrentKey, await current.GetAttributeAsync("data-version"));
        // In force and shown are said in words, beside the amending act.
        Assert.Equal(" · in force today · " + VersionedProvisions.CurrentAct + " · shown", await entries.Nth(2).Locator(".version-facts").TextContentAsync());
        Assert.Equal(" · " + VersionedProvisions.SecondAct, await entries.Nth(1).Locator(".version-facts").TextContentAsync());
        Assert.True(await page.Locator("#versions-compare").IsEnabledAsync());

        // Tab from the title (copy, close) to the 2006 version; Enter shows it, and focus stays on it.
        for (var i = 0; i < 10 && await FocusedVersionAsync(page) != VersionedProvisions.SecondKey; i++) await keys.PressAsync("Tab");
        Assert.Equal(VersionedProvisions.SecondKey, await FocusedVersionAsync(page));
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#provision-text")).ToContainTextAsync("autorisées par un décret.");
        await Assertions.Expect(page.Locator("#versions-status")).ToHaveTextAsync("Showing the version 1 July 2006 – 19 May 2011.");
        Assert.Equal(VersionedProvisions.SecondKey, await page.Locator("#versions-list button[aria-current=true]").GetAttributeAsync("data-version"));
        Assert.Equal(VersionedProvisions.SecondKey, await FocusedVersionAsync(page));
        Assert.EndsWith(" · shown", await entries.Nth(1).Locator(".version-facts").TextContentAsync());
        Assert.Contains("In force: 1 July 2006 – 19 May 2011", await page.Locator("#provision-text").TextContentAsync());

        // On to "Compare with the previous version": the 1804 text against the 2006 one, inline.
        for (var i = 0; i < 5 && await FocusedVersionAsync(page) != "versions-compare"; i++) await keys.PressAsync("Tab");
        Assert.Equal("versions-compare", await FocusedVersionAsync(page));
        await keys.PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator("#versions-diff"), "diff");
        Assert.Equal("true", await page.Locator("#versions-compare").GetAttributeAsync("aria-expanded"));
        Assert.Equal(["removed: une ordonnance royale."], await page.Locator("#versions-diff del").AllTextContentsAsync());
        Assert.Equal(["added: un décret."], await page.Locator("#versions-diff ins").AllTextContentsAsync());
        // The words screen readers say before each change are hidden from sight only.
        Assert.Equal(["removed: "], await page.Locator("#versions-diff del > .visually-hidden").AllTextContentsAsync());
        Assert.Equal(["added: "], await page.Locator("#versions-diff ins > .visually-hidden").AllTextContentsAsync());
        Assert.Equal("Changes from the version of 13 March 1804 to the version of 1 July 2006", await page.Locator("#versions-diff h4").TextContentAsync());
        Assert.Equal("Words removed: 3. Words added: 2.", await page.Locator("#versions-diff .diff-summary").TextContentAsync());
        await Assertions.Expect(page.Locator("#versions-status")).ToHaveTextAsync("Changes from the version of 13 March 1804 to the version of 1 July 2006. Words removed: 3. Words added: 2.");
        Assert.Equal("versions-compare", await FocusedVersionAsync(page));
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "provision-versions-diff");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserTests.Artifact("provision-versions.png"), FullPage = true });

        // "Compare with" offers the other two versions, the one before the version shown chosen.
        Assert.Equal(["13 March 1804 – 1 July 2006", "since 19 May 2011"], await page.Locator("#versions-against option").AllTextContentsAsync());
        Assert.Equal(VersionedProvisions.FirstKey, await page.Locator("#versions-against").InputValueAsync());

        // Enter again hides the comparison.
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#versions-diff")).ToBeHiddenAsync();
        Assert.Equal("false", await page.Locator("#versions-compare").GetAttributeAsync("aria-expanded"));

        // The first version has nothing before it: the one after it is chosen. Any two compare, the older first: the
        // 1804 wording against today's, chosen by keyboard (Shift+Tab back from the button to the list, End for the last).
        await page.Locator($"#versions-list button[data-version='{VersionedProvisions.FirstKey}']").FocusAsync();
        await keys.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#provision-text")).ToContainTextAsync("une ordonnance royale.");
        Assert.Equal(VersionedProvisions.SecondKey, await page.Locator("#versions-against").InputValueAsync());
        await Assertions.Expect(page.Locator("#versions-compare")).ToBeEnabledAsync();
        await page.Locator("#versions-compare").FocusAsync();
        await keys.PressAsync("Shift+Tab");
        Assert.Equal("versions-against", await FocusedVersionAsync(page));
        await keys.PressAsync("End");
        await Assertions.Expect(page.Locator("#versions-against")).ToHaveValueAsync(VersionedProvisions.CurrentKey);
        await keys.PressAsync("Tab");
        await keys.PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator("#versions-diff"), "diff with today's version");
        Assert.Equal("Changes from the version of 13 March 1804 to the version of 19 May 2011", await page.Locator("#versions-diff h4").TextContentAsync());
        Assert.Contains("removed: une ordonnance royale.", await page.Locator("#versions-diff del").AllTextContentsAsync());
        // Choosing another version to compare with redraws the open comparison.
        await page.Locator("#versions-against").FocusAsync();
        await keys.PressAsync("Home");
        await Assertions.Expect(page.Locator("#versions-diff h4")).ToHaveTextAsync("Changes from the version of 13 March 1804 to the version of 1 July 2006");
        await AxeCheck.AssertNoSeriousViolationsAsync(page, "provision-versions-compare-any");
        Assert.Empty(log.Errors);
    }

    [Fact]
    public async Task A_citation_of_the_law_of_an_earlier_day_opens_that_version_marked_in_the_timeline()
    {
        await using var host = await ServerHost.StartAsync(Ct, prepare: c => VersionedProvisions.AddAsync(c, Ct));
        var (playwright, browser, page, log) = await OpenAsync(host);
        using var _ = playwright;
        await using var __ = browser;

        await page.Locator("#corpus").SelectOptionAsync(VersionedProvisions.Corpus);
        await page.Locator("#as-of").FillAsync("1990-06-30");
        await page.Locator("#question").FillAsync("Une libéralité au profit d'un établissement d'utilité publique doit-elle être autorisée ?");
        await page.Locator("#question").PressAsync("Enter");
        var answer = page.Locator(".msg.assistant").Last;
        await log.WaitVisibleAsync(answer.Locator(".meta"), "answer");
        var chip = answer.Locator(".chip", new LocatorLocatorOptions { HasText = "art. 910" }).First;
        await chip.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await log.WaitVisibleAsync(page.Locator("#provision-versions"), "versions timeline");

        // The 1990 law: the 1804 wording, not today's, and the timeline says so.
        await Assertions.Expect(page.Locator("#provision-text")).ToContainTextAsync("autorisées par une ordonnance royale.");
        Assert.DoesNotContain("sans autorisation préalable", await page.Locator("#provision-text").TextContentAsync());
        Assert.Equal(VersionedProvisions.FirstKey, await page.Locator("#versions-list button[aria-current=true]").GetAttributeAsync("data-version"));
        Assert.EndsWith(" · shown", await page.Locator("#versions-list li").First.Locator(".version-facts").TextContentAsync());
        Assert.DoesNotContain("shown", await page.Locator("#versions-list li").Last.Locator(".version-facts").TextContentAsync());
        Assert.Empty(log.Errors);
    }
}
