using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Text;

namespace LegalRag.Storage.Tests.Conformance;

/// <summary>
/// Small, readable documents for the storage conformance suite, built as plain domain objects (no parser):
/// a few sections of the BGB and the StGB, and one article of the French Code civil. One chunk per paragraph.
/// </summary>
public static class ConformanceData
{
    public sealed record Ingestible(LegalDocument Document, IReadOnlyList<Chunk> Chunks);

    /// <summary>BGB §§ 535, 573, 1922. Version 2 rewords § 573 (2) and drops § 1922.</summary>
    public static Ingestible Bgb(string corpus, int version = 1)
    {
        var sections = new List<(string Number, string Heading, string[] Paragraphs)>
        {
            ("535", "Inhalt und Hauptpflichten des Mietvertrags",
            [
                "Durch den Mietvertrag wird der Vermieter verpflichtet, dem Mieter den Gebrauch der Mietsache während der Mietzeit zu gewähren.",
                "Der Mieter ist verpflichtet, dem Vermieter die vereinbarte Miete zu entrichten.",
            ]),
            ("573", "Ordentliche Kündigung des Vermieters",
            [
                "Der Vermieter kann nur kündigen, wenn er ein berechtigtes Interesse an der Beendigung des Mietverhältnisses hat.",
                version == 1
                    ? "Ein berechtigtes Interesse liegt insbesondere vor, wenn der Vermieter die Räume als Wohnung für sich oder seine Familienangehörigen benötigt."
                    : "Ein berechtigtes Interesse liegt vor allem dann vor, wenn der Vermieter die Räume als Wohnung für sich, seine Familienangehörigen oder Angehörige seines Haushalts benötigt.",
            ]),
        };
        if (version == 1)
            sections.Add(("1922", "Gesamtrechtsnachfolge",
            [
                "Mit dem Tode einer Person (Erbfall) geht deren Vermögen (Erbschaft) als Ganzes auf eine oder mehrere andere Personen (Erben) über.",
            ]));
        return Build(corpus, "b/bgb/index.md", "de", "Bürgerliches Gesetzbuch", "BGB", ["Buch 2", "Abschnitt 8", "Titel 5"], sections);
    }

    /// <summary>StGB § 242, to test filtering by act.</summary>
    public static Ingestible Stgb(string corpus) =>
        Build(corpus, "s/stgb/index.md", "de", "Strafgesetzbuch", "StGB", ["Besonderer Teil", "Neunzehnter Abschnitt"],
        [
            ("242", "Diebstahl",
            [
                "Wer eine fremde bewegliche Sache einem anderen in der Absicht wegnimmt, die Sache sich oder einem Dritten rechtswidrig zuzueignen, wird mit Freiheitsstrafe bis zu fünf Jahren oder mit Geldstrafe bestraft.",
                "Der Versuch ist strafbar.",
            ]),
        ]);

    /// <summary>Code civil, art. 1240 (one file per article, as the French corpus is laid out).</summary>
    public static Ingestible CodeCivil1240(string corpus) =>
        Build(corpus, "Livre III/Titre III/Article 1240.md", "fr", "Code civil", null, ["Livre III", "Titre III"],
        [
            ("1240", "",
            [
                "Tout fait quelconque de l'homme, qui cause à autrui un dommage, oblige celui par la faute duquel il est arrivé à le réparer.",
            ]),
        ], ProvisionKind.Article);

    /// <summary>
    /// Code civil, art. 229 in three versions (1804, 1975, 2005-01-01 to today), and art. 230 repealed in 1900 and
    /// re-enacted in 1950: one document, each version its own provision keyed by its start, one chunk each. Every
    /// version says "divorce", so only the dates tell them apart.
    /// </summary>
    public static Ingestible VersionedCodeCivil(string corpus) => CodeCivilVersions(corpus,
    [
        ("229", new(1804, 3, 21), new(1975, 7, 11), "Le mari pourra demander le divorce pour cause d'adultère de sa femme.", "Créé par Loi 1803-03-21"),
        ("229", new(1975, 7, 11), new(2005, 1, 1), "Le divorce peut être prononcé en cas soit de consentement mutuel, soit de rupture de la vie commune, soit de faute.", "Modifié par Loi n°75-617 du 11 juillet 1975"),
        ("229", new(2005, 1, 1), null, "Le divorce peut être prononcé en cas soit de consentement mutuel, soit d'acceptation du principe de la rupture du mariage, soit d'altération définitive du lien conjugal, soit de faute.", "Modifié par Loi n°2004-439 du 26 mai 2004"),
        ("230", new(1804, 3, 21), new(1900, 1, 1), "La femme pourra demander le divorce pour cause d'adultère de son mari.", "Créé par Loi 1803-03-21"),
        ("230", new(1950, 6, 1), null, "Le divorce par consentement mutuel est prononcé par le juge.", "Modifié par Loi 1950-06-01"),
    ]);

    /// <summary>
    /// One article with <paramref name="superseded"/> yearly versions from 1700 whose short, repetitive wording ranks
    /// above the longer wording in force since 1700 + <paramref name="superseded"/>: an as-of search must look past all of
    /// them (more than one round of over-fetching) to find the one in force.
    /// </summary>
    public static Ingestible ManySupersededVersions(string corpus, int superseded) => CodeCivilVersions(corpus,
        Enumerable.Range(0, superseded)
            .Select(i => ("229", new DateOnly(1700 + i, 1, 1), (DateOnly?)new DateOnly(1701 + i, 1, 1), "Divorce, divorce, divorce.", (string?)null))
            .Append(("229", new DateOnly(1700 + superseded, 1, 1), null,
                "Le divorce est prononcé par le juge aux affaires familiales, qui vérifie que chacun des époux a consenti librement et en connaissance de cause.", null))
            .ToList());

    /// <summary>A versions file's document: one provision per version, keyed as the store keys versions, one chunk each.</summary>
    private static Ingestible CodeCivilVersions(string corpus, IReadOnlyList<(string Number, DateOnly From, DateOnly? To, string Text, string? ChangedBy)> versions)
    {
        var provisions = AssignKeysForTest(versions.Select((v, i) => new Provision
        {
            Key = $"{corpus}/code-civil/art{v.Number}",
            Kind = ProvisionKind.Article,
            Number = v.Number,
            Citation = CitationFormatter.Format("fr", "Code civil", ProvisionKind.Article, v.Number),
            Path = ["Livre Ier", "Titre VI"],
            Paragraphs = [new ProvisionParagraph(null, v.Text)],
            Ordinal = i,
            ValidFrom = v.From,
            ValidTo = v.To,
            ChangedBy = v.ChangedBy,
        }).ToList());
        var chunks = provisions.Select(p => new Chunk
        {
            ProvisionKey = p.Key, Ordinal = 0, Citation = p.Citation, Text = p.Text, ContentHash = Hashing.Sha256Hex(p.Text),
        }).ToList();
        var document = new LegalDocument
        {
            SourcePath = "versions.jsonl",
            ContentHash = Hashing.Sha256Hex(string.Join("\n", provisions.Select(p => p.Key + p.Text))),
            Language = "fr",
            Title = "Code civil",
            Format = "versions-jsonl",
            Provisions = provisions,
        };
        return new Ingestible(document, chunks);
    }

    private static IReadOnlyList<Provision> AssignKeysForTest(IReadOnlyList<Provision> provisions) =>
        LegalRag.Core.Versions.ProvisionVersions.AssignKeys(provisions);

    /// <summary>When <see cref="Official"/> was read from its (made-up) publisher.</summary>
    public static readonly DateTimeOffset OfficialRetrievedAt = new(2026, 11, 30, 8, 15, 0, TimeSpan.Zero);

    /// <summary>
    /// An act as an official-format parser delivers it: a publisher identifier, an official alias ("ArbGerG") that
    /// nothing in the title or key derives, version dates, and a section with its own identifier, dates, a note and a
    /// table; provenance as the pipeline records it.
    /// </summary>
    public static Ingestible Official(string corpus)
    {
        var item = Build(corpus, "a/BJNR002670953.xml", "de", "Arbeitsgerichtsgesetz", "ArbGG", ["Erster Teil"],
        [
            ("1", "Gerichte für Arbeitssachen",
            [
                "Die Gerichtsbarkeit in Arbeitssachen wird ausgeübt durch die Arbeitsgerichte.",
                "Gebühren:\n| Stufe | Betrag |\n| --- | --- |\n| 1 | 10 Euro |\n| 2 | 20 Euro |",
            ]),
        ]);
        var section = item.Document.Provisions[0];
        var provision = new Provision
        {
            Key = section.Key, Kind = section.Kind, Number = section.Number, Heading = section.Heading, Citation = section.Citation,
            Path = section.Path, Paragraphs = section.Paragraphs, Ordinal = section.Ordinal,
            Identifier = "BJNR002670953BJNE000204377",
            ValidFrom = new DateOnly(2023, 1, 1),
            ValidTo = new DateOnly(2030, 12, 31),
            Notes = ["Fußnote: § 1 Abs. 2 idF d. Art. 1 G v. 1.12.2022 I 2000 mWv 1.1.2023"],
        };
        var document = new LegalDocument
        {
            SourcePath = item.Document.SourcePath, ContentHash = item.Document.ContentHash, Language = "de",
            Title = item.Document.Title, Abbreviation = item.Document.Abbreviation, Format = "gii-xml",
            Identifier = "BJNR002670953",
            Aliases = ["ArbGerG"],
            ValidFrom = new DateOnly(1953, 9, 3),
            Provisions = [provision],
            Provenance = new Provenance("https://www.gesetze-im-internet.de/arbgg/xml.zip", "Bundesministerium der Justiz", OfficialRetrievedAt, item.Document.ContentHash),
        };
        return new Ingestible(document, item.Chunks);
    }

    private static Ingestible Build(string corpus, string sourcePath, string language, string title, string? abbreviation,
        string[] path, IEnumerable<(string Number, string Heading, string[] Paragraphs)> sections, ProvisionKind kind = ProvisionKind.Section)
    {
        var act = abbreviation ?? title;
        var provisions = new List<Provision>();
        var chunks = new List<Chunk>();
        var ordinal = 0;
        foreach (var (number, heading, paragraphs) in sections)
        {
            var key = $"{corpus}/{act.ToLowerInvariant().Replace(' ', '-')}/{(kind == ProvisionKind.Section ? "§" : "art")}{number}";
            var numbered = paragraphs.Length > 1;
            var provision = new Provision
            {
                Key = key,
                Kind = kind,
                Number = number,
                Heading = heading,
                Citation = CitationFormatter.Format(language, act, kind, number),
                Path = path,
                Paragraphs = paragraphs.Select((text, i) => new ProvisionParagraph(numbered ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null, text)).ToList(),
                Ordinal = ordinal++,
            };
            provisions.Add(provision);
            for (var i = 0; i < paragraphs.Length; i++)
            {
                var label = numbered ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                chunks.Add(new Chunk
                {
                    ProvisionKey = key,
                    Ordinal = i,
                    Citation = CitationFormatter.Format(language, act, kind, number, label),
                    Text = paragraphs[i],
                    Heading = heading,
                    ContentHash = Hashing.Sha256Hex(paragraphs[i]),
                });
            }
        }
        var document = new LegalDocument
        {
            SourcePath = sourcePath,
            ContentHash = Hashing.Sha256Hex(string.Join("\n", provisions.Select(p => p.Citation + "\n" + p.Text))),
            Language = language,
            Title = title,
            Abbreviation = abbreviation,
            Format = "markdown",
            Provisions = provisions,
        };
        return new Ingestible(document, chunks);
    }
}

/// <summary>
/// A deterministic stand-in for an embedding model: hashed bag of analysed terms, L2-normalised. Texts sharing
/// terms are near each other, which is all the conformance suite needs to tell whether dense search works.
/// </summary>
public static class TestEmbedder
{
    public const int Dimension = 64;

    public static ReadOnlyMemory<float> Embed(string language, string text)
    {
        var vector = new float[Dimension];
        foreach (var term in new TextAnalyzer(language).Analyze(text))
        {
            var h = Fnv1a(term);
            vector[h % Dimension] += (h & 0x8000_0000) == 0 ? 1f : -1f;
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm == 0) vector[0] = 1f; // a text of stopwords only still gets a valid unit vector
        else for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
        return vector;
    }

    public static IReadOnlyList<ReadOnlyMemory<float>> EmbedChunks(string language, IEnumerable<Chunk> chunks) =>
        chunks.Select(c => Embed(language, c.Heading + " " + c.Text)).ToList();

    private static uint Fnv1a(string s)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(s)) { hash ^= b; hash *= 16777619u; }
        return hash;
    }
}
