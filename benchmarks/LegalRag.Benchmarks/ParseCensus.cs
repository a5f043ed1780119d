using System.Diagnostics;
using System.Globalization;
using LegalRag.Cli.Commands;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Benchmarks;

/// <summary>
/// What the parsers make of folders of source files, per format: files parsed and refused (with why),
/// provisions, tables kept (Markdown pipe tables in the text), identifiers, aliases, validity dates and notes
/// read, and parse speed (the median over rounds of the time to parse all files of the format, in memory,
/// after one warm-up round).
/// </summary>
public static class ParseCensus
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var folders = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var rounds = Option(args, "--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 9;
        var language = Option(args, "--lang") ?? "de";
        if (folders.Count == 0 || rounds < 1)
        {
            Console.Error.WriteLine("usage: parse FOLDER... [--rounds 9] [--lang de]");
            return 2;
        }
        var registry = new ParserRegistry(ParserCatalog.All());
        var context = new ParseContext("census", language, null, null, new IngestionLimits());
        var files = new List<SourceFile>();
        foreach (var folder in folders)
        {
            var root = Path.GetFullPath(folder);
            foreach (var path in Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                if (ParserRegistry.KnownExtensions.Contains(Path.GetExtension(path)))
                    files.Add(new SourceFile(path, Path.GetRelativePath(root, path), await File.ReadAllBytesAsync(path, cancellationToken)));
        }

        // Round 0 is the warm-up (JIT, regex construction); its documents are the ones counted.
        var byFormat = new SortedDictionary<string, FormatTally>(StringComparer.Ordinal);
        var timings = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var round = 0; round <= rounds; round++)
        {
            var roundTotals = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var parser = registry.Find(file);
                var watch = Stopwatch.StartNew();
                LegalDocument? document = null;
                string? refusal = null;
                try
                {
                    document = parser is null ? null : await parser.ParseAsync(file, context, cancellationToken);
                    if (parser is null) refusal = "no parser";
                }
                catch (DocumentRejectedException ex)
                {
                    refusal = ex.Message;
                }
                var ms = watch.Elapsed.TotalMilliseconds;
                // A refused file counts under the format its parser reads (xml), a parsed one under the document's format.
                var format = document?.Format ?? parser?.Format ?? "none";
                roundTotals[format] = roundTotals.GetValueOrDefault(format) + ms;
                if (round > 0) continue;
                if (!byFormat.TryGetValue(format, out var tally)) byFormat[format] = tally = new FormatTally();
                tally.Add(file, document, refusal);
            }
            if (round == 0) continue;
            foreach (var (format, ms) in roundTotals)
            {
                if (!timings.TryGetValue(format, out var list)) timings[format] = list = [];
                list.Add(ms);
            }
        }

        foreach (var (format, t) in byFormat)
        {
            var median = Measurement.Percentile(timings.GetValueOrDefault(format) ?? [], 50);
            Console.WriteLine($"== {format}");
            Console.WriteLine($"files {t.Files} ({t.Bytes / 1024.0:F0} KiB): parsed {t.Parsed}, refused {t.Refusals.Count}");
            foreach (var (path, reason) in t.Refusals) Console.WriteLine($"  refused {path}: {reason}");
            Console.WriteLine($"provisions {t.Provisions} (repealed {t.Repealed}, paragraphs {t.Paragraphs}), tables kept {t.Tables}");
            Console.WriteLine($"identifiers: documents {t.DocumentIds}/{t.Parsed}, provisions {t.ProvisionIds}/{t.Provisions}; aliases {t.Aliases}");
            Console.WriteLine($"dates: documents from {t.DocumentFrom}, to {t.DocumentTo}; provisions from {t.ProvisionFrom}, to {t.ProvisionTo}; provisions with notes {t.WithNotes} ({t.Notes} notes)");
            Console.WriteLine($"parse: median {Measurement.Ms(median)} for all {t.Files} files over {rounds} rounds"
                              + (median > 0 ? $" = {t.Bytes / 1048576.0 / (median / 1000):F1} MiB/s, {t.Provisions / (median / 1000):F0} provisions/s" : ""));
        }
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class FormatTally
    {
        public int Files, Parsed, Provisions, Repealed, Paragraphs, Tables, DocumentIds, ProvisionIds, Aliases;
        public int DocumentFrom, DocumentTo, ProvisionFrom, ProvisionTo, WithNotes, Notes;
        public long Bytes;
        public List<(string Path, string Reason)> Refusals { get; } = [];

        public void Add(SourceFile file, LegalDocument? document, string? refusal)
        {
            Files++;
            Bytes += file.Bytes.Length;
            if (document is null)
            {
                Refusals.Add((file.RelativePath, refusal ?? "refused"));
                return;
            }
            Parsed++;
            if (document.Identifier is not null) DocumentIds++;
            Aliases += document.Aliases.Count;
            if (document.ValidFrom is not null) DocumentFrom++;
            if (document.ValidTo is not null) DocumentTo++;
            foreach (var p in document.Provisions)
            {
                Provisions++;
                if (p.IsRepealed) Repealed++;
                Paragraphs += p.Paragraphs.Count;
                // A Markdown pipe table has exactly one separator row.
                Tables += p.Paragraphs.Sum(x => x.Text.Split('\n').Count(line => line.StartsWith("| ---", StringComparison.Ordinal)));
                if (p.Identifier is not null) ProvisionIds++;
                if (p.ValidFrom is not null) ProvisionFrom++;
                if (p.ValidTo is not null) ProvisionTo++;
                if (p.Notes.Count > 0) WithNotes++;
                Notes += p.Notes.Count;
            }
        }
    }
}
