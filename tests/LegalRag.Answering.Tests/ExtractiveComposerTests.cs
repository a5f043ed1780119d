using LegalRag.Answering;
using LegalRag.Answering.Extractive;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Core.Citations;
using LegalRag.Answering.Languages;
using LegalRag.Core.Languages;
using LegalRag.Answering.Verification;
using Xunit;

namespace LegalRag.Answering.Tests;

/// <summary>The composer alone, on hand-made sources: what it quotes and what it lists under "see also".</summary>
public sealed class ExtractiveComposerTests
{
    private static AnswerSource Source(int number, string corpus, string language, string act, string citation, string heading, string text, double score) =>
        new(number, new StoredProvision($"{corpus}/{act}/{number}", corpus, language, act, act, "x.md", new Provision
        {
            Key = $"{corpus}/{act}/{number}",
            Kind = ProvisionKind.Section,
            Number = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Heading = heading,
            Citation = citation,
            Paragraphs = [new ProvisionParagraph("1", text)],
        }), score, citation, null);

    /// <summary>A provision of several paragraphs ("(1) …", "(2) …"), cited as the legal order cites it.</summary>
    private static AnswerSource Statute(int number, string language, string act, ProvisionKind kind, string provisionNumber, string heading, params string[] paragraphs)
    {
        var key = $"{language}/{act}/{provisionNumber}";
        var labelled = paragraphs.Select((t, i) => new ProvisionParagraph(paragraphs.Length > 1 ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            paragraphs.Length > 1 && language == "de" ? $"({i + 1}) {t}" : t)).ToList();
        return new(number, new StoredProvision(key, language, language, act, act, "x.md", new Provision
        {
            Key = key,
            Kind = kind,
            Number = provisionNumber,
            Heading = heading,
            Citation = CitationFormatter.Format(language, act, kind, provisionNumber),
            Paragraphs = labelled,
        }), 10.0 / number, "", null);
    }

    private static readonly AnswerSource Bgb622 = Statute(1, "de", "BGB", ProvisionKind.Section, "622", "Kündigungsfristen bei Arbeitsverhältnissen",
        "Das Arbeitsverhältnis eines Arbeiters oder eines Angestellten (Arbeitnehmers) kann mit einer Frist von vier Wochen zum Fünfzehnten oder zum Ende eines Kalendermonats gekündigt werden.",
        "Für eine Kündigung durch den Arbeitgeber beträgt die Kündigungsfrist, wenn das Arbeitsverhältnis in dem Betrieb oder Unternehmen\n1. zwei Jahre bestanden hat, einen Monat zum Ende eines Kalendermonats,\n2. fünf Jahre bestanden hat, zwei Monate zum Ende eines Kalendermonats,\n3. acht Jahre bestanden hat, drei Monate zum Ende eines Kalendermonats,\n4. zehn Jahre bestanden hat, vier Monate zum Ende eines Kalendermonats.",
        "Während einer vereinbarten Probezeit, längstens für die Dauer von sechs Monaten, kann das Arbeitsverhältnis mit einer Frist von zwei Wochen gekündigt werden.",
        "Von den Absätzen 1 bis 3 abweichende Regelungen können durch Tarifvertrag vereinbart werden. Im Geltungsbereich eines solchen Tarifvertrags gelten die abweichenden tarifvertraglichen Bestimmungen zwischen nicht tarifgebundenen Arbeitgebern und Arbeitnehmern, wenn ihre Anwendung zwischen ihnen vereinbart ist.");

    private static ComposedAnswer One(string question, string language, params AnswerSource[] sources) =>
        new ExtractiveComposer(new ExtractiveOptions { MinSentences = 1, MaxSentences = 1, SeeAlso = 0 }).Compose(question, language, sources);

    [Theory]
    [InlineData("Wie lange ist die Kündigungsfrist des Arbeitgebers, wenn das Arbeitsverhältnis zehn Jahre bestanden hat?", "BGB § 622 Abs. 2 Nr. 4", "4. zehn Jahre bestanden hat, vier Monate zum Ende eines Kalendermonats.")]
    [InlineData("Welche Frist gilt für die Kündigung in der Probezeit?", "BGB § 622 Abs. 3", "mit einer Frist von zwei Wochen gekündigt werden")]
    [InlineData("Kann ein Tarifvertrag andere Kündigungsfristen vorsehen?", "BGB § 622 Abs. 4 Satz 1", "durch Tarifvertrag vereinbart werden")]
    public void German_answers_quote_the_deciding_sentence_or_item_and_cite_it_at_that_depth(string question, string pinpoint, string quoted)
    {
        var answer = One(question, "de", Bgb622);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal(pinpoint, citation.Citation);
        Assert.Contains(quoted, citation.Quote, StringComparison.Ordinal);
        Assert.Equal("de/BGB/622", citation.ProvisionId);
        Assert.Contains($"[{pinpoint}]", answer.Text, StringComparison.Ordinal);
        Assert.True(CitationVerifier.ContainsVerbatim(Bgb622.Provision.Provision.Text, citation.Quote));
    }

    [Fact]
    public void A_quoted_item_is_shown_under_its_introduction()
    {
        var answer = One("Wie lange ist die Kündigungsfrist des Arbeitgebers nach fünf Jahren?", "de", Bgb622);
        Assert.Contains("„Für eine Kündigung durch den Arbeitgeber beträgt die Kündigungsfrist, wenn das Arbeitsverhältnis in dem Betrieb oder Unternehmen … 2. fünf Jahre bestanden hat", answer.Text, StringComparison.Ordinal);
        Assert.Equal("BGB § 622 Abs. 2 Nr. 2", answer.Citations[0].Citation);
    }

    [Fact]
    public void A_question_for_a_period_prefers_the_sentence_that_states_one()
    {
        var source = Statute(1, "de", "BGB", ProvisionKind.Section, "551", "Begrenzung und Anlage von Mietsicherheiten",
            "Der Vermieter hat über die Kaution abzurechnen, sobald das Mietverhältnis beendet ist. Die Kaution ist binnen drei Monaten abzurechnen.");
        const string question = "Wie lange hat der Vermieter Zeit, die Kaution abzurechnen?";
        Assert.Equal(QuestionKind.Duration, Assert.Single(One(question, "de", source).Asked));
        Assert.Contains("binnen drei Monaten", One(question, "de", source).Citations[0].Quote, StringComparison.Ordinal);
        Assert.Equal("BGB § 551 Satz 2", One(question, "de", source).Citations[0].Citation);
        // Without the cue the other sentence would win on its words: the cue decides here.
        var noCue = new ExtractiveComposer(new ExtractiveOptions { MinSentences = 1, MaxSentences = 1, SeeAlso = 0, SpecificCueBonus = 0 }).Compose(question, "de", [source]);
        Assert.DoesNotContain("binnen drei Monaten", noCue.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public void French_answers_cite_the_alinea_and_the_numbered_item()
    {
        var art1728 = Statute(1, "fr", "Code civil", ProvisionKind.Article, "1728", "",
            "Le preneur est tenu de deux obligations principales :\n1° D'user de la chose louée raisonnablement, et suivant la destination qui lui a été donnée par le bail ;\n2° De payer le prix du bail aux termes convenus.");
        var answer = One("Le locataire doit-il payer le prix du bail ?", "fr", art1728);
        Assert.Equal("Code civil, art. 1728, 2°", answer.Citations[0].Citation);
        Assert.StartsWith("2° De payer le prix du bail", answer.Citations[0].Quote, StringComparison.Ordinal);

        var deposit = Statute(1, "fr", "Code civil", ProvisionKind.Article, "22", "",
            "Le bailleur doit restituer le dépôt de garantie au locataire à la fin du bail.",
            "Le dépôt de garantie est restitué dans un délai maximal de deux mois à compter de la remise des clés.");
        var delay = One("Dans quel délai le dépôt de garantie doit-il être restitué ?", "fr", deposit);
        Assert.Equal("Code civil, art. 22, al. 2", delay.Citations[0].Citation);
        Assert.Contains("deux mois", delay.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public void Dutch_answers_cite_the_lid_and_the_lettered_item()
    {
        var art = Statute(1, "nl", "BW", ProvisionKind.Article, "7:271", "",
            "De huurovereenkomst kan door de huurder worden opgezegd. De opzegtermijn voor de verhuurder bedraagt ten minste drie maanden.",
            "De verhuurder kan de huurovereenkomst slechts opzeggen indien:\na. de huurder zich niet heeft gedragen als een goed huurder;\nb. de verhuurder het verhuurde dringend nodig heeft voor eigen gebruik.");
        var term = One("Hoe lang is de opzegtermijn voor de verhuurder?", "nl", art);
        Assert.Equal("art. 7:271 lid 1 BW", term.Citations[0].Citation);
        Assert.Contains("drie maanden", term.Citations[0].Quote, StringComparison.Ordinal);
        var own = One("Mag de verhuurder opzeggen omdat hij de woning dringend nodig heeft voor eigen gebruik?", "nl", art);
        Assert.Equal("art. 7:271 lid 2 onder b BW", own.Citations[0].Citation);
    }

    [Fact]
    public void The_lead_names_the_deciding_provision_only_when_it_is_clearly_ahead()
    {
        var clear = One("Welche Frist gilt für die Kündigung in der Probezeit?", "de", Bgb622,
            Statute(2, "de", "BGB", ProvisionKind.Section, "620", "Beendigung des Dienstverhältnisses", "Das Dienstverhältnis endigt mit dem Ablauf der Zeit, für die es eingegangen ist."));
        Assert.True(clear.Decisive);
        Assert.StartsWith("Maßgeblich ist BGB § 622", clear.Lines[0], StringComparison.Ordinal);

        var a = Statute(1, "de", "BGB", ProvisionKind.Section, "1", "Erstens", "Der Nachbar muss den Schaden am Zaun ersetzen.");
        var b = Statute(2, "de", "BGB", ProvisionKind.Section, "2", "Zweitens", "Der Nachbar hat den Schaden am Zaun zu ersetzen.");
        var close = new ExtractiveComposer().Compose("Muss der Nachbar den Schaden am Zaun ersetzen?", "de", [a, b]);
        Assert.False(close.Decisive);
        Assert.StartsWith("In Betracht komm", close.Lines[0], StringComparison.Ordinal);
        var french = new ExtractiveComposer().Compose("Muss der Nachbar den Schaden am Zaun ersetzen?", "fr", [a, b]);
        Assert.StartsWith("Disposition", french.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sentence_scorer_lifts_the_sentence_that_says_what_was_asked_in_other_words()
    {
        var source = Statute(1, "de", "BGB", ProvisionKind.Section, "9", "Beispiel",
            "Der Mieter muss die Miete pünktlich zahlen.", "Bei Zahlungsverzug über zwei Termine kann fristlos gekündigt werden.");
        const string question = "Was passiert, wenn der Mieter die Miete nicht zahlt?";
        var plain = One(question, "de", source);
        Assert.Equal("BGB § 9 Abs. 1", plain.Citations[0].Citation);
        var scorer = new FakeSentenceScorer(s => s.Contains("Zahlungsverzug", StringComparison.Ordinal) ? 1 : 0);
        var dense = await new ExtractiveComposer(new ExtractiveOptions { MinSentences = 1, MaxSentences = 1, SeeAlso = 0, DenseWeight = 3 }, scorer)
            .ComposeAsync(question, "de", [source], TestContext.Current.CancellationToken);
        Assert.Equal("BGB § 9 Abs. 2", dense.Citations[0].Citation);
        Assert.Equal(question, scorer.LastQuestion);
    }

    [Fact]
    public async Task A_sentence_scorer_trained_on_another_language_is_not_consulted()
    {
        var source = Statute(1, "de", "BGB", ProvisionKind.Section, "9", "Beispiel",
            "Der Mieter muss die Miete pünktlich zahlen.", "Bei Zahlungsverzug über zwei Termine kann fristlos gekündigt werden.");
        const string question = "Was passiert, wenn der Mieter die Miete nicht zahlt?";
        var scorer = new FakeSentenceScorer(s => s.Contains("Zahlungsverzug", StringComparison.Ordinal) ? 1 : 0, language: "fr");
        var answer = await new ExtractiveComposer(new ExtractiveOptions { MinSentences = 1, MaxSentences = 1, SeeAlso = 0, DenseWeight = 3 }, scorer)
            .ComposeAsync(question, "de", [source], TestContext.Current.CancellationToken);

        Assert.Equal("BGB § 9 Abs. 1", answer.Citations[0].Citation);
        Assert.Null(scorer.LastQuestion);
    }

    private sealed class FakeSentenceScorer(Func<string, double> similarity, string language = "de") : ISentenceScorer
    {
        public string? LastQuestion { get; private set; }

        public bool Supports(string answerLanguage) => answerLanguage == language;

        public Task<IReadOnlyList<double>> ScoreAsync(string question, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
        {
            LastQuestion = question;
            return Task.FromResult<IReadOnlyList<double>>(sentences.Select(similarity).ToList());
        }
    }

    [Fact]
    public void A_german_question_is_not_answered_from_a_french_article_that_shares_a_word()
    {
        var sources = new[]
        {
            Source(1, "de", "de", "BGB", "BGB § 2247", "Eigenhändiges Testament", "Der Erblasser kann ein Testament durch eine eigenhändig geschriebene und unterschriebene Erklärung errichten.", 10),
            Source(2, "fr", "fr", "Code civil", "Code civil, art. 970", "", "Le testament olographe ne sera point valable s'il n'est écrit en entier, daté et signé de la main du testateur.", 9),
        };
        var answer = new ExtractiveComposer().Compose("Kann ich mein Testament eigenhändig schreiben?", "de", sources);
        Assert.Contains(answer.Citations, c => c.ProvisionId == "de/BGB/1");
        Assert.DoesNotContain(answer.Citations, c => c.ProvisionId.StartsWith("fr/", StringComparison.Ordinal));
    }

    [Fact]
    public void See_also_lists_only_provisions_nearly_as_relevant_as_the_quoted_ones()
    {
        var sources = new[]
        {
            Source(1, "de", "de", "BGB", "BGB § 573", "Ordentliche Kündigung des Vermieters", "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse an der Beendigung des Mietverhältnisses hat, etwa Eigenbedarf.", 10),
            Source(2, "de", "de", "BGB", "BGB § 999", "Sonstiges", "Eine Frist zum Kündigen beginnt mit dem Tag.", 2),
        };
        var answer = new ExtractiveComposer(new ExtractiveOptions { MinSentences = 1, MaxSentences = 1 }).Compose("Darf mein Vermieter wegen Eigenbedarf kündigen?", "de", sources);
        Assert.DoesNotContain(answer.Citations, c => c.ProvisionId == "de/BGB/2");
        Assert.DoesNotContain(answer.Lines, l => l.StartsWith("Siehe auch", StringComparison.Ordinal));
    }
}
