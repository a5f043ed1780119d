using System.Globalization;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Languages;

namespace LegalRag.Answering.History;

/// <summary>A block of an export: one content model, rendered as Markdown and as DOCX, so both carry the same facts.</summary>
public abstract record ExportBlock(string Text);

/// <summary>A heading; level 1 is the document's title.</summary>
public sealed record ExportHeading(int Level, string Text) : ExportBlock(Text);

/// <summary>
/// Running text; <see cref="Lead"/> is set in bold before it (a citation's pinpoint). <see cref="Language"/> is the
/// language of a question or answer where it may differ from the labels', so a word processor checks its spelling as such.
/// </summary>
public sealed record ExportParagraph(string Text, string? Lead = null, string? Language = null) : ExportBlock(Text);

/// <summary>A verbatim quote from a provision.</summary>
public sealed record ExportQuote(string Text) : ExportBlock(Text);

/// <summary>Facts about what surrounds it (time, corpus snapshot, as-of date), set small.</summary>
public sealed record ExportMeta(string Text) : ExportBlock(Text);

/// <summary>
/// What goes into the case file for a conversation or one answer of it: each question and answer; each citation with
/// its full pinpoint, the quoted text and the provision it is from; the corpus snapshot the citation stood on (corpus,
/// the act's source SHA-256, when and where it was taken); the as-of date where one was asked; and the times.
/// The labels are in one language pack's words (<see cref="ExportTexts"/>); the question, answer and quotes stay in
/// their own language; times and days are UTC ISO 8601 in every language.
/// </summary>
public static class CaseFileExport
{
    public const string DocxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string MarkdownContentType = "text/markdown; charset=utf-8";

    /// <summary>
    /// The pack whose labels an export uses: the one asked for (the interface language), else the language the exported
    /// answer (the first, for a whole conversation) was given in; a language without a pack gets English.
    /// </summary>
    public static ILegalLanguage LabelLanguage(Conversation conversation, int? exchangeNumber, string? requested)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        if (!string.IsNullOrWhiteSpace(requested)) return LanguageRegistry.Default.ForAnswers(requested);
        var exported = conversation.Exchanges.FirstOrDefault(e => exchangeNumber is not { } n || e.Number == n);
        return LanguageRegistry.Default.ForAnswers(exported?.Language);
    }

    /// <summary>The blocks of the export, labelled in <paramref name="labels"/>' words; only exchange <paramref name="exchangeNumber"/> when given.</summary>
    public static IReadOnlyList<ExportBlock> Blocks(Conversation conversation, int? exchangeNumber, DateTimeOffset exportedAt, ILegalLanguage labels)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(labels);
        var words = labels.Export;
        var exchanges = exchangeNumber is { } n ? conversation.Exchanges.Where(e => e.Number == n).ToList() : conversation.Exchanges.ToList();
        if (exchanges.Count == 0) throw new ArgumentException(exchangeNumber is { } missing ? $"conversation {conversation.Id} has no exchange {missing}" : $"conversation {conversation.Id} has no exchanges", nameof(exchangeNumber));
        var blocks = new List<ExportBlock>
        {
            new ExportHeading(1, exchangeNumber is null ? Fill(words.ConversationTitle, conversation.Title) : Fill(words.AnswerTitle, exchanges[0].Question.Trim())),
            new ExportMeta(Fill(words.Header, conversation.Id, conversation.User, Time(conversation.CreatedAt), Time(exportedAt))),
        };
        foreach (var exchange in exchanges)
        {
            blocks.Add(new ExportHeading(2, Fill(words.QuestionHeading, exchange.Number)));
            blocks.Add(new ExportParagraph(exchange.Question.Trim(), Language: exchange.Language));
            blocks.Add(new ExportMeta(string.Join(" · ",
                Fill(words.Asked, Time(exchange.AskedAt)),
                exchange.AsOf is { } asOf ? Fill(words.LawAsOf, asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : words.LawWhenAsked,
                Fill(words.Corpus, exchange.Corpus ?? words.AllCorpora),
                Fill(words.AnswerLanguage, labels.Answers.LanguageName(exchange.Language)),
                Fill(words.AnswerMode, words.ModeName(exchange.Mode)) + (exchange.Refused ? words.NoAnswerFound : ""))));
            blocks.Add(new ExportHeading(3, words.AnswerHeading));
            foreach (var line in exchange.Answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                blocks.Add(new ExportParagraph(line, Language: exchange.Language));
            if (!string.IsNullOrWhiteSpace(exchange.Notice)) blocks.Add(new ExportMeta(Fill(words.Notice, exchange.Notice.Trim())));
            if (exchange.Citations.Count == 0) continue;
            blocks.Add(new ExportHeading(3, words.SourcesHeading));
            foreach (var citation in exchange.Citations)
            {
                var heading = string.IsNullOrWhiteSpace(citation.Heading) ? "" : $" — {citation.Heading}";
                blocks.Add(new ExportParagraph($"{heading}{(string.IsNullOrWhiteSpace(citation.Path) ? "" : $" ({citation.Path})")}", $"[{citation.Number}] {citation.Citation}"));
                blocks.Add(new ExportQuote(citation.Quote.Trim()));
                blocks.Add(new ExportMeta(SourceLine(citation, words)));
            }
        }
        return blocks;
    }

    /// <summary>Where the quote is from: provision, source file and page, and the snapshot of the corpus it was cited from.</summary>
    public static string SourceLine(RecordedCitation citation, ExportTexts words)
    {
        ArgumentNullException.ThrowIfNull(citation);
        ArgumentNullException.ThrowIfNull(words);
        var parts = new List<string> { Fill(words.Provision, citation.ProvisionId) };
        if (!string.IsNullOrEmpty(citation.SourcePath)) parts.Add(Fill(words.File, citation.SourcePath) + (citation.Page is { } page ? Fill(words.Page, page) : ""));
        var snapshot = citation.Snapshot is { } s
            ? Fill(words.Snapshot, citation.Corpus, s.ContentHash) + (s.RetrievedAt is { } at ? Fill(words.Retrieved, Time(at)) : "")
              + (s.Source is null ? "" : Fill(words.RetrievedFrom, s.Source)) + (s.Publisher is null ? "" : $" ({s.Publisher})")
            : Fill(words.SnapshotWithoutProvenance, citation.Corpus);
        parts.Add(snapshot);
        return string.Join(" · ", parts);
    }

    private static string Fill(string label, params object?[] values) => ExportTexts.Fill(label, values);

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
