using LegalRag.Answering.Tests.Support;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;

namespace LegalRag.Server.Tests.Support;

/// <summary>
/// A French act stored beside the fixture corpus (prepare it through <see cref="ServerHost.StartAsync"/>): article 910
/// with three versions (1804, 2006, 2011; the last in force), an article with one, keyed the way the versions ingestion
/// keys them. Texts written for the tests in the Code civil's style; the 2006 change is one phrase, so a diff is short.
/// </summary>
public static class VersionedProvisions
{
    public const string Corpus = "cc-versions";
    public const string BaseKey = Corpus + "/code-civil/a910";
    public const string FirstKey = BaseKey + "@1804-03-13";
    public const string SecondKey = BaseKey + "@2006-07-01";
    public const string CurrentKey = BaseKey + "@2011-05-19";
    public const string StableKey = Corpus + "/code-civil/a911";
    public const string FirstAct = "Créé par Loi 1803-04-26";
    public const string SecondAct = "Modifié par Loi n°2006-728";
    public const string CurrentAct = "Modifié par Loi n°2011-525";

    public static async Task AddAsync(FixtureCorpus fixture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        await fixture.Store.EnsureCorpusAsync(new CorpusInfo(Corpus, "fr"), cancellationToken);
        const string Before = "Les dispositions entre vifs ou par testament au profit des hospices, des pauvres d'une commune ou d'établissements d'utilité publique n'auront leur effet qu'autant qu'elles seront autorisées par ";
        var document = new LegalDocument
        {
            SourcePath = "code-civil/versions.jsonl", ContentHash = "server-versions", Language = "fr", Title = "Code civil", Format = "versions-jsonl",
            Provisions =
            [
                Article(FirstKey, "910", 1, new DateOnly(1804, 3, 13), new DateOnly(2006, 7, 1), FirstAct, Before + "une ordonnance royale."),
                Article(SecondKey, "910", 2, new DateOnly(2006, 7, 1), new DateOnly(2011, 5, 19), SecondAct, Before + "un décret."),
                Article(CurrentKey, "910", 3, new DateOnly(2011, 5, 19), null, CurrentAct,
                    "Les libéralités faites au profit des établissements de santé et des établissements sociaux sont acceptées librement par ceux-ci, sans autorisation préalable."),
                Article(StableKey, "911", 4, new DateOnly(1804, 3, 13), null, FirstAct,
                    "Toute libéralité au profit d'une personne frappée d'une incapacité de recevoir est nulle."),
            ],
        };
        var chunks = new StructureChunker(new ChunkingOptions()).Chunk(document);
        await fixture.Store.UpsertDocumentAsync(Corpus, document, chunks, null, cancellationToken);
    }

    private static Provision Article(string key, string number, int ordinal, DateOnly from, DateOnly? to, string changedBy, string text) => new()
    {
        Key = key, Kind = ProvisionKind.Article, Number = number, Citation = $"Code civil, art. {number}", Ordinal = ordinal,
        Path = ["Livre III", "Titre II"], Paragraphs = [new ProvisionParagraph(null, text)], ValidFrom = from, ValidTo = to, ChangedBy = changedBy,
    };
}
