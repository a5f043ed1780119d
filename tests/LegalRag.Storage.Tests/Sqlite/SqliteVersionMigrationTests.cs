using LegalRag.Core.Domain;
using LegalRag.Storage.Sqlite;
using LegalRag.Storage.Tests.Conformance;
using LegalRag.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>A schema-3 store (before versions) opens as schema 4 with every stored row a version of its base key.</summary>
public sealed class SqliteVersionMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_version_3_store_is_migrated_and_its_date_keyed_rows_become_versions_of_their_base_key()
    {
        using var dir = new TempDirectory("migrate-v3");
        var item = ConformanceData.VersionedCodeCivil("fr");
        using (var store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = dir.Path }, Ct))
        {
            await store.EnsureCorpusAsync(new CorpusInfo("fr", "fr"), Ct);
            await store.UpsertDocumentAsync("fr", item.Document, item.Chunks, Ct);
        }
        var path = new SqliteStoreOptions { DataDirectory = dir.Path }.DatabasePath;
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await connection.OpenAsync(Ct);
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DROP INDEX provisions_version_of; ALTER TABLE provisions DROP COLUMN version_of; ALTER TABLE provisions DROP COLUMN changed_by; "
                              + "UPDATE meta SET value = '3' WHERE key = 'schema_version'";
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        using var migrated = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = dir.Path }, Ct);
        Assert.Equal(3, migrated.MigratedFromSchemaVersion);
        var versions = await migrated.GetVersionsAsync("fr/code-civil/art229", Ct);
        Assert.Equal(["fr/code-civil/art229@1804-03-21", "fr/code-civil/art229@1975-07-11", "fr/code-civil/art229@2005-01-01"], versions.Select(v => v.Key));
        // What schema 3 did not keep stays unknown.
        Assert.All(versions, v => Assert.Null(v.Provision.ChangedBy));
        Assert.Equal("fr/code-civil/art229@2005-01-01", (await migrated.GetProvisionAsync("fr/code-civil/art229", Ct))?.Key);
    }
}
