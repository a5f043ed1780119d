using LegalRag.Core.Abstractions;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Xunit;

namespace LegalRag.Storage.Tests.Sqlite;

/// <summary>The history store: conversations per user, citations kept as they were, search, delete, GDPR export and erasure, retention.</summary>
public sealed class SqliteConversationStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("history");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private Task<SqliteConversationStore> OpenAsync() => SqliteConversationStore.OpenAsync(Path.Combine(_dir.Path, "history.db"), Ct);

    private static RecordedExchange Exchange(string question, string answer, DateTimeOffset at, DateOnly? asOf = null) => new()
    {
        AskedAt = at, Question = question, Answer = answer, Language = "de", Mode = "extractive", Corpus = "fixture", AsOf = asOf, StandaloneQuery = question,
        Citations =
        [
            new RecordedCitation
            {
                Number = 1, Citation = "BGB § 573 Abs. 2 Nr. 2", ProvisionId = "fixture/bgb/s573", Quote = "wenn der Vermieter die Räume als Wohnung für sich benötigt",
                Corpus = "fixture", Paragraph = "2", ProvisionCitation = "BGB § 573", Heading = "Ordentliche Kündigung des Vermieters", Path = "Buch 2 > Abschnitt 8",
                SourcePath = "bgb/index.md", Page = 3, Snapshot = new CorpusSnapshot("ab12cd", T0.AddDays(-10), "https://www.gesetze-im-internet.de/bgb/xml.zip", "BMJ"),
            },
        ],
    };

    [Fact]
    public async Task A_reopened_conversation_has_every_exchange_and_citation_as_recorded()
    {
        var store = await OpenAsync();
        var first = await store.AppendAsync("alice", "c1", Exchange("Darf mein Vermieter wegen Eigenbedarf kündigen?", "In Betracht kommt: [BGB § 573 Abs. 2 Nr. 2]", T0, new DateOnly(2025, 1, 1)), Ct);
        var second = await store.AppendAsync("alice", "c1", Exchange("Und welche Fristen gelten?", "Die Frist beträgt drei Monate.", T0.AddMinutes(2)), Ct);
        Assert.Equal(1, first.Number);
        Assert.Equal(2, second.Number);

        var reopened = await store.GetAsync("alice", "c1", Ct);
        Assert.NotNull(reopened);
        Assert.Equal("Darf mein Vermieter wegen Eigenbedarf kündigen?", reopened.Title);
        Assert.Equal(T0, reopened.CreatedAt);
        Assert.Equal(T0.AddMinutes(2), reopened.UpdatedAt);
        Assert.Equal([1, 2], reopened.Exchanges.Select(e => e.Number));
        var expected = Exchange("Darf mein Vermieter wegen Eigenbedarf kündigen?", "In Betracht kommt: [BGB § 573 Abs. 2 Nr. 2]", T0, new DateOnly(2025, 1, 1));
        var got = reopened.Exchanges[0];
        Assert.Equal(expected.Citations, got.Citations);
        Assert.Equal(new DateOnly(2025, 1, 1), got.AsOf);
        Assert.Null(reopened.Exchanges[1].AsOf);
        Assert.Equal(expected with { Number = 1, Citations = got.Citations }, got);
    }

    [Fact]
    public async Task Another_users_conversation_does_not_exist_for_them()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Eigenbedarf", "Antwort", T0), Ct);

        Assert.Null(await store.GetAsync("bob", "c1", Ct));
        Assert.False(await store.DeleteAsync("bob", "c1", Ct));
        Assert.Empty((await store.ListAsync("bob", 1, 20, Ct)).Items);
        Assert.Empty(await store.SearchAsync("bob", "Eigenbedarf", 20, Ct));
        Assert.Empty(await store.ExportUserAsync("bob", Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.AppendAsync("bob", "c1", Exchange("hijack", "x", T0), Ct));
        Assert.NotNull(await store.GetAsync("alice", "c1", Ct));
        Assert.Single((await store.GetAsync("alice", "c1", Ct))!.Exchanges);
    }

    [Fact]
    public async Task Appending_to_an_existing_conversation_never_creates_or_revives_one_nor_writes_into_another_users()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Eigenbedarf", "Antwort", T0), Ct);
        var continued = await store.AppendToExistingAsync("alice", "c1", Exchange("Und die Frist?", "Drei Monate.", T0.AddMinutes(1)), Ct);
        Assert.Equal(2, continued?.Number);

        Assert.Null(await store.AppendToExistingAsync("alice", "c2", Exchange("Neu", "Antwort", T0), Ct));
        Assert.Null(await store.GetAsync("alice", "c2", Ct));
        Assert.Null(await store.AppendToExistingAsync("bob", "c1", Exchange("Fremd", "Antwort", T0), Ct));
        Assert.Equal(2, (await store.GetAsync("alice", "c1", Ct))!.Exchanges.Count);

        Assert.True(await store.DeleteAsync("alice", "c1", Ct));
        Assert.Null(await store.AppendToExistingAsync("alice", "c1", Exchange("Noch eine", "Antwort", T0.AddMinutes(2)), Ct));
        Assert.Null(await store.GetAsync("alice", "c1", Ct));
        Assert.Empty(await store.SearchAsync("alice", "Noch", 10, Ct));
    }

    [Fact]
    public async Task A_conversation_exists_for_its_owner_only_and_not_after_deletion()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Eigenbedarf", "Antwort", T0), Ct);
        Assert.True(await store.ExistsAsync("alice", "c1", Ct));
        Assert.False(await store.ExistsAsync("bob", "c1", Ct));
        Assert.False(await store.ExistsAsync("alice", "c2", Ct));
        Assert.True(await store.DeleteAsync("alice", "c1", Ct));
        Assert.False(await store.ExistsAsync("alice", "c1", Ct));
    }

    [Fact]
    public async Task Lists_page_by_latest_activity_with_the_total()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 5; i++) await store.AppendAsync("alice", $"c{i}", Exchange($"Frage {i}", "Antwort", T0.AddHours(i)), Ct);
        await store.AppendAsync("alice", "c0", Exchange("Nachfrage", "Antwort", T0.AddHours(10)), Ct);

        var page1 = await store.ListAsync("alice", 1, 2, Ct);
        var page3 = await store.ListAsync("alice", 3, 2, Ct);
        Assert.Equal(5, page1.Total);
        Assert.Equal(["c0", "c4"], page1.Items.Select(c => c.Id));
        Assert.Equal(2, page1.Items[0].Exchanges);
        Assert.Equal(["c1"], page3.Items.Select(c => c.Id));
        Assert.Empty((await store.ListAsync("alice", 4, 2, Ct)).Items);
    }

    [Fact]
    public async Task Search_finds_the_users_own_questions_and_answers_and_ignores_query_syntax()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Darf mein Vermieter wegen Eigenbedarf kündigen?", "Nach § 573 BGB ja.", T0), Ct);
        await store.AppendAsync("alice", "c2", Exchange("Wie lange gilt die Gewährleistung?", "Zwei Jahre.", T0), Ct);
        await store.AppendAsync("bob", "c3", Exchange("Eigenbedarf meines Vermieters", "x", T0), Ct);

        var hits = await store.SearchAsync("alice", "eigenbedarf", 20, Ct);
        var hit = Assert.Single(hits);
        Assert.Equal("c1", hit.ConversationId);
        Assert.Equal(1, hit.Exchange);
        Assert.Contains("**Eigenbedarf**", hit.Snippet);
        // Diacritics folded and prefixes matched: "gewahr" finds "Gewährleistung"; answers are searched too.
        Assert.Equal("c2", Assert.Single(await store.SearchAsync("alice", "gewahr", 20, Ct)).ConversationId);
        Assert.Equal("c2", Assert.Single(await store.SearchAsync("alice", "Jahre", 20, Ct)).ConversationId);
        // FTS5 syntax in user input is taken as words, never as an expression (nor as an error).
        Assert.Equal("c1", Assert.Single(await store.SearchAsync("alice", "Eigenbedarf\" *( -", 20, Ct)).ConversationId);
        Assert.Empty(await store.SearchAsync("alice", "\"*()", 20, Ct));
        Assert.Null(SqliteConversationStore.MatchExpression("  \" * ( ) "));
    }

    [Fact]
    public async Task Delete_removes_one_conversation_and_its_search_entries()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Eigenbedarf", "Antwort", T0), Ct);
        await store.AppendAsync("alice", "c2", Exchange("Eigenbedarf wieder", "Antwort", T0), Ct);

        Assert.True(await store.DeleteAsync("alice", "c1", Ct));
        Assert.False(await store.DeleteAsync("alice", "c1", Ct));
        Assert.Null(await store.GetAsync("alice", "c1", Ct));
        Assert.Equal(["c2"], (await store.SearchAsync("alice", "Eigenbedarf", 20, Ct)).Select(h => h.ConversationId));
    }

    [Fact]
    public async Task Gdpr_export_holds_everything_of_one_user_and_erasure_removes_it_only()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Eins", "a", T0), Ct);
        await store.AppendAsync("alice", "c1", Exchange("Zwei", "b", T0.AddMinutes(1)), Ct);
        await store.AppendAsync("alice", "c2", Exchange("Drei", "c", T0.AddMinutes(2)), Ct);
        await store.AppendAsync("bob", "c3", Exchange("Vier", "d", T0), Ct);

        var export = await store.ExportUserAsync("alice", Ct);
        Assert.Equal(["c1", "c2"], export.Select(c => c.Id));
        Assert.Equal(["Eins", "Zwei", "Drei"], export.SelectMany(c => c.Exchanges).Select(e => e.Question));

        Assert.Equal(new HistoryRemoval(2, 3), await store.EraseUserAsync("alice", Ct));
        Assert.Empty(await store.ExportUserAsync("alice", Ct));
        Assert.Empty(await store.SearchAsync("alice", "Eins", 20, Ct));
        Assert.Single(await store.ExportUserAsync("bob", Ct));
        Assert.Equal(new HistoryRemoval(0, 0), await store.EraseUserAsync("alice", Ct));
    }

    [Fact]
    public async Task Purge_removes_conversations_whose_last_exchange_is_older_than_the_cutoff()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "old", Exchange("alt", "a", T0.AddDays(-40)), Ct);
        // Begun long ago, but used recently: kept, since retention counts from the last exchange.
        await store.AppendAsync("alice", "revived", Exchange("alt", "a", T0.AddDays(-40)), Ct);
        await store.AppendAsync("alice", "revived", Exchange("neu", "b", T0.AddDays(-1)), Ct);
        await store.AppendAsync("bob", "recent", Exchange("neu", "c", T0), Ct);

        Assert.Equal(new HistoryRemoval(1, 1), await store.PurgeOlderThanAsync(T0.AddDays(-30), Ct));
        Assert.Null(await store.GetAsync("alice", "old", Ct));
        Assert.Equal(2, (await store.GetAsync("alice", "revived", Ct))!.Exchanges.Count);
        Assert.NotNull(await store.GetAsync("bob", "recent", Ct));
        Assert.Equal("revived", Assert.Single(await store.SearchAsync("alice", "alt", 20, Ct)).ConversationId);
    }

    [Fact]
    public async Task History_survives_reopening_the_file()
    {
        var store = await OpenAsync();
        await store.AppendAsync("alice", "c1", Exchange("Eigenbedarf", "Antwort", T0), Ct);
        var again = await OpenAsync();
        Assert.Equal("Eigenbedarf", (await again.GetAsync("alice", "c1", Ct))!.Exchanges[0].Question);
    }

    [Fact]
    public async Task A_file_that_is_not_a_history_database_is_refused_with_its_path()
    {
        var path = _dir.File("history.db", "this is not sqlite, just text that is long enough to have a header of sorts ........................................");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SqliteConversationStore.OpenAsync(path, Ct));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a history database", error.Message);
    }
}
