using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using LegalRag.Answering.History;
using LegalRag.Answering.Tests.Support;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Languages;
using LegalRag.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;
using WordLanguage = DocumentFormat.OpenXml.Wordprocessing.Languages;

namespace LegalRag.Answering.Tests;

/// <summary>An answer recorded with its citations' snapshots, then exported for the case file as DOCX (read back with OpenXml) and Markdown.</summary>
public sealed class CaseFileExportTests
{
    private static readonly DateTimeOffset AskedAt = new(2026, 11, 30, 14, 5, 9, TimeSpan.Zero);
    private static readonly DateTimeOffset ExportedAt = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly ILegalLanguage English = LanguageRegistry.Default.ForAnswers("en");

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
        var bytes = DocxExport.Write(conversation, 1, ExportedAt, English);

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
        var markdown = MarkdownExport.Write(conversation, null, ExportedAt, English);

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

    /// <summary>The paragraphs of a DOCX export, after checking it opens and validates against the schema.</summary>
    private static List<(string? Style, string Text)> ValidParagraphs(WordprocessingDocument document)
    {
        var errors = new OpenXmlValidator().Validate(document, Ct).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return document.MainDocumentPart!.Document.Body!.Elements<Paragraph>()
            .Select(p => (Style: p.ParagraphProperties?.ParagraphStyleId?.Val?.Value, Text: string.Concat(p.Descendants<WordText>().Select(t => t.Text)))).ToList();
    }

    [Fact]
    public async Task Without_a_language_asked_the_labels_are_the_answers_language_German_here_and_the_docx_declares_it()
    {
        var (conversation, corpus) = await RecordedAsync();
        using var _ = corpus;
        var exchange = conversation.Exchanges[0];
        Assert.Equal("de", exchange.Language);
        var labels = CaseFileExport.LabelLanguage(conversation, 1, requested: null);
        Assert.Equal("de", labels.Code);

        using var stream = new MemoryStream(DocxExport.Write(conversation, 1, ExportedAt, labels));
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        var paragraphs = ValidParagraphs(document);
        var text = string.Join("\n", paragraphs.Select(p => p.Text));

        Assert.Equal("Antwort: " + exchange.Question, paragraphs[0].Text);
        Assert.Contains(paragraphs, p => p.Style == DocxExport.Heading2Style && p.Text == "Frage 1");
        Assert.Contains(paragraphs, p => p.Style == DocxExport.Heading3Style && p.Text == "Antwort");
        Assert.Contains(paragraphs, p => p.Style == DocxExport.Heading3Style && p.Text == "Quellen");
        Assert.Contains("Gestellt 2026-11-30 14:05:09 UTC · Rechtsstand 2026-01-01 · Rechtssammlung fixture · Sprache Deutsch · Antwort ", text);
        Assert.Contains("aus LegalRag exportiert 2026-12-01 08:00:00 UTC", text);
        foreach (var citation in exchange.Citations)
        {
            Assert.Contains($"Vorschrift {citation.ProvisionId}", text);
            Assert.Contains($"Stand der Rechtssammlung: {FixtureCorpus.Name}, SHA-256 der Gesetzesquelle {citation.Snapshot!.ContentHash}", text);
        }
        foreach (var english in new[] { "Question 1", "Asked ", "law as of", "Provision ", "corpus snapshot", "Sources" })
            Assert.DoesNotContain(english, text);
        // The document's language is the labels': in the style defaults and in the core properties.
        var defaults = document.MainDocumentPart!.StyleDefinitionsPart!.Styles!.DocDefaults!.Descendants<WordLanguage>().Single();
        Assert.Equal("de", defaults.Val?.Value);
        Assert.Equal("de", document.PackageProperties.Language);
    }

    [Fact]
    public async Task French_labels_when_asked_for_with_the_German_question_and_answer_marked_German_and_the_docx_still_valid()
    {
        var (conversation, corpus) = await RecordedAsync();
        using var _ = corpus;
        var exchange = conversation.Exchanges[0];
        var labels = CaseFileExport.LabelLanguage(conversation, null, requested: "fr-BE");
        Assert.Equal("fr", labels.Code);

        var markdown = MarkdownExport.Write(conversation, null, ExportedAt, labels);
        Assert.StartsWith($"# Conversation : {conversation.Title}\n", markdown);
        Assert.Contains("\n### Réponse\n", markdown);
        Assert.Contains("Posée le 2026-11-30 14:05:09 UTC · droit en vigueur au 2026-01-01 · corpus fixture · langue : allemand · réponse ", markdown);
        Assert.Contains("exportée de LegalRag le 2026-12-01 08:00:00 UTC", markdown);
        foreach (var citation in exchange.Citations)
            Assert.Contains($"état du corpus : {FixtureCorpus.Name}, SHA-256 de la source du texte {citation.Snapshot!.ContentHash}", markdown);
        // The question and answer stay as they were written.
        Assert.Contains(MarkdownExport.Inline(exchange.Question), markdown);

        using var stream = new MemoryStream(DocxExport.Write(conversation, null, ExportedAt, labels));
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        var paragraphs = ValidParagraphs(document);
        Assert.Contains(paragraphs, p => p.Style == DocxExport.Heading3Style && p.Text == "Réponse");
        Assert.Equal("fr", document.PackageProperties.Language);
        var question = document.MainDocumentPart!.Document.Body!.Elements<Paragraph>()
            .Single(p => p.ParagraphProperties is null && string.Concat(p.Descendants<WordText>().Select(t => t.Text)) == exchange.Question);
        Assert.Equal("de", question.Descendants<WordLanguage>().Single().Val?.Value);
    }

    [Fact]
    public void A_language_without_a_pack_gets_English_labels_whether_asked_for_or_the_answers()
    {
        var exchange = new RecordedExchange
        {
            Number = 1, AskedAt = AskedAt, Question = "¿Puede el arrendador rescindir?", Answer = "No.", Language = "es", Mode = "extractive", Refused = true,
        };
        var conversation = new Conversation("c1", "alice", "t", AskedAt, AskedAt, [exchange]);
        Assert.Equal("en", CaseFileExport.LabelLanguage(conversation, null, requested: null).Code);
        Assert.Equal("en", CaseFileExport.LabelLanguage(conversation, 1, requested: "pt-BR").Code);
        Assert.Equal("nl", CaseFileExport.LabelLanguage(conversation, 1, requested: "NL").Code);

        var markdown = MarkdownExport.Write(conversation, null, ExportedAt, CaseFileExport.LabelLanguage(conversation, null, requested: null));
        Assert.Contains("## Question 1\n", markdown);
        Assert.Contains("law in force when asked · corpus all readable · language es · answer extractive, no answer found", markdown);
        var dutch = MarkdownExport.Write(conversation, null, ExportedAt, LanguageRegistry.Default.ForAnswers("nl"));
        Assert.Contains("## Vraag 1\n", dutch);
        Assert.Contains("recht geldend op het moment van de vraag · verzameling alle leesbare · taal es · antwoord geciteerd uit de bepalingen, geen antwoord gevonden", dutch);
    }

    [Fact]
    public void Every_pack_labels_the_export_with_the_same_placeholders_as_English_and_names_every_mode()
    {
        static string Placeholders(string label) => string.Join(",", Regex.Matches(label, @"\{\d+\}").Select(m => m.Value).Order(StringComparer.Ordinal));
        var labels = typeof(ExportTexts).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)).ToList();
        Assert.True(labels.Count > 20);
        foreach (var pack in LanguageRegistry.Default.All)
        {
            Assert.Equal(pack.Code, pack.Export.Language);
            foreach (var label in labels)
            {
                var own = (string)label.GetValue(pack.Export)!;
                Assert.False(string.IsNullOrWhiteSpace(own) && label.Name != nameof(ExportTexts.Language), $"{pack.Code}: {label.Name} is empty");
                Assert.True(Placeholders(own) == Placeholders((string)label.GetValue(English.Export)!), $"{pack.Code}: {label.Name} '{own}' has other placeholders than English");
            }
            if (pack.Code != "en")
                Assert.Equal(["extractive", "extractive-fallback", "llm"], pack.Export.Modes.Keys.Order(StringComparer.Ordinal));
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
        var error = Assert.Throws<ArgumentException>(() => CaseFileExport.Blocks(conversation, 3, ExportedAt, English));
        Assert.Contains("conversation c1 has no exchange 3", error.Message);
    }
}
