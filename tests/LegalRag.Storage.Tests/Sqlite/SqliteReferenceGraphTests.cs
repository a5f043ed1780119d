using LegalRag.Core.Abstractions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.References;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>Act aliases in citation lookup, and the reference edges stored with their documents.</summary>
public sealed class SqliteReferenceGraphTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("refs");
    private SqliteLegalStore _store = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        await _store.EnsureCorpusAsync(new CorpusInfo("c", "de"), Ct);
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static LegalDocument Act(string title, string abbreviation, string path, params (string Number, string Text)[] sections)
    {
        var slug = CitationReference.NormalizeAct(abbreviation);
        var document = new LegalDocument
        {
            SourcePath = path, ContentHash = Hashing.Sha256Hex(path + string.Concat(sections.Select(s => s.Text))), Language = "de",
            Title = title, Abbreviation = abbreviation, Format = "markdown",
            Provisions = sections.Select((s, i) => new Provision
            {
                Key = $"c/{slug}/s{s.Number}", Kind = ProvisionKind.Section, Number = s.Number, Ordinal = i,
                Citation = CitationFormatter.Format("de", abbreviation, ProvisionKind.Section, s.Number),
                Paragraphs = [new ProvisionParagraph(null, s.Text)],
            }).ToList(),
        };
        return document.WithReferences(ReferenceExtractor.Extract(document));
    }

    private static readonly LegalDocument Ao = Act("Abgabenordnung", "AO 1977", "a/ao_1977/index.md",
        ("3", "Steuern sind Geldleistungen."), ("147", "Aufzubewahren sind Bücher nach § 3 und nach § 433 des Bürgerlichen Gesetzbuchs."));

    private static LegalDocument Bgb(string text = "Der Verkäufer schuldet; § 3 AO bleibt unberührt.") => Act("Bürgerliches Gesetzbuch", "BGB", "b/bgb/index.md",
        ("433", text), ("434", "Mangel im Sinne des § 433 Abs. 1."));

    private Task Put(LegalDocument d) => _store.UpsertDocumentAsync("c", d, [], Ct);

    private async Task<string> Find(string citation)
    {
        Assert.True(CitationParser.TryParse(citation, out var reference), citation);
        return string.Join(", ", (await _store.FindByCitationAsync(reference, null, Ct)).Select(p => p.Key));
    }

    [Fact]
    public async Task Citations_resolve_by_derived_aliases_and_exact_names_win()
    {
        await Put(Ao);
        await Put(Bgb());
        Assert.Equal("c/ao1977/s147", await Find("§ 147 AO"));
        Assert.Equal("c/ao1977/s147", await Find("AO 1977 § 147"));
        Assert.Equal("c/ao1977/s147", await Find("§ 147 Abgabenordnung"));
        Assert.Equal("c/bgb/s433", await Find("§ 433 Bürgerliches Gesetzbuch"));
        // An act whose canonical name is exactly "AO" beats the one that is "AO" only by its derived alias.
        await Put(Act("Anderes Gesetz", "AO", "x/ao/index.md", ("147", "Anderes.")));
        Assert.Equal("c/ao/s147", await Find("§ 147 AO"));
        Assert.Equal("", await Find("§ 147 XYZ"));
    }

    [Fact]
    public async Task Printed_citations_round_trip_through_the_store()
    {
        await Put(Ao);
        await Put(Bgb());
        foreach (var p in Ao.Provisions.Concat(Bgb().Provisions))
            Assert.Equal(p.Key, await Find(p.Citation));
    }

    [Fact]
    public async Task References_resolve_within_the_act_and_across_acts_in_any_ingest_order()
    {
        await Put(Bgb()); // cites "§ 3 AO" before the AO is stored
        await Put(Ao);
        var stats = await _store.ResolveReferencesAsync("c", Ct);
        Assert.Equal(new ReferenceStatistics("c", 4, 4), stats.Single());

        var s147 = await _store.GetReferencesAsync("c/ao1977/s147", Ct);
        Assert.Equal(["c/ao1977/s3", "c/bgb/s433"], s147.RefersTo.Select(r => r.ProvisionKey));
        Assert.Equal(["AO 1977 § 3", "BGB § 433"], s147.RefersTo.Select(r => r.Citation));
        var s3 = await _store.GetReferencesAsync("c/ao1977/s3", Ct);
        Assert.Equal(["c/ao1977/s147", "c/bgb/s433"], s3.ReferredToBy.Select(r => r.ProvisionKey).Order(StringComparer.Ordinal));

        var degrees = await _store.GetInDegreesAsync(["c/ao1977/s3", "c/bgb/s433", "c/bgb/s434", "c/none"], Ct);
        Assert.Equal(2, degrees["c/ao1977/s3"]);
        Assert.Equal(2, degrees["c/bgb/s433"]);
        Assert.Equal(0, degrees["c/bgb/s434"]);
        Assert.Equal(0, degrees["c/none"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_acts_sharing_an_alias_resolve_the_same_way_whatever_order_they_were_written_in(bool newerFirst)
    {
        // "ZuG 2007" and "ZuG 2012" are both cited as "ZuG": a tie that row order must not break (found by the crash test).
        var older = Act("Zuteilungsgesetz 2007", "ZuG 2007", "z/zug_2007/index.md", ("15", "Zuteilung 2007."));
        var newer = Act("Zuteilungsgesetz 2012", "ZuG 2012", "z/zug_2012/index.md", ("15", "Zuteilung 2012."));
        await Put(Act("Kostenverordnung", "KostV", "k/kostv/index.md", ("1", "Gebühren nach § 15 ZuG.")));
        foreach (var act in newerFirst ? new[] { newer, older } : [older, newer]) await Put(act);
        await _store.ResolveReferencesAsync("c", Ct);
        Assert.Equal(["c/zug2007/s15"], (await _store.GetReferencesAsync("c/kostv/s1", Ct)).RefersTo.Select(r => r.ProvisionKey));
    }

    [Fact]
    public async Task Replacing_a_document_replaces_its_edges_and_targets_are_found_again()
    {
        await Put(Ao);
        await Put(Bgb());
        await _store.ResolveReferencesAsync(null, Ct);
        // The new BGB no longer cites the AO; the AO's reference to § 433 BGB points at the replaced row.
        await Put(Bgb("Der Verkäufer schuldet."));
        Assert.Equal(1, (await _store.GetInDegreesAsync(["c/ao1977/s3"], Ct))["c/ao1977/s3"]); // only § 147 AO still cites § 3
        Assert.Empty((await _store.GetReferencesAsync("c/bgb/s433", Ct)).RefersTo);
        Assert.Equal(["c/bgb/s434"], (await _store.GetReferencesAsync("c/bgb/s433", Ct)).ReferredToBy.Select(r => r.ProvisionKey));
        var after = (await _store.ResolveReferencesAsync("c", Ct)).Single();
        Assert.Equal(new ReferenceStatistics("c", 3, 3), after);
        Assert.Equal(["c/ao1977/s147", "c/bgb/s434"], (await _store.GetReferencesAsync("c/bgb/s433", Ct)).ReferredToBy.Select(r => r.ProvisionKey));
        Assert.True(await _store.DeleteDocumentAsync("c", "b/bgb/index.md", Ct));
        Assert.Equal(new ReferenceStatistics("c", 2, 1), (await _store.ResolveReferencesAsync("c", Ct)).Single());
    }

    [Fact]
    public async Task A_version_1_store_is_migrated_aliases_derived_and_documents_marked_for_reparsing()
    {
        await Put(Ao);
        _store.Dispose();
        var path = new SqliteStoreOptions { DataDirectory = _dir.Path }.DatabasePath;
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DELETE FROM act_aliases; UPDATE meta SET value = '1' WHERE key = 'schema_version'";
            await cmd.ExecuteNonQueryAsync(Ct);
        }
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        Assert.Equal(1, _store.MigratedFromSchemaVersion);
        Assert.Equal("c/ao1977/s147", await Find("§ 147 AO"));
        Assert.NotEqual(Ao.ContentHash, await _store.GetDocumentHashAsync("c", Ao.SourcePath, Ct));
        Assert.Equal(UpsertOutcome.Replaced, await _store.UpsertDocumentAsync("c", Ao, [], Ct));
    }

    [Fact]
    public async Task A_version_2_store_is_migrated_keeping_its_documents_and_filling_what_it_knows_of_their_provenance()
    {
        await Put(Ao);
        _store.Dispose();
        var path = new SqliteStoreOptions { DataDirectory = _dir.Path }.DatabasePath;
        // Turn the store back into schema 2's shape: without the columns schema 3 added, with schema 2's tier numbers
        // (abbreviation 1, title 2; schema 3 put the official tier at 1).
        string[] added =
        [
            "documents.identifier", "documents.aliases", "documents.valid_from", "documents.valid_to", "documents.provenance_source",
            "documents.provenance_publisher", "documents.provenance_retrieved_at", "documents.provenance_hash",
            "provisions.identifier", "provisions.valid_from", "provisions.valid_to", "provisions.notes",
            // Schema 4's, which schema 2 lacked as well.
            "provisions.version_of", "provisions.changed_by",
        ];
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DROP INDEX provisions_version_of; DROP INDEX provisions_valid_from; DROP INDEX provisions_valid_to; " + string.Concat(added.Select(c => $"ALTER TABLE {c.Split('.')[0]} DROP COLUMN {c.Split('.')[1]}; "))
                              + "UPDATE act_aliases SET tier = tier - 1 WHERE tier >= 2; UPDATE meta SET value = '2' WHERE key = 'schema_version'";
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        Assert.Equal(2, _store.MigratedFromSchemaVersion);
        // Nothing is lost and nothing needs re-parsing: same hash, same provisions, the references still resolve.
        Assert.Equal(Ao.ContentHash, await _store.GetDocumentHashAsync("c", Ao.SourcePath, Ct));
        Assert.Equal(UpsertOutcome.Unchanged, await PutWithOutcome(Ao));
        var stored = await _store.GetProvisionAsync("c/ao1977/s147", Ct);
        Assert.NotNull(stored);
        Assert.Equal(Ao.Provisions[1].Paragraphs, stored.Provision.Paragraphs);
        Assert.Equal((null, null, 0), (stored.Provision.Identifier, stored.Provision.ValidFrom, stored.Provision.Notes.Count));
        Assert.Equal("c/ao1977/s147", await Find("§ 147 AO"));
        Assert.Equal("c/ao1977/s147", await Find("§ 147 AO 1977"));
        // Provenance from what the store knew: the source path, the ingest time and the content hash.
        var provenance = Assert.IsType<Provenance>(stored.Act?.Provenance);
        Assert.Equal((Ao.SourcePath, null, Ao.ContentHash), (provenance.Source, provenance.Publisher, provenance.ContentHash));
        Assert.InRange(provenance.RetrievedAt, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow);
        // The alias table carries schema 3's tier numbers.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT tier FROM act_aliases WHERE alias = 'ao'";
            Assert.Equal((long)ActAliasTier.Abbreviation, await cmd.ExecuteScalarAsync(Ct));
        }
        // A document written after the migration keeps the new fields.
        var official = new LegalDocument
        {
            SourcePath = "k/kschg.xml", ContentHash = "k1", Language = "de", Title = "Kündigungsschutzgesetz", Abbreviation = "KSchG", Format = "gii-xml",
            Identifier = "BJNR004990951", Aliases = ["KüSchG"], ValidFrom = new DateOnly(1951, 8, 13),
            Provisions = [new Provision { Key = "c/kschg/s1", Kind = ProvisionKind.Section, Number = "1", Citation = "KSchG § 1", ValidFrom = new DateOnly(2004, 1, 1), Notes = ["Fußnote"], Paragraphs = [new ProvisionParagraph(null, "Sozial ungerechtfertigte Kündigungen.")] }],
        };
        await Put(official);
        Assert.Equal("c/kschg/s1", await Find("§ 1 KüSchG"));
        var kschg = await _store.GetProvisionAsync("c/kschg/s1", Ct);
        Assert.Equal((new DateOnly(2004, 1, 1), "BJNR004990951"), (kschg!.Provision.ValidFrom, kschg.Act!.Identifier));
    }

    private Task<UpsertOutcome> PutWithOutcome(LegalDocument d) => _store.UpsertDocumentAsync("c", d, [], Ct);
}
