using System.Globalization;
using System.Text;
using System.Text.Json;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Versions;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Versions;

/// <summary>
/// A versions file: JSON Lines, one version of one article a line, every version of an act in one file
/// (<c>{"article": "Article 102", "path": "Livre Ier/Titre III/Article 102.md", "valid_from": "1803-03-14",
/// "valid_to": "1938-11-12", "changed_by": "Créé par Loi 1803-03-14", "text": "…"}</c>; an optional "act" names the act,
/// else <c>--act</c> or the corpus manifest does). The file becomes one document of the act whose provisions are the
/// versions: an article with one version keeps its plain key, one with several gives each its start date
/// (<see cref="ProvisionVersions"/>). <c>valid_to</c> is the first day the version is no longer in force; null: in force.
/// </summary>
public sealed class VersionsJsonlParser : IDocumentParser
{
    public string Format => "versions-jsonl";

    public bool CanParse(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Extension != ".jsonl") return false;
        // The first line must be a version: an object with "text" and "valid_from".
        var head = Encoding.UTF8.GetString(file.Bytes, 0, Math.Min(file.Bytes.Length, 64 * 1024));
        var newline = head.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? head : head[..newline];
        return first.Contains("\"valid_from\"", StringComparison.Ordinal) && first.Contains("\"text\"", StringComparison.Ordinal);
    }

    private sealed record Line(string? Act, string? Article, string? Path, string? ValidFrom, string? ValidTo, string? ChangedBy, string? Text);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(context);
        var lines = new List<(int Number, Line Line)>();
        using (var reader = new StringReader(Encoding.UTF8.GetString(file.Bytes)))
        {
            var number = 0;
            while (reader.ReadLine() is { } raw)
            {
                number++;
                if ((number & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (string.IsNullOrWhiteSpace(raw)) continue;
                Line? line;
                try { line = JsonSerializer.Deserialize<Line>(raw, Json); }
                catch (JsonException ex) { throw new DocumentRejectedException($"line {number} is not a JSON object: {ex.Message}", ex); }
                if (line is null) throw new DocumentRejectedException($"line {number} is null, not a version");
                if (string.IsNullOrWhiteSpace(line.Article)) throw new DocumentRejectedException($"line {number} has no \"article\"");
                if (line.Text is null) throw new DocumentRejectedException($"line {number} ({line.Article}) has no \"text\"");
                lines.Add((number, line));
            }
        }
        if (lines.Count == 0) throw new DocumentRejectedException("the versions file holds no versions");
        var acts = lines.Select(l => l.Line.Act).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (acts.Count > 1) throw new DocumentRejectedException($"the versions file names {acts.Count} acts ({string.Join(", ", acts.Take(3))}); one file holds one act");
        var title = acts.FirstOrDefault() ?? context.ActTitle
            ?? throw new DocumentRejectedException("the versions file names no act: give each line an \"act\", or pass --act (or a corpus manifest's actTitle)");
        var actName = context.ActAbbreviation ?? title;
        var language = context.Language;

        // Articles in their first appearance's order; each article's versions by start.
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var provisions = new List<Provision>(lines.Count);
        foreach (var (number, line) in lines)
        {
            var from = Date(line.ValidFrom, number, "valid_from");
            var to = Date(line.ValidTo, number, "valid_to");
            var (kind, articleNumber) = KindAndNumber(line.Article!);
            var key = $"{context.Corpus}/{StructureBuilder.Slug(actName)}/{(kind == ProvisionKind.Article ? "a" : "x-")}{StructureBuilder.Slug(articleNumber)}";
            if (!order.TryGetValue(key, out var ordinal)) order[key] = ordinal = order.Count;
            var path = (line.Path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var paragraphs = line.Text!.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => new ProvisionParagraph(null, string.Join(' ', t.Split((char[])['\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))))
                .Where(p => p.Text.Length > 0).ToList();
            provisions.Add(new Provision
            {
                Key = key,
                Kind = kind,
                Number = articleNumber,
                Citation = CitationFormatter.Format(language, actName, kind, articleNumber),
                Path = path.Length > 0 ? path[..^1] : [],
                Paragraphs = paragraphs,
                IsRepealed = paragraphs.Count == 0 || (line.ChangedBy?.StartsWith("Abrogé", StringComparison.OrdinalIgnoreCase) ?? false),
                Ordinal = ordinal,
                ValidFrom = from,
                ValidTo = to,
                ChangedBy = string.IsNullOrWhiteSpace(line.ChangedBy) ? null : line.ChangedBy.Trim(),
            });
        }
        var sorted = provisions.OrderBy(p => p.Ordinal).ThenBy(p => p.ValidFrom ?? DateOnly.MinValue).ToList();
        return Task.FromResult(new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = language,
            Title = title,
            Abbreviation = context.ActAbbreviation,
            Format = Format,
            Provisions = ProvisionVersions.AssignKeys(sorted),
        });
    }

    private static DateOnly? Date(string? value, int line, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new DocumentRejectedException($"line {line}: \"{field}\" is '{value}', not a date yyyy-MM-dd");
    }

    /// <summary>"Article 102" → (Article, "102"); "Annexe 2" and anything else keep their whole label as the number.</summary>
    private static (ProvisionKind Kind, string Number) KindAndNumber(string article)
    {
        var trimmed = article.Trim();
        foreach (var prefix in new[] { "Article ", "Art. ", "Artikel ", "Art " })
            if (trimmed.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                return (ProvisionKind.Article, trimmed[prefix.Length..].Trim());
        return (ProvisionKind.Article, trimmed);
    }
}
