using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit;

namespace LegalRag.Server.Tests.Support;

/// <summary>
/// Runs axe-core on the page as it is now and fails on any serious or critical violation. Every run's violations,
/// by impact, go to artifacts/browser/axe/&lt;screen&gt;.json, the record docs/accessibility.md summarises.
/// </summary>
public static class AxeCheck
{
    private static readonly string[] Blocking = ["serious", "critical"];
    private static readonly string[] Impacts = ["critical", "serious", "moderate", "minor"];

    public static async Task<AxeResult> AssertNoSeriousViolationsAsync(IPage page, string screen)
    {
        // WCAG 2.0/2.1 A and AA rules and axe's best practices; the tags name what the conformance statement claims.
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var violations = result.Violations ?? [];
        var byImpact = Impacts.ToDictionary(i => i, i => violations.Where(v => v.Impact == i).Sum(v => v.Nodes?.Length ?? 0));
        var record = new
        {
            screen,
            url = result.Url,
            byImpact,
            passes = result.Passes?.Length ?? 0,
            incomplete = (result.Incomplete ?? []).Select(v => new { v.Id, v.Impact, nodes = v.Nodes?.Length ?? 0 }),
            violations = violations.Select(v => new { v.Id, v.Impact, v.Help, targets = (v.Nodes ?? []).Select(n => n.Target?.ToString()) }),
        };
        var dir = Path.Combine(Path.GetDirectoryName(BrowserTests.Artifact("x"))!, "axe");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, screen + ".json"), JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }), TestContext.Current.CancellationToken);

        var blocking = violations.Where(v => Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0, $"axe on '{screen}': " + string.Join("\n", blocking.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", (v.Nodes ?? []).Select(n => n.Target?.ToString() + " " + n.Html))}")));
        return result;
    }
}
