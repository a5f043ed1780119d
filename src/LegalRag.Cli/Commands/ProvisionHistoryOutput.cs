using LegalRag.Cli.Output;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Versions;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

/// <summary><c>show --history</c> and <c>show --diff FROM TO</c>: a provision's versions and what changed between two.</summary>
internal static class ProvisionHistoryOutput
{
    public static int History(IReadOnlyList<StoredProvision> versions, bool json)
    {
        if (versions.Count == 0)
        {
            Console.Error.WriteLine("error: the store lists no versions of this provision");
            return ExitCodes.PartialFailure;
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (json)
        {
            JsonOutput.Write(new
            {
                citation = versions[^1].Provision.Citation,
                provisionId = ProvisionVersions.BaseKey(versions[0].Key),
                versions = versions.Select(v => new
                {
                    provisionId = v.Key,
                    validFrom = v.Provision.ValidFrom,
                    validTo = v.Provision.ValidTo,
                    changedBy = v.Provision.ChangedBy,
                    repealed = v.Provision.IsRepealed,
                    inForce = Validity.InForce(v.Provision.ValidFrom, v.Provision.ValidTo, v.Act?.ValidFrom, v.Act?.ValidTo, today),
                }),
            });
            return ExitCodes.Ok;
        }
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(versions[^1].Provision.Citation)}[/]: {versions.Count} version{(versions.Count == 1 ? "" : "s")}");
        foreach (var v in versions)
        {
            var inForce = Validity.InForce(v.Provision.ValidFrom, v.Provision.ValidTo, v.Act?.ValidFrom, v.Act?.ValidTo, today);
            var dates = $"{Day(v.Provision.ValidFrom),-10} – {(v.Provision.ValidTo is { } t ? Day(t) : ""),-10}";
            AnsiConsole.MarkupLine($"  {Markup.Escape(dates)}  {(inForce ? "[green]in force[/]" : "        ")}  {Markup.Escape(v.Provision.ChangedBy ?? "")}{(v.Provision.IsRepealed ? " [red](repealed)[/]" : "")}  [dim]{Markup.Escape(v.Key)}[/]");
        }
        return ExitCodes.Ok;
    }

    public static int Diff(IReadOnlyList<StoredProvision> versions, string fromArg, string toArg, bool json)
    {
        var from = ProvisionVersions.Pick(versions, fromArg, out var fromError);
        var to = ProvisionVersions.Pick(versions, toArg, out var toError);
        if (from is null || to is null)
        {
            Console.Error.WriteLine($"error: {(fromError ?? toError)!.Message} (see --history)");
            return ExitCodes.Usage;
        }
        var segments = WordDiff.Compute(from.Provision.Text, to.Provision.Text);
        if (json)
        {
            JsonOutput.Write(new
            {
                citation = to.Provision.Citation,
                from = Describe(from),
                to = Describe(to),
                changed = segments.Any(s => s.Op != DiffOp.Equal),
                segments = segments.Select(s => new { op = s.Op.ToString().ToLowerInvariant(), text = s.Text }),
            });
            return ExitCodes.Ok;
        }
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(to.Provision.Citation)}[/]");
        AnsiConsole.MarkupLine($"[red]--- {Markup.Escape(Label(from))}[/]");
        AnsiConsole.MarkupLine($"[green]+++ {Markup.Escape(Label(to))}[/]");
        if (!segments.Any(s => s.Op != DiffOp.Equal)) AnsiConsole.MarkupLine("[dim](the two versions' texts are identical)[/]");
        // Colour for people; the [-…-] {+…+} marks stay so the change reads the same without colour. Piped, the text is
        // written as one line (not wrapped to a terminal width, which would split a mark).
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(WordDiff.Render(segments));
            return ExitCodes.Ok;
        }
        AnsiConsole.MarkupLine(string.Join(' ', segments.Select(s => s.Op switch
        {
            DiffOp.Delete => "[red][[-" + Markup.Escape(s.Text) + "-]][/]",
            DiffOp.Insert => "[green]{+" + Markup.Escape(s.Text) + "+}[/]",
            _ => Markup.Escape(s.Text),
        })));
        return ExitCodes.Ok;
    }

    private static object Describe(StoredProvision v) => new
    {
        provisionId = v.Key, validFrom = v.Provision.ValidFrom, validTo = v.Provision.ValidTo, changedBy = v.Provision.ChangedBy,
    };

    private static string Label(StoredProvision v) =>
        $"{Day(v.Provision.ValidFrom)} – {(v.Provision.ValidTo is { } t ? Day(t) : "")} {v.Provision.ChangedBy}".TrimEnd();

    private static string Day(DateOnly? day) => day is { } d ? Validity.Iso(d) : "?";
}
