using System.CommandLine;
using LegalRag.Cli.Output;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using Spectre.Console;

namespace LegalRag.Cli.Commands;

public static class ShowCommand
{
    public static Command Create()
    {
        var citation = new Argument<string>("citation") { Description = "A citation (\"BGB § 573\", \"Art. 544 Code civil\") or a provision id" };
        var corpus = new Option<string?>("--corpus") { Description = "Look only in this corpus" };
        var json = new Option<bool>("--json") { Description = "Machine output" };
        var history = new Option<bool>("--history") { Description = "List every version with its dates and amending act" };
        var diff = new Option<string[]>("--diff")
        {
            Description = "Word-level diff between two versions, each named by a day (YYYY-MM-DD: the version in force then) or a version id",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("show", "Print the full text of a provision") { citation, corpus, json, history, diff };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = await CliContext.OpenAsync(parse, ct, loadModels: false);
            var store = services.Stack.Store;
            var text = parse.GetValue(citation)!;
            var matches = new List<StoredProvision>();
            if (await store.GetProvisionAsync(text, ct) is { } byId) matches.Add(byId);
            else if (CitationParser.TryParse(text, out var reference)) matches.AddRange(await store.FindByCitationAsync(reference, parse.GetValue(corpus), ct));
            else
            {
                Console.Error.WriteLine($"error: '{text}' is neither a citation nor a provision id");
                return ExitCodes.Usage;
            }
            if (matches.Count == 0)
            {
                Console.Error.WriteLine($"No provision matches '{text}'.");
                return ExitCodes.PartialFailure;
            }
            var diffArgs = parse.GetValue(diff);
            if (parse.GetValue(history) || diffArgs is { Length: > 0 })
            {
                if (matches.Count > 1)
                {
                    Console.Error.WriteLine($"error: {matches.Count} provisions match '{text}'; name the act to pick one ({string.Join("; ", matches.Take(5).Select(m => m.Provision.Citation + " in " + m.Corpus))})");
                    return ExitCodes.Usage;
                }
                var versions = await store.GetVersionsAsync(matches[0].Key, ct);
                return diffArgs is { Length: > 0 }
                    ? ProvisionHistoryOutput.Diff(versions, diffArgs[0], diffArgs[1], parse.GetValue(json))
                    : ProvisionHistoryOutput.History(versions, parse.GetValue(json));
            }
            var references = new Dictionary<string, ProvisionReferences>(StringComparer.Ordinal);
            foreach (var m in matches) references[m.Key] = await store.GetReferencesAsync(m.Key, ct);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(new
                {
                    provisions = matches.Select(m => new
                    {
                        citation = m.Provision.Citation,
                        provisionId = m.Key,
                        act = m.ActName,
                        actTitle = m.ActTitle,
                        corpus = m.Corpus,
                        path = m.Provision.PathDisplay,
                        heading = m.Provision.Heading,
                        repealed = m.Provision.IsRepealed,
                        sourcePath = m.SourcePath,
                        identifier = m.Provision.Identifier,
                        validFrom = m.Provision.ValidFrom,
                        validTo = m.Provision.ValidTo,
                        changedBy = m.Provision.ChangedBy,
                        notes = m.Provision.Notes,
                        actIdentifier = m.Act?.Identifier,
                        actValidFrom = m.Act?.ValidFrom,
                        actValidTo = m.Act?.ValidTo,
                        provenance = m.Act?.Provenance is { } pv
                            ? new { source = pv.Source, publisher = pv.Publisher, retrievedAt = pv.RetrievedAt, contentHash = pv.ContentHash }
                            : null,
                        paragraphs = m.Provision.Paragraphs.Select(p => new { label = p.Label, text = p.Text, page = p.Page }),
                        text = m.Provision.Text,
                        refersTo = references[m.Key].RefersTo.Select(r => new { citation = r.Citation, provisionId = r.ProvisionKey }),
                        referredToBy = references[m.Key].ReferredToBy.Select(r => new { citation = r.Citation, provisionId = r.ProvisionKey }),
                    }),
                });
                return ExitCodes.Ok;
            }
            if (matches.Count > 1) AnsiConsole.MarkupLine($"[yellow]{matches.Count} provisions match; name the act to pick one.[/]");
            foreach (var m in matches)
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(m.Provision.Citation)}[/] {Markup.Escape(m.Provision.Heading)}{(m.Provision.IsRepealed ? " [red](repealed)[/]" : "")}");
                AnsiConsole.MarkupLine($"[dim]{Markup.Escape(m.ActTitle)} › {Markup.Escape(m.Provision.PathDisplay)}  ({Markup.Escape(m.Corpus)}: {Markup.Escape(m.SourcePath)})[/]");
                if (ProvisionFacts.Validity(m.Provision.ValidFrom, m.Provision.ValidTo) is { } validity)
                    AnsiConsole.MarkupLine($"[dim]in force:[/] {Markup.Escape(validity)}{(m.Provision.ChangedBy is { } by ? " [dim](" + Markup.Escape(by) + ")[/]" : "")}");
                foreach (var p in m.Provision.Paragraphs) AnsiConsole.WriteLine(p.Text + "\n");
                foreach (var note in m.Provision.Notes) AnsiConsole.MarkupLine($"[dim]note:[/] {Markup.Escape(note)}");
                if (m.Provision.Identifier is { } id) AnsiConsole.MarkupLine($"[dim]identifier:[/] {Markup.Escape(id)}");
                if (m.Act is { } act)
                {
                    if (act.Identifier is not null || ProvisionFacts.Validity(act.ValidFrom, act.ValidTo) is not null)
                        AnsiConsole.MarkupLine($"[dim]act:[/] {Markup.Escape(string.Join("; ", new[] { act.Identifier, ProvisionFacts.Validity(act.ValidFrom, act.ValidTo) is { } v ? "version in force " + v : null }.OfType<string>()))}");
                    if (act.Provenance is { } pv) AnsiConsole.MarkupLine($"[dim]source:[/] {Markup.Escape(ProvisionFacts.Describe(pv))}");
                }
                var r = references[m.Key];
                if (r.RefersTo.Count > 0) AnsiConsole.MarkupLine($"[dim]refers to:[/] {Markup.Escape(string.Join("; ", r.RefersTo.Select(x => x.Citation)))}");
                if (r.ReferredToBy.Count > 0) AnsiConsole.MarkupLine($"[dim]referred to by:[/] {Markup.Escape(string.Join("; ", r.ReferredToBy.Select(x => x.Citation)))}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>Dates and provenance as people read them in the terminal.</summary>
internal static class ProvisionFacts
{
    /// <summary>"2023-01-01 – 2030-12-31", "since 2023-01-01", "until 2030-12-31"; null when neither date is known.</summary>
    public static string? Validity(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, null) => null,
        ({ } f, null) => $"since {Iso(f)}",
        (null, { } t) => $"until {Iso(t)}",
        ({ } f, { } t) => $"{Iso(f)} – {Iso(t)}",
    };

    /// <summary>"https://… (publisher), retrieved 2026-11-30 08:15 UTC, sha256 0123abcd…".</summary>
    public static string Describe(Core.Domain.Provenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var publisher = provenance.Publisher is null ? "" : $" ({provenance.Publisher})";
        var retrieved = provenance.RetrievedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return $"{provenance.Source}{publisher}, retrieved {retrieved} UTC, sha256 {provenance.ContentHash}";
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
