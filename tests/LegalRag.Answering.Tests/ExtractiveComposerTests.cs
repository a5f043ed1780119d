using LegalRag.Answering;
using LegalRag.Answering.Extractive;
using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
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
