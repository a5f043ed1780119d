using LegalRag.Evaluation.Reports;
using LegalRag.Server.Tests.Support;
using LegalRag.TestSupport;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests;

/// <summary>
/// The README's pictures (issue 15, item 6): the chat with an answer, the provision panel and the eval report,
/// taken from the running product. They go to artifacts/browser/readme/ unless LEGALRAG_SCREENSHOTS names a folder;
/// tools/screenshots.sh points it at docs/images. Kept small: one CSS pixel per pixel, PNG, at most 150 KB each.
/// </summary>
public sealed class ScreenshotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const long MaxBytes = 150 * 1024;

    private static string Target(string name)
    {
        var dir = Environment.GetEnvironmentVariable("LEGALRAG_SCREENSHOTS") is { Length: > 0 } chosen
            ? Path.GetFullPath(chosen, Repository.Root)
            : Path.Combine(Repository.Root, "artifacts", "browser", "readme");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private static async Task ShootAsync(IPage page, string name)
    {
        var path = Target(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Type = ScreenshotType.Png, Scale = ScreenshotScale.Css });
        var size = new FileInfo(path).Length;
        Assert.True(size <= MaxBytes, $"{path}: {size / 1024} KB, over the {MaxBytes / 1024} KB a README picture may take");
    }

    [Fact]
    public async Task Readme_pictures_of_the_chat_the_provision_panel_and_the_eval_report()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (playwright, browser) = await BrowserTests.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 660 }, Locale = "en-GB" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{host.Address}#key={ServerHost.EvaluatorKey}");
        await AccessibilityTests.WaitForConnectedAsync(page);

        await page.Locator("#question").FillAsync("Darf mein Vermieter wegen Eigenbedarf kündigen?");
        await page.Locator("#question").PressAsync("Enter");
        var answer = page.Locator(".msg.assistant").Last;
        await answer.Locator(".meta").Last.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await page.Locator("#question").BlurAsync();
        await ShootAsync(page, "chat.png");

        await answer.Locator(".chip").First.ClickAsync();
        await page.Locator("#provision").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator("#provision-title").BlurAsync();
        // The panel scrolled the highlighted span into view; the picture shows the page from its top, title included.
        await page.EvaluateAsync("() => { window.scrollTo(0, 0); document.getElementById('provision').scrollTop = 0; }");
        await ShootAsync(page, "provision.png");

        // The eval report as `legalrag eval --html` writes it, from the fixture baseline kept in the repository.
        var report = await ReportJson.ReadAsync(Path.Combine(Repository.Root, "evals", "baselines", "fixtures-lexical.json"), Ct);
        var reportPage = await context.NewPageAsync();
        await reportPage.SetViewportSizeAsync(1100, 900);
        await reportPage.SetContentAsync(HtmlReport.Render(report));
        // From the headline metrics on: the run's configuration table above them says little in a picture.
        await reportPage.EvaluateAsync("() => window.scrollTo(0, document.querySelector('h2').offsetTop - 16)");
        await ShootAsync(reportPage, "eval-report.png");
        await context.CloseAsync();
    }
}
