using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using LegalRag.Answering.History;
using LegalRag.Answering.Tests.Support;
using LegalRag.Core.Abstractions;
using LegalRag.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace LegalRag.Answering.Tests;

/// <summary>An answer recorded with its citations' snapshots, then exported for the case file as DOCX (read back with OpenXml) and Markdown.</summary>
public sealed class CaseFileExportTests
{
    private static readonly DateTimeOffset AskedAt = new(2026, 11, 30, 14, 5, 9, TimeSpan.Zero);
    private static readonly DateTimeOffset ExportedAt = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A clock that stands still.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static async Task<(Conversation Conversation, FixtureCorpus Corpus)> RecordedAsync()
    {
        var corpus = await FixtureCorpus.CreateAsync(Ct);
        var history = await SqliteConversationStore.OpenAsync(Path.Combine(corpus.DataDirectory, "history.db"), Ct);
        var recorder = new ConversationRecorder(history, corpus.Store, new FixedTime(AskedAt), NullLogger<ConversationRecorder>.Instance);
        const string question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";
        var answer = await corpus.Answers().AskAsync(new AnswerRequest { Question = question, Corpus = FixtureCorpus.Name }, Ct);
        Assert.NotEmpty(answer.Citations);
        var recorded = await recorder.RecordAsync("alice", "conv1", question, FixtureCorpus.Name, new DateOnly(2026, 1, 1), answer, Ct);
        Assert.NotNull(recorded);
        Assert.Equal(1, recorded.Number);
        return ((await history.GetAsync("alice", "conv1", Ct))!, corpus);
    }

    [Fact]
    public async Task The_recorder_keeps_each_citation_with_the_snapshot_of_its_act()
    {
        var (conversation, corpus) = await RecordedAsync();
        using var _ = corpus;
        var exchange = Assert.Single(conversation.Exchanges);
        Assert.Equal(AskedAt, exchange.AskedAt);
        Assert.Equal(new DateOnly(2026, 1, 1), exchange.AsOf);
        foreach (var citation in exchange.Citations)
        {
            var stored = await corpus.Store.GetProvisionAsync(citation.ProvisionId, Ct);
            Assert.NotNull(stored?.Act?.Provenance);
            Assert.Equal(stored.Act.Provenance.ContentHash, citation.Snapshot?.ContentHash);
            Assert.Equal(stored.Act.Provenance.RetrievedAt, citation.Snapshot?.RetrievedAt);
            Assert.Contains(citation.Quote.Split(' ')[0], exchange.Answer);
        }
    }

    [Fact]
    public async Task The_docx_opens_with_OpenXml_validates_and_carries_question_answer_citations_snapshot_as_of_and_time()
    {
        var (conversation, corpus) = await RecordedAsync();
        using var _ = corpus;
        var exchange = conversation.Exchanges[0];
        var bytes = DocxExport.Write(conversation, 1, ExportedAt);

        using var stream = new MemoryStream(bytes);
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        var errors = new OpenXmlValidator().Validate(document, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var paragraphs = document.MainDocumentPart!.Document.Body!.Elements<Paragraph>()
            .Select(p => (Style: p.ParagraphProperties?.ParagraphStyleId?.Val?.Value, Text: string.Concat(p.Descendants<WordText>().Select(t => t.Text)))).ToList();
        var text = string.Join("\n", paragraphs.Select(p => p.Text));

        Assert.Equal(DocxExport.TitleStyle, paragraphs[0].Style);
        Assert.Equal("Answer: " + exchange.Question, paragraphs[0].Text);
        Assert.Contains(paragraphs, p => p.Style == DocxExport.Heading2Style && p.Text == "Question 1");
        Assert.Contains(paragraphs, p => p.Style is null && p.Text == exchange.Question);
        foreach (var line in exchange.Answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Assert.Contains(paragraphs, p => p.Text == line);
        Assert.Contains("Asked 2026-11-30 14:05:09 UTC", text);
        Assert.Contains("law as of 2026-01-01", text);
        Assert.Contains("exported 2026-12-01 08:00:00 UTC", text);
        foreach (var citation in exchange.Citations)
        {
            Assert.Contains(paragraphs, p => p.Text.StartsWith($"[{citation.Number}] {citation.Citation}", StringComparison.Ordinal));
            Assert.Contains(paragraphs, p => p.Style == DocxExport.QuoteStyle && p.Text == citation.Quote.Trim());
            Assert.Contains($"corpus snapshot: {FixtureCorpus.Name}, act source SHA-256 {citation.Snapshot!.ContentHash}", text);
            Assert.Contains($"Provision {citation.ProvisionId}", text);
        }
        Assert.Equal("Answer: " + exchange.Question, document.PackageProperties.Title);
    }

    [Fact]
    public async Task A_whole_conversation_exports_as_markdown_with_the_same_facts()
    {
        var (conversation, corpus) = await RecordedAsync();
        using var _ = corpus;
        var exchange = conversation.Exchanges[0];
        var markdown = MarkdownExport.Write(conversation, null, ExportedAt);

        Assert.StartsWith($"# Conversation: {conversation.Title}\n", markdown);
        Assert.Contains("## Question 1\n", markdown);
        Assert.Contains("\n### Answer\n", markdown);
        Assert.Contains("\n### Sources\n", markdown);
        Assert.Contains("law as of 2026-01-01", markdown);
        foreach (var citation in exchange.Citations)
        {
            Assert.Contains($"**[{citation.Number}] {MarkdownExport.Inline(citation.Citation)}**", markdown);
            Assert.Contains("> " + MarkdownExport.Inline(citation.Quote.Trim()), markdown);
            Assert.Contains(citation.Snapshot!.ContentHash, markdown);
        }
    }

    [Fact]
    public void Markdown_escapes_markup_in_user_text()
    {
        Assert.Equal("\\# not a heading \\*bold\\* \\<img\\>", MarkdownExport.Inline("# not a heading *bold* <img>"));
        Assert.Equal("[BGB § 573]", MarkdownExport.Inline("[BGB § 573]"));
    }

    [Fact]
    public void Exporting_an_answer_the_conversation_lacks_names_it()
    {
        var conversation = new Conversation("c1", "alice", "t", AskedAt, AskedAt, []);
        var error = Assert.Throws<ArgumentException>(() => CaseFileExport.Blocks(conversation, 3, ExportedAt));
        Assert.Contains("conversation c1 has no exchange 3", error.Message);
    }
}
