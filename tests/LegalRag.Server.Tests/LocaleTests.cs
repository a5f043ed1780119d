using System.Text.Json;
using System.Text.RegularExpressions;
using LegalRag.Server.Tests.Support;
using LegalRag.TestSupport;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// Issue 15, item 2: every UI string in de, fr, nl, en and et (one file each, the same keys), the language taken
/// from the browser, changeable and remembered, and dates and numbers written as the locale writes them.
/// </summary>
public sealed partial class LocaleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    public static readonly string[] Languages = ["de", "en", "et", "fr", "nl"];
    private static string WebRoot => Path.Combine(Repository.Root, "src", "LegalRag.Server", "wwwroot");

    internal static Dictionary<string, string> Strings(string lang)
    {
        var path = Path.Combine(WebRoot, "i18n", lang + ".json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path}: not a JSON object of strings");
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"data-i18n(?:-placeholder|-title|-aria-label)?=""([^""]+)""")]
    private static partial Regex HtmlKey();

    [GeneratedRegex(@"\bt\(""([^""]+)""")]
    private static partial Regex ScriptKey();

    [GeneratedRegex(@"""((?:asOf|chat|search|provision|feedback|history|login|corpus)\.[A-Za-z]+)""")]
    private static partial Regex QuotedKey();

    [Fact]
    public void Every_key_exists_in_all_five_files_with_the_same_placeholders_and_every_key_the_UI_uses_exists()
    {
        var english = Strings("en");
        foreach (var lang in Languages)
        {
            var strings = Strings(lang);
            Assert.True(english.Keys.Order().SequenceEqual(strings.Keys.Order()),
                $"i18n/{lang}.json: missing [{string.Join(", ", english.Keys.Except(strings.Keys))}], extra [{string.Join(", ", strings.Keys.Except(english.Keys))}]");
            foreach (var (key, text) in strings)
            {
                Assert.False(string.IsNullOrWhiteSpace(text), $"i18n/{lang}.json: '{key}' is empty");
                var expected = Placeholder().Matches(english[key]).Select(m => m.Value).Order();
                Assert.True(expected.SequenceEqual(Placeholder().Matches(text).Select(m => m.Value).Order()), $"i18n/{lang}.json: '{key}' has other placeholders than English: '{text}'");
            }
        }
        // Keys named in the page and the script (t("…"), data-i18n…, and keys passed on as strings) all exist.
        var html = File.ReadAllText(Path.Combine(WebRoot, "index.html"));
        var script = File.ReadAllText(Path.Combine(WebRoot, "app.js"));
        var used = HtmlKey().Matches(html).Concat(ScriptKey().Matches(script)).Concat(QuotedKey().Matches(script)).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(used.Count > 50, $"only {used.Count} keys found in index.html and app.js: the patterns no longer match the code");
        Assert.Empty(used.Except(english.Keys));
        // And no file carries keys nothing uses (a renamed key left behind).
        Assert.Empty(english.Keys.Except(used));
    }

    /// <summary>The browser locale each language is tested under, and 5 March 2020 as that locale writes it (ICU's long date).</summary>
    public static TheoryData<string, string, string> Locales => new()
    {
        { "de", "de-DE", "5. März 2020" },
        { "en", "en-GB", "5 March 2020" },
        { "et", "et-EE", "5. märts 2020" },
        { "fr", "fr-FR", "5 mars 2020" },
        { "nl", "nl-NL", "5 maart 2020" },
    };

    [Theory]
    [MemberData(nameof(Locales))]
    public async Task The_UI_speaks_the_browser_language_and_writes_dates_and_numbers_its_way(string lang, string locale, string fifthOfMarch2020)
    {
        var strings = Strings(lang);
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await AccessibilityTests.WaitForConnectedAsync(page);

        Assert.Equal(lang, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        Assert.Equal(lang, await page.Locator("#ui-language").InputValueAsync());
        Assert.Equal(strings["tab.search"], await page.Locator("#tab-search").TextContentAsync());
        Assert.Equal(strings["chat.placeholder"], await page.Locator("#question").GetAttributeAsync("placeholder"));
        Assert.Equal(strings["corpus.all"], await page.Locator("#corpus option").First.TextContentAsync());
        if (lang != "en") Assert.NotEqual(Strings("en")["tab.search"] + Strings("en")["chat.placeholder"], strings["tab.search"] + strings["chat.placeholder"]);
        // Nothing English is left on the page where the language has its own word.
        var leftovers = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-i18n]')].filter(e => e.textContent !== '' && e.textContent.startsWith('{')).map(e => e.dataset.i18n)");
        Assert.Empty(leftovers);

        // The date control: the answer says, in the locale's words and date format, which day the law is taken as of.
        await page.Locator("#as-of").FillAsync("2020-03-05");
        await page.Locator("#question").FillAsync("Darf mein Vermieter wegen Eigenbedarf kündigen?");
        await page.Locator("#question").PressAsync("Enter");
        var asOf = page.Locator(".msg.assistant .as-of").Last;
        await asOf.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Equal(strings["asOf.user"].Replace("{date}", fifthOfMarch2020, StringComparison.Ordinal), await asOf.TextContentAsync());

        // Numbers: a search's scores with the locale's decimal separator.
        await page.Locator("#tab-search").ClickAsync();
        await page.Locator("#query").FillAsync("Widerspruch des Mieters");
        await page.Locator("#query").PressAsync("Enter");
        var first = page.Locator("#results li .muted").First;
        await first.WaitForAsync();
        var separator = lang == "en" ? @"\." : ",";
        var scoreWord = strings["search.score"].Replace("{score}", "", StringComparison.Ordinal).Trim();
        Assert.Matches($@"{Regex.Escape(scoreWord)} \d+{separator}\d\d", await first.TextContentAsync());
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_language_can_be_changed_and_is_remembered_over_a_reload()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "de-DE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={ServerHost.ReaderKey}");
        await AccessibilityTests.WaitForConnectedAsync(page);
        Assert.Equal(Strings("de")["tab.history"], await page.Locator("#tab-history").TextContentAsync());

        // An answer already on the page follows the change too (its date line is redrawn).
        await page.Locator("#question").FillAsync("Darf mein Vermieter wegen Eigenbedarf kündigen?");
        await page.Locator("#question").PressAsync("Enter");
        var asOf = page.Locator(".msg.assistant .as-of").Last;
        await asOf.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.StartsWith(Strings("de")["asOf.today"][..10], await asOf.TextContentAsync());

        await page.Locator("#ui-language").SelectOptionAsync("et");
        await Assertions.Expect(page.Locator("#tab-history")).ToHaveTextAsync(Strings("et")["tab.history"]);
        Assert.Equal("et", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        Assert.StartsWith(Strings("et")["asOf.today"][..10], await asOf.TextContentAsync());

        await page.ReloadAsync();
        await AccessibilityTests.WaitForConnectedAsync(page);
        Assert.Equal("et", await page.Locator("#ui-language").InputValueAsync());
        Assert.Equal(Strings("et")["tab.history"], await page.Locator("#tab-history").TextContentAsync());
        Assert.Equal("et", await page.EvaluateAsync<string>("() => localStorage.getItem('legalrag.uiLanguage')"));
        await context.CloseAsync();
    }
}
