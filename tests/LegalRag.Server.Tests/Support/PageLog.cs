using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests.Support;

/// <summary>
/// The browser's console errors and uncaught exceptions for one page, so a wait that times out says why
/// (with a screenshot of the page as it was under artifacts/browser/).
/// </summary>
public sealed class PageLog
{
    private readonly IPage _page;
    private readonly List<string> _lines = [];

    public PageLog(IPage page)
    {
        _page = page;
        page.Console += (_, m) => { if (m.Type is "error" or "warning") lock (_lines) _lines.Add($"console {m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (_lines) _lines.Add("page error: " + e); };
    }

    public IReadOnlyList<string> Errors { get { lock (_lines) return _lines.Where(l => l.StartsWith("page error", StringComparison.Ordinal)).ToList(); } }

    public async Task WaitVisibleAsync(ILocator locator, string what, float timeoutMs = 30_000)
    {
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = timeoutMs });
        }
        catch (TimeoutException ex)
        {
            var shot = BrowserTests.Artifact("timeout-" + string.Concat(what.Where(char.IsLetterOrDigit)) + ".png");
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            string log;
            lock (_lines) log = string.Join("\n", _lines);
            Assert.Fail($"{what}: not visible after {timeoutMs} ms (screenshot {shot}).\nBrowser log:\n{log}\n{ex.Message}");
        }
    }
}
