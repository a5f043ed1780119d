using System.Globalization;
using LegalRag.Core.Abstractions;

namespace LegalRag.Answering.History;

/// <summary>A block of an export: one content model, rendered as Markdown and as DOCX, so both carry the same facts.</summary>
public abstract record ExportBlock(string Text);

/// <summary>A heading; level 1 is the document's title.</summary>
public sealed record ExportHeading(int Level, string Text) : ExportBlock(Text);

/// <summary>Running text; <see cref="Lead"/> is set in bold before it (a citation's pinpoint).</summary>
public sealed record ExportParagraph(string Text, string? Lead = null) : ExportBlock(Text);

/// <summary>A verbatim quote from a provision.</summary>
public sealed record ExportQuote(string Text) : ExportBlock(Text);

/// <summary>Facts about what surrounds it (time, corpus snapshot, as-of date), set small.</summary>
public sealed record ExportMeta(string Text) : ExportBlock(Text);

/// <summary>
/// What goes into the case file for a conversation or one answer of it: each question and answer; each citation with
/// its full pinpoint, the quoted text and the provision it is from; the corpus snapshot the citation stood on (corpus,
/// the act's source SHA-256, when and where it was taken); the as-of date where one was asked; and the times.
/// Labels are English; the question, answer and quotes stay in their own language.
/// </summary>
public static class CaseFileExport
{
    public const string DocxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string MarkdownContentType = "text/markdown; charset=utf-8";

    /// <summary>The blocks of the export; only exchange <paramref name="exchangeNumber"/> when given.</summary>
    public static IReadOnlyList<ExportBlock> Blocks(Conversation conversation, int? exchangeNumber, DateTimeOffset exportedAt)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var exchanges = exchangeNumber is { } n ? conversation.Exchanges.Where(e => e.Number == n).ToList() : conversation.Exchanges.ToList();
        if (exchanges.Count == 0) throw new ArgumentException(exchangeNumber is { } missing ? $"conversation {conversation.Id} has no exchange {missing}" : $"conversation {conversation.Id} has no exchanges", nameof(exchangeNumber));
        var blocks = new List<ExportBlock>
        {
            new ExportHeading(1, exchangeNumber is null ? $"Conversation: {conversation.Title}" : $"Answer: {exchanges[0].Question.Trim()}"),
            new ExportMeta($"Conversation {conversation.Id} of {conversation.User}, begun {Time(conversation.CreatedAt)}; exported {Time(exportedAt)} from LegalRag."),
        };
        foreach (var exchange in exchanges)
        {
            blocks.Add(new ExportHeading(2, $"Question {exchange.Number}"));
            blocks.Add(new ExportParagraph(exchange.Question.Trim()));
            blocks.Add(new ExportMeta(string.Join(" · ",
                $"Asked {Time(exchange.AskedAt)}",
                exchange.AsOf is { } asOf ? $"law as of {asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "law in force when asked",
                $"corpus {exchange.Corpus ?? "all readable"}",
                $"language {exchange.Language}",
                $"answer {exchange.Mode}{(exchange.Refused ? ", no answer found" : "")}")));
            blocks.Add(new ExportHeading(3, "Answer"));
            foreach (var line in exchange.Answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                blocks.Add(new ExportParagraph(line));
            if (!string.IsNullOrWhiteSpace(exchange.Notice)) blocks.Add(new ExportMeta($"Notice: {exchange.Notice.Trim()}"));
            if (exchange.Citations.Count == 0) continue;
            blocks.Add(new ExportHeading(3, "Sources"));
            foreach (var citation in exchange.Citations)
            {
                var heading = string.IsNullOrWhiteSpace(citation.Heading) ? "" : $" — {citation.Heading}";
                blocks.Add(new ExportParagraph($"{heading}{(string.IsNullOrWhiteSpace(citation.Path) ? "" : $" ({citation.Path})")}", $"[{citation.Number}] {citation.Citation}"));
                blocks.Add(new ExportQuote(citation.Quote.Trim()));
                blocks.Add(new ExportMeta(SourceLine(citation)));
            }
        }
        return blocks;
    }

    /// <summary>Where the quote is from: provision, source file and page, and the snapshot of the corpus it was cited from.</summary>
    public static string SourceLine(RecordedCitation citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        var parts = new List<string> { $"Provision {citation.ProvisionId}" };
        if (!string.IsNullOrEmpty(citation.SourcePath)) parts.Add($"file {citation.SourcePath}{(citation.Page is { } page ? $", page {page.ToString(CultureInfo.InvariantCulture)}" : "")}");
        var snapshot = citation.Snapshot is { } s
            ? $"corpus snapshot: {citation.Corpus}, act source SHA-256 {s.ContentHash}{(s.RetrievedAt is { } at ? $", retrieved {Time(at)}" : "")}{(s.Source is null ? "" : $" from {s.Source}")}{(s.Publisher is null ? "" : $" ({s.Publisher})")}"
            : $"corpus snapshot: {citation.Corpus} (no provenance recorded for this act)";
        parts.Add(snapshot);
        return string.Join(" · ", parts);
    }

    /// <summary>Times in the case file: UTC, to the second, unambiguous in every locale.</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A file name for the download: the conversation (and answer) it holds.</summary>
    public static string FileName(Conversation conversation, int? exchangeNumber, string extension)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var id = conversation.Id.Length > 12 ? conversation.Id[..12] : conversation.Id;
        return $"legalrag-{id}{(exchangeNumber is { } n ? "-" + n.ToString(CultureInfo.InvariantCulture) : "")}.{extension}";
    }
}
