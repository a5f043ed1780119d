using LegalRag.Core.Abstractions;
using LegalRag.Core.Domain;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>
/// Verification and repair against stores damaged by hand-written SQL (foreign keys off, as a tool or a bad
/// restore would leave them), and the store's behaviour when the disk fills or the folder is read-only.
/// </summary>
public sealed class StoreVerificationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("verify");
    private SqliteLegalStore _store = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        await _store.EnsureCorpusAsync(new CorpusInfo("c", "de"), Ct);
        await Put(Fixtures.MietG());
        await Put(Fixtures.KaufG());
    }

    public ValueTask DisposeAsync()
    {
        _store.Dispose();
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<UpsertOutcome> Put(LegalDocument d) => _store.UpsertDocumentAsync("c", d, Fixtures.Chunks(d), Ct);

    /// <summary>Runs SQL on the file with a connection of its own, foreign keys off: damage the store's checks must find.</summary>
    private async Task DamageAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "legalrag.db")};Pooling=False;Foreign Keys=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    private const string MietGChunk = "(SELECT MIN(k.id) FROM chunks k JOIN provisions p ON p.id = k.provision_id WHERE p.key = 'c/mietg/s1')";

    [Fact]
    public async Task A_freshly_written_store_is_consistent_and_its_counts_are_in_step()
    {
        var report = await _store.VerifyAsync(null, Ct);
        Assert.True(report.IsConsistent, string.Join("; ", report.Problems.Select(p => p.Message)));
        var corpus = Assert.Single(report.Counts, c => c.Corpus == "c");
        var stats = await _store.GetStatisticsAsync(Ct);
        Assert.Equal((stats.Documents, stats.Provisions, stats.Chunks), (corpus.Documents, corpus.Provisions, corpus.Chunks));
        Assert.Equal(corpus.Chunks, corpus.IndexRows);
        Assert.Empty(report.Notes);
    }

    [Fact]
    public async Task An_orphan_chunk_is_reported_and_repair_deletes_it()
    {
        await DamageAsync("INSERT INTO chunks(provision_id, corpus_id, ordinal, citation, heading, text, content_hash) VALUES (987654, 1, 0, 'X § 1', 'h', 'verwaist', 'hash')");

        var report = await _store.VerifyAsync(null, Ct);
        var problem = Assert.Single(report.Problems, p => p.Kind == StoreProblemKind.Orphans);
        Assert.Contains("1 chunks without a provision", problem.Message);
        Assert.Contains("--repair", problem.Repair);

        var repair = await _store.RepairAsync(null, Ct);
        Assert.Contains(repair.Actions, a => a.Contains("deleted 1 chunks without a provision", StringComparison.Ordinal));
        Assert.Empty(repair.Removed);
        Assert.True(repair.After.IsConsistent, string.Join("; ", repair.After.Problems.Select(p => p.Message)));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM chunks WHERE text = 'verwaist'"));
    }

    [Fact]
    public async Task A_missing_full_text_row_is_reported_and_repair_rebuilds_the_index()
    {
        await DamageAsync($"DELETE FROM chunks_fts WHERE rowid = {MietGChunk}");
        Assert.Empty(await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Eigenbedarf", "de"), 10, SearchFilter.None, Ct));

        var report = await _store.VerifyAsync(null, Ct);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(StoreProblemKind.LexicalIndexOutOfStep, problem.Kind);
        Assert.Contains("1 chunks without a full-text row", problem.Message);
        Assert.Equal(1, report.Counts.Single(c => c.Corpus == "c").Chunks - report.Counts.Single(c => c.Corpus == "c").IndexRows);

        var repair = await _store.RepairAsync(null, Ct);
        Assert.Contains("rebuilt the full-text index from the stored chunks", repair.Actions);
        Assert.True(repair.After.IsConsistent);
        Assert.NotEmpty(await _store.SearchLexicalAsync(LexicalQuery.AllTerms("Eigenbedarf", "de"), 10, SearchFilter.None, Ct));
    }

    [Fact]
    public async Task A_truncated_document_is_reported_and_repair_removes_it_for_a_new_ingest()
    {
        // A chunk and its full-text row gone together: every index is in step, only the manifest knows.
        await DamageAsync($"DELETE FROM chunks_fts WHERE rowid = {MietGChunk}; DELETE FROM chunks WHERE id = {MietGChunk};");

        var report = await _store.VerifyAsync("c", Ct);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(StoreProblemKind.DamagedDocument, problem.Kind);
        Assert.Equal(("c", "m/mietg/index.md"), (problem.Corpus, problem.SourcePath));
        Assert.Contains("chunks stored of", problem.Message);
        Assert.Contains("legalrag ingest", problem.Repair);

        var repair = await _store.RepairAsync("c", Ct);
        var removed = Assert.Single(repair.Removed);
        Assert.Equal("m/mietg/index.md", removed.SourcePath);
        Assert.True(repair.After.IsConsistent);
        Assert.Null(await _store.GetDocumentHashAsync("c", "m/mietg/index.md", Ct));
        Assert.NotNull(await _store.GetProvisionAsync("c/kaufg/s1", Ct));

        // The next ingest stores it whole again.
        Assert.Equal(UpsertOutcome.Added, await Put(Fixtures.MietG()));
        Assert.True((await _store.VerifyAsync(null, Ct)).IsConsistent);
    }

    [Theory]
    [InlineData("UPDATE chunks SET text = 'verändert' WHERE id = " + MietGChunk, "digest mismatch")]
    [InlineData("UPDATE documents SET content_hash = 'abc' WHERE source_path = 'm/mietg/index.md'", "content hash is abc")]
    [InlineData("DELETE FROM provisions WHERE key = 'c/mietg/s2'", "1 provisions stored of 2 written")]
    public async Task Altered_rows_make_their_document_damaged(string damage, string expected)
    {
        await DamageAsync(damage);
        var report = await _store.VerifyAsync(null, Ct);
        var problem = Assert.Single(report.Problems, p => p.Kind == StoreProblemKind.DamagedDocument);
        Assert.Equal("m/mietg/index.md", problem.SourcePath);
        Assert.Contains(expected, problem.Message);
        Assert.True((await _store.RepairAsync(null, Ct)).After.IsConsistent);
    }

    [Fact]
    public async Task A_corpus_filter_checks_that_corpus_only_and_an_unknown_corpus_is_an_error()
    {
        await _store.EnsureCorpusAsync(new CorpusInfo("other", "de"), Ct);
        var other = Fixtures.MietG("other");
        await _store.UpsertDocumentAsync("other", other, Fixtures.Chunks(other), Ct);
        await DamageAsync("UPDATE chunks SET text = 'x' WHERE corpus_id = (SELECT id FROM corpora WHERE name = 'other')");

        Assert.True((await _store.VerifyAsync("c", Ct)).IsConsistent);
        Assert.Equal("other", Assert.Single((await _store.VerifyAsync("other", Ct)).Problems).Corpus);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.VerifyAsync("nope", Ct));
        Assert.Contains("'nope'", ex.Message);
    }

    [Fact]
    public async Task Documents_stored_before_manifests_existed_are_noted_not_failed()
    {
        await DamageAsync("DELETE FROM document_manifests");
        var report = await _store.VerifyAsync(null, Ct);
        Assert.True(report.IsConsistent);
        Assert.Contains(report.Notes, n => n.StartsWith("2 documents were stored before", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_disk_fails_the_write_with_one_clear_error_and_leaves_the_store_intact()
    {
        // SQLite's max_page_count answers SQLITE_FULL exactly as a full disk does; a real full disk (tmpfs) is
        // exercised by tools/crash-test.sh --faults, which needs root.
        var before = await _store.GetStatisticsAsync(Ct);
        var bytes = await CountAsync("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
        _store.Dispose();
        var limited = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path, MaxDatabaseBytes = bytes + 8192 }, Ct);
        _store = limited;
        var big = Fixtures.Act("c", "GroßG", "g/grossg/index.md", "v1", Enumerable.Range(1, 300)
            .Select(i => Fixtures.Section("c", "GroßG", i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Vorschrift {i}",
                string.Concat(Enumerable.Repeat($"Ein langer Absatz über Mietverhältnisse Nummer {i}. ", 40)))).ToArray());

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => limited.UpsertDocumentAsync("c", big, Fixtures.Chunks(big), Ct));
        Assert.Equal(_dir.Path, ex.Location);
        Assert.StartsWith($"data folder {_dir.Path}: the disk is full", ex.Message);
        Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);

        Assert.Equal(before, await limited.GetStatisticsAsync(Ct));
        Assert.True((await limited.VerifyAsync(null, Ct)).IsConsistent);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_data_folder_fails_with_one_clear_error_and_the_store_intact()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix file modes only");
        if (Environment.UserName == "root")
            Assert.Skip("running as root: chmod does not stop root's writes; tools/crash-test.sh --faults remounts a tmpfs read-only instead");
        var before = await _store.GetStatisticsAsync(Ct);
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(_dir.Path);
        foreach (var f in files) File.SetUnixFileMode(f, UnixFileMode.UserRead);
        File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() => SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct));
            Assert.StartsWith($"data folder {_dir.Path}: ", ex.Message);
            Assert.DoesNotContain("\n", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(_dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var f in files) File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _store = await SqliteLegalStore.OpenAsync(new SqliteStoreOptions { DataDirectory = _dir.Path }, Ct);
        Assert.Equal(before, await _store.GetStatisticsAsync(Ct));
        Assert.True((await _store.VerifyAsync(null, Ct)).IsConsistent);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir.Path, "legalrag.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
