using LegalRag.Core.Domain;
using LegalRag.Ingestion.Chunking;
using LegalRag.Retrieval.Search;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;

namespace LegalRag.Answering.Tests.Support;

/// <summary>
/// A French act whose article 910 has two versions, the first in force until 19 May 2011 and the second from then on,
/// beside an article that never changed; stored with the validity dates set by hand (what the ingestion of a versioned
/// corpus will write) in a real SQLite store. Texts written for the test, in the Code civil's style.
/// </summary>
public sealed class VersionedCorpus : IDisposable
{
    public const string Name = "cc-versions";
    public const string OldKey = Name + "/cc/art910@1804";
    public const string NewKey = Name + "/cc/art910@2011";
    public const string StableKey = Name + "/cc/art911";
    public static readonly DateOnly Changed = new(2011, 5, 19);
    public static readonly DateOnly Today = new(2026, 12, 1);

    private VersionedCorpus(TempDirectory dir, SqliteLegalStore store)
    {
        Directory = dir;
        Store = store;
        Search = new SearchService(store, store, signalsSource: store, references: store, clock: new FixedClock(Today));
    }

    public TempDirectory Directory { get; }
    public SqliteLegalStore Store { get; }
    public SearchService Search { get; }

    public AnswerService Answers(Microsoft.Extensions.AI.IChatClient? chat = null) => new(Search, Store, chat: chat); // today comes from Search's fixed clock

    public static async Task<VersionedCorpus> CreateAsync(CancellationToken cancellationToken)
    {
        var dir = new TempDirectory("asof");
        var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = Path.Combine(dir.Path, "data") }, cancellationToken);
        await store.EnsureCorpusAsync(new CorpusInfo(Name, "fr"), cancellationToken);
        var document = new LegalDocument
        {
            SourcePath = "code-civil.md", ContentHash = "test-versions", Language = "fr", Title = "Code civil", Format = "markdown",
            Provisions =
            [
                Article(OldKey, "910", 1, new DateOnly(1804, 3, 13), Changed,
                    "Les libéralités faites au profit des hospices, des pauvres d'une commune ou des établissements d'utilité publique n'ont d'effet qu'autant qu'elles sont autorisées par un décret."),
                Article(NewKey, "910", 2, Changed, null,
                    "Les libéralités faites au profit des établissements de santé et des établissements sociaux sont acceptées librement par ceux-ci, sans autorisation préalable."),
                Article(StableKey, "911", 3, null, null,
                    "Toute libéralité au profit d'une personne physique frappée d'une incapacité de recevoir est nulle."),
            ],
        };
        var chunks = new StructureChunker(new ChunkingOptions()).Chunk(document);
        await store.UpsertDocumentAsync(Name, document, chunks, cancellationToken);
        return new VersionedCorpus(dir, store);
    }

    private static Provision Article(string key, string number, int ordinal, DateOnly? from, DateOnly? to, string text) => new()
    {
        Key = key, Kind = ProvisionKind.Article, Number = number, Citation = $"Code civil, art. {number}", Ordinal = ordinal,
        Path = ["Livre III", "Titre II"], Paragraphs = [new ProvisionParagraph(null, text)], ValidFrom = from, ValidTo = to,
    };

    public void Dispose()
    {
        Store.Dispose();
        Directory.Dispose();
    }
}

/// <summary>A clock stopped at one day: "today" in a test does not move.</summary>
public sealed class FixedClock(DateOnly day) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
}
