using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using LegalRag.Core.Abstractions;
using LegalRag.Server.Configuration;
using LegalRag.Server.History;
using LegalRag.Server.Tests.Support;
using LegalRag.Storage.Sqlite;
using LegalRag.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Xunit;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace LegalRag.Server.Tests;

/// <summary>
/// History over the real server: the hub records each finished exchange for its user; the REST endpoints list, reopen,
/// search, delete and export only the caller's own; admins export and erase one user's data (audited); retention purges.
/// </summary>
public sealed class HistoryTests
{
    private const string Question = "Darf mein Vermieter wegen Eigenbedarf kündigen?";
    private const string FollowUp = "Und welche Fristen gelten dafür?";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Type(JsonElement item) => item.GetProperty("type").GetString()!;

    /// <summary>Asks two questions on one connection as alice; returns the conversation id and the streamed citations of the first.</summary>
    private static async Task<(string Id, List<JsonElement> Citations)> ConverseAsync(ServerHost host)
    {
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        var first = await hub.AskAsync(new { question = Question, corpus = "fixture" }, Ct);
        var second = await hub.AskAsync(new { question = FollowUp, corpus = "fixture" }, Ct);
        var id = first[^1].GetProperty("conversationId").GetString()!;
        Assert.Equal(1, first[^1].GetProperty("exchange").GetInt32());
        Assert.Equal(id, second[^1].GetProperty("conversationId").GetString());
        Assert.Equal(2, second[^1].GetProperty("exchange").GetInt32());

        // Reset begins a new conversation.
        await hub.InvokeAsync("Reset", Ct);
        var third = await hub.AskAsync(new { question = "Wie lange gilt die Kündigungsfrist?", corpus = "fixture" }, Ct);
        Assert.NotEqual(id, third[^1].GetProperty("conversationId").GetString());
        return (id, first.Where(i => Type(i) == "citation").Select(i => i.GetProperty("citation")).ToList());
    }

    [Fact]
    public async Task Reopening_a_conversation_shows_the_citations_as_they_were_streamed()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, streamed) = await ConverseAsync(host);
        using var alice = host.Client(ServerHost.ReaderKey);

        var list = await alice.GetFromJsonAsync<JsonElement>("/api/history?page=1&pageSize=10", Ct);
        Assert.Equal(2, list.GetProperty("total").GetInt64());
        var listed = list.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
        Assert.Equal(Question, listed.GetProperty("title").GetString());
        Assert.Equal(2, listed.GetProperty("exchanges").GetInt32());

        var conversation = await alice.GetFromJsonAsync<JsonElement>($"/api/history/{id}", Ct);
        var exchanges = conversation.GetProperty("exchanges").EnumerateArray().ToList();
        Assert.Equal([Question, FollowUp], exchanges.Select(e => e.GetProperty("question").GetString()));
        var kept = exchanges[0].GetProperty("citations").EnumerateArray().ToList();
        Assert.Equal(streamed.Count, kept.Count);
        Assert.NotEmpty(kept);
        foreach (var (shown, stored) in streamed.Zip(kept))
        {
            foreach (var field in new[] { "number", "citation", "provisionId", "quote", "corpus", "sourcePath" })
                Assert.Equal(shown.GetProperty(field).ToString(), stored.GetProperty(field).ToString());
            Assert.Matches("^[0-9a-f]{64}$", stored.GetProperty("snapshot").GetProperty("contentHash").GetString()!);
        }
        Assert.False(string.IsNullOrEmpty(exchanges[0].GetProperty("answer").GetString()));
        Assert.True(exchanges[0].GetProperty("askedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_new_connection_continues_a_kept_conversation_with_its_exchanges_as_the_follow_up_context()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        string id;
        await using (var first = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct))
            id = (await first.AskAsync(new { question = Question, corpus = "fixture" }, Ct))[^1].GetProperty("conversationId").GetString()!;

        // Without the id a new connection reads the follow-up on its own; with it, with the kept question.
        await using (var fresh = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct))
            Assert.Equal(FollowUp, (await fresh.AskAsync(new { question = FollowUp, corpus = "fixture" }, Ct))[^1].GetProperty("standaloneQuery").GetString());
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        var continued = (await hub.AskAsync(new { question = FollowUp, corpus = "fixture", conversationId = id }, Ct))[^1];
        Assert.Contains("Eigenbedarf", continued.GetProperty("standaloneQuery").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, continued.GetProperty("conversationId").GetString());
        Assert.Equal(2, continued.GetProperty("exchange").GetInt32());
        // The connection stays in it: the next question, naming no conversation, is its third exchange.
        var third = (await hub.AskAsync(new { question = "Wie lange gilt die Kündigungsfrist?", corpus = "fixture" }, Ct))[^1];
        Assert.Equal(id, third.GetProperty("conversationId").GetString());
        Assert.Equal(3, third.GetProperty("exchange").GetInt32());

        using var alice = host.Client(ServerHost.ReaderKey);
        var kept = await alice.GetFromJsonAsync<JsonElement>($"/api/history/{id}", Ct);
        var exchanges = kept.GetProperty("exchanges").EnumerateArray().ToList();
        Assert.Equal([Question, FollowUp, "Wie lange gilt die Kündigungsfrist?"], exchanges.Select(e => e.GetProperty("question").GetString()));
        Assert.Equal([1, 2, 3], exchanges.Select(e => e.GetProperty("number").GetInt32()));
        Assert.Contains("Eigenbedarf", exchanges[1].GetProperty("standaloneQuery").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_unknown_malformed_or_deleted_conversation_cannot_be_continued()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, _) = await ConverseAsync(host);
        using var alice = host.Client(ServerHost.ReaderKey);

        // Another user hears exactly what an id that never existed gets: nothing confirms alice's conversation exists.
        await using var eve = await HubConnections.ConnectAsync(host.Address, ServerHost.EvaluatorKey, Ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => eve.AskAsync(new { question = FollowUp, conversationId = id }, Ct));
        var unknownId = Guid.CreateVersion7().ToString("N");
        var unknown = await Assert.ThrowsAsync<HubException>(() => eve.AskAsync(new { question = FollowUp, conversationId = unknownId }, Ct));
        Assert.Contains($"conversation {id} is not in your history", refused.Message, StringComparison.Ordinal);
        Assert.Equal(unknown.Message.Replace(unknownId, "ID", StringComparison.Ordinal), refused.Message.Replace(id, "ID", StringComparison.Ordinal));
        var malformed = await Assert.ThrowsAsync<HubException>(() => eve.AskAsync(new { question = FollowUp, conversationId = "../x" }, Ct));
        Assert.Contains("conversationId must be the id of a conversation", malformed.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, eve.State);
        Assert.Equal(2, (await alice.GetFromJsonAsync<JsonElement>($"/api/history/{id}", Ct)).GetProperty("exchanges").GetArrayLength());

        // Alice continues it, then deletes it from the history: asking in it again is refused, and a question on the
        // connection that was continuing it begins a new conversation instead of bringing the deleted one back.
        await using var hub = await HubConnections.ConnectAsync(host.Address, ServerHost.ReaderKey, Ct);
        Assert.Equal(3, (await hub.AskAsync(new { question = FollowUp, corpus = "fixture", conversationId = id }, Ct))[^1].GetProperty("exchange").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/history/{id}", Ct)).StatusCode);
        var deleted = await Assert.ThrowsAsync<HubException>(() => hub.AskAsync(new { question = FollowUp, conversationId = id }, Ct));
        Assert.Contains($"conversation {id} is not in your history", deleted.Message, StringComparison.Ordinal);
        var after = (await hub.AskAsync(new { question = FollowUp, corpus = "fixture" }, Ct))[^1];
        Assert.NotEqual(id, after.GetProperty("conversationId").GetString());
        Assert.Equal(1, after.GetProperty("exchange").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/history/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Only_the_owner_sees_searches_exports_or_deletes_a_conversation()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, _) = await ConverseAsync(host);
        using var alice = host.Client(ServerHost.ReaderKey);
        using var eve = host.Client(ServerHost.EvaluatorKey);
        using var root = host.Client(ServerHost.AdminKey);

        foreach (var other in new[] { eve, root })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/history/{id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/history/{id}/export?format=md", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/history/{id}/exchanges/1/export", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/history/{id}", Ct)).StatusCode);
            Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("total").GetInt64());
            Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/history/search?q=Eigenbedarf", Ct)).GetProperty("results").EnumerateArray());
        }

        var hits = (await alice.GetFromJsonAsync<JsonElement>("/api/history/search?q=Eigenbedarf", Ct)).GetProperty("results").EnumerateArray().ToList();
        var hit = Assert.Single(hits);
        Assert.Equal(id, hit.GetProperty("conversationId").GetString());
        Assert.Contains("**Eigenbedarf**", hit.GetProperty("snippet").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync("/api/history/search?q=", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync("/api/history?pageSize=1000", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/history/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/history/{id}", Ct)).StatusCode);
        Assert.Empty((await alice.GetFromJsonAsync<JsonElement>("/api/history/search?q=Eigenbedarf", Ct)).GetProperty("results").EnumerateArray());
        var audit = await host.AuditLinesAsync(atLeast: 1, Ct);
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "history-delete" && a.GetProperty("target").GetString() == id && a.GetProperty("user").GetString() == "alice");
    }

    [Fact]
    public async Task A_conversation_and_one_answer_download_as_docx_and_markdown()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, streamed) = await ConverseAsync(host);
        using var alice = host.Client(ServerHost.ReaderKey);

        using var docx = await alice.GetAsync($"/api/history/{id}/exchanges/1/export?format=docx&lang=en", Ct);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("-1.docx", docx.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using (var stream = new MemoryStream(await docx.Content.ReadAsByteArrayAsync(Ct)))
        using (var document = WordprocessingDocument.Open(stream, isEditable: false))
        {
            var text = string.Join("\n", document.MainDocumentPart!.Document.Body!.Descendants<WordText>().Select(t => t.Text));
            Assert.Contains(Question, text);
            Assert.DoesNotContain(FollowUp, text);
            foreach (var citation in streamed)
            {
                Assert.Contains(citation.GetProperty("citation").GetString()!, text);
                Assert.Contains(citation.GetProperty("quote").GetString()!.Trim(), text);
            }
            Assert.Contains("corpus snapshot: fixture, act source SHA-256 ", text);
        }

        var markdown = await alice.GetStringAsync($"/api/history/{id}/export?format=md&lang=en", Ct);
        Assert.Contains("## Question 1", markdown);
        Assert.Contains("## Question 2", markdown);
        Assert.Contains(FollowUp, markdown);

        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync($"/api/history/{id}/export?format=pdf", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/history/{id}/exchanges/9/export", Ct)).StatusCode);
        var audit = await host.AuditLinesAsync(atLeast: 2, Ct);
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "history-export" && a.GetProperty("target").GetString() == $"{id}/1");
    }

    [Fact]
    public async Task The_export_labels_are_in_the_language_asked_for_else_the_answers_and_a_garbage_lang_is_refused_by_name()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, streamed) = await ConverseAsync(host);
        using var alice = host.Client(ServerHost.ReaderKey);

        // No lang: the answers were German, so are the labels.
        var german = await alice.GetStringAsync($"/api/history/{id}/export?format=md", Ct);
        Assert.Contains("## Frage 1", german);
        Assert.Contains("## Frage 2", german);
        Assert.Contains("Stand der Rechtssammlung: fixture, SHA-256 der Gesetzesquelle ", german);
        Assert.DoesNotContain("## Question 1", german);

        // lang=fr (what the UI sends in French): French labels, the German question and quotes as they were.
        using var docx = await alice.GetAsync($"/api/history/{id}/exchanges/1/export?format=docx&lang=fr", Ct);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        using (var stream = new MemoryStream(await docx.Content.ReadAsByteArrayAsync(Ct)))
        using (var document = WordprocessingDocument.Open(stream, isEditable: false))
        {
            var text = string.Join("\n", document.MainDocumentPart!.Document.Body!.Descendants<WordText>().Select(t => t.Text));
            Assert.Contains("Réponse : " + Question, text);
            Assert.Contains("état du corpus : fixture, SHA-256 de la source du texte ", text);
            foreach (var citation in streamed) Assert.Contains(citation.GetProperty("quote").GetString()!.Trim(), text);
            Assert.Equal("fr", document.PackageProperties.Language);
        }

        // A language without a pack: English labels.
        Assert.Contains("## Question 1", await alice.GetStringAsync($"/api/history/{id}/export?format=md&lang=es-MX", Ct));

        using var garbage = await alice.GetAsync($"/api/history/{id}/export?format=md&lang=%3Cscript%3E", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        var detail = (await garbage.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString()!;
        Assert.Contains("lang must be a language code", detail);
        Assert.Contains("'<script>'", detail);
    }

    [Fact]
    public async Task Admins_export_and_erase_one_users_data_and_both_are_audited()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        var (id, _) = await ConverseAsync(host);
        using var alice = host.Client(ServerHost.ReaderKey);
        using var eve = host.Client(ServerHost.EvaluatorKey);
        using var root = host.Client(ServerHost.AdminKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/admin/history/alice", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await eve.DeleteAsync("/api/admin/history/alice", Ct)).StatusCode);

        var export = await root.GetFromJsonAsync<JsonElement>("/api/admin/history/alice", Ct);
        Assert.Equal("alice", export.GetProperty("user").GetString());
        var conversations = export.GetProperty("conversations").EnumerateArray().ToList();
        Assert.Equal(2, conversations.Count);
        Assert.Contains(conversations, c => c.GetProperty("id").GetString() == id && c.GetProperty("exchanges").GetArrayLength() == 2);

        using var erase = await root.DeleteAsync("/api/admin/history/alice", Ct);
        var erased = await erase.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, erased.GetProperty("conversations").GetInt32());
        Assert.Equal(3, erased.GetProperty("exchanges").GetInt32());
        Assert.Equal(0, (await alice.GetFromJsonAsync<JsonElement>("/api/history", Ct)).GetProperty("total").GetInt64());
        Assert.Empty((await root.GetFromJsonAsync<JsonElement>("/api/admin/history/alice", Ct)).GetProperty("conversations").EnumerateArray());

        // Three asks, two denials, two exports and one erasure: wait for all eight, not the first three (the asks).
        var audit = await host.AuditLinesAsync(atLeast: 8, Ct);
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "gdpr-export" && a.GetProperty("target").GetString() == "alice" && a.GetProperty("user").GetString() == "root");
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "gdpr-erase" && a.GetProperty("target").GetString() == "alice" && a.GetProperty("user").GetString() == "root");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_history_endpoints()
    {
        await using var host = await ServerHost.StartAsync(Ct);
        using var alice = host.Client(ServerHost.ReaderKey);
        var paths = (await alice.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct)).GetProperty("paths");
        foreach (var path in new[] { "/api/history", "/api/history/search", "/api/history/{id}", "/api/history/{id}/export", "/api/history/{id}/exchanges/{number}/export", "/api/admin/history/{user}" })
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
    }

    [Fact]
    public async Task History_requests_draw_on_the_callers_rate_limit()
    {
        await using var host = await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { ["LegalRag:Limits:RequestsPerSecond"] = "1", ["LegalRag:Limits:Burst"] = "3" });
        using var alice = host.Client(ServerHost.ReaderKey);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await alice.GetAsync("/api/history/search?q=Frist", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Theory]
    [InlineData("LegalRag:History:RetentionDays", "0")]
    [InlineData("LegalRag:History:RetentionDays", "99999")]
    [InlineData("LegalRag:History:PurgeIntervalMinutes", "0")]
    public async Task A_retention_setting_out_of_range_stops_the_start_naming_the_key(string key, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ServerHost.StartAsync(Ct, new Dictionary<string, string?> { [key] = value })).DisposeAsync());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_retention_job_purges_at_start_and_again_each_interval_by_the_clock()
    {
        using var dir = new TempDirectory("retention");
        var store = await SqliteConversationStore.OpenAsync(Path.Combine(dir.Path, "history.db"), Ct);
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        await store.AppendAsync("alice", "expired", Exchange(now.AddDays(-31)), Ct);
        await store.AppendAsync("alice", "recent", Exchange(now.AddDays(-1)), Ct);
        var clock = new ManualClock(now);
        var settings = Options.Create(new ServerSettings { History = new HistorySettings { RetentionDays = 30, PurgeIntervalMinutes = 60 } });
        using var job = new HistoryRetentionService(store, settings, clock, NullLogger<HistoryRetentionService>.Instance);

        await job.StartAsync(Ct);
        await UntilAsync(async () => await store.GetAsync("alice", "expired", Ct) is null);
        Assert.NotNull(await store.GetAsync("alice", "recent", Ct));

        // 28 days on, "recent" is 29 days old: kept. Two more days: 31 days old, purged at the next interval.
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromDays(28), Ct);
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(await store.GetAsync("alice", "recent", Ct));
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromDays(2), Ct);
        await UntilAsync(async () => await store.GetAsync("alice", "recent", Ct) is null);
        await job.StopAsync(Ct);
    }

    private static RecordedExchange Exchange(DateTimeOffset at) =>
        new() { AskedAt = at, Question = "Frage", Answer = "Antwort", Language = "de", Mode = "extractive" };

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the retention job did not purge within 10 s");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>A clock that moves only when told; its timers fire when it passes their due time.</summary>
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private readonly Lock _lock = new();
        private readonly List<ManualTimer> _timers = [];
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_lock) return _now;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(this, callback, state);
            timer.Change(dueTime, period);
            return timer;
        }

        /// <summary>Waits until the job sleeps on a timer (so no purge is in flight), then moves the clock and fires what fell due.</summary>
        public async Task AdvanceWhenWaitingAsync(TimeSpan by, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                lock (_lock) if (_timers.Count > 0) break;
                Assert.True(DateTime.UtcNow < deadline, "the retention job never waited on the clock");
                await Task.Delay(10, cancellationToken);
            }
            List<ManualTimer> due;
            lock (_lock)
            {
                _now += by;
                due = _timers.Where(t => t.Due <= _now).ToList();
                foreach (var timer in due) _timers.Remove(timer);
            }
            foreach (var timer in due) timer.Fire();
        }

        private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
        {
            public DateTimeOffset Due { get; private set; }

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                lock (clock._lock)
                {
                    clock._timers.Remove(this);
                    if (dueTime == Timeout.InfiniteTimeSpan) return true;
                    Due = clock._now + dueTime;
                    clock._timers.Add(this);
                }
                return true;
            }

            public void Fire() => callback(state);

            public void Dispose()
            {
                lock (clock._lock) clock._timers.Remove(this);
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
