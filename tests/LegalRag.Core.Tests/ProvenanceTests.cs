using LegalRag.Core.Domain;
using Xunit;

namespace LegalRag.Core.Tests;

public sealed class ProvenanceTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_corpus_summary_names_publishers_origins_and_the_span_of_retrieval()
    {
        var summary = CorpusProvenance.Summarize("de",
        [
            new Provenance("https://www.gesetze-im-internet.de/bgb/xml.zip", "BMJ", Monday, "a"),
            new Provenance("https://www.gesetze-im-internet.de/ao_1977/xml.zip", "BMJ", Monday.AddHours(2), "b"),
            new Provenance("/srv/law/de/gg/index.md", null, Monday.AddDays(-1), "c"),
            new Provenance("/srv/law/de/stgb/index.md", null, Monday.AddDays(-1), "d"),
            null,
        ]);

        Assert.Equal(("de", 5, 4), (summary.Corpus, summary.Documents, summary.WithProvenance));
        Assert.Equal(["BMJ"], summary.Publishers);
        Assert.Equal(["https://www.gesetze-im-internet.de", "/srv/law/de/"], summary.Origins);
        Assert.Equal((Monday.AddDays(-1), Monday.AddHours(2)), (summary.FirstRetrievedUtc, summary.LastRetrievedUtc));
    }

    [Fact]
    public void A_corpus_without_provenance_says_so()
    {
        var summary = CorpusProvenance.Summarize("old", [null, null]);
        Assert.Equal((2, 0, null), (summary.Documents, summary.WithProvenance, summary.FirstRetrievedUtc));
        Assert.Empty(summary.Origins);
    }
}
