using System.Runtime.CompilerServices;
using LegalRag.Answering;
using LegalRag.Answering.History;
using LegalRag.Core.Abstractions;
using LegalRag.Hosting;
using LegalRag.Retrieval.Search;
using LegalRag.Server.Api;
using LegalRag.Server.Audit;
using LegalRag.Server.Auth;
using LegalRag.Server.Configuration;
using LegalRag.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LegalRag.Server.Hubs;

/// <summary>Arguments of the hub's Ask: the question, optionally a corpus, the answer language ("auto" detects), the retrieval
/// mode (the configured one) and the day whose law is asked about, "YYYY-MM-DD". Send <paramref name="AsOf"/> only when the
/// user chose a day: it overrides a day the question names ("en 2008"); null lets the question's day, else today, apply.
/// <paramref name="ConversationId"/> continues a conversation of the caller's history (GET /api/history/{id}): its exchanges
/// become the follow-up context and this exchange is recorded in it; the connection then stays in it until Reset.</summary>
public sealed record AskArgs(string? Question, string? Corpus = null, string? Language = null, string? Mode = null, string? AsOf = null, string? ConversationId = null);

/// <summary>
/// One item of the answer stream. In order: "start" (language, mode, the standalone query), "token"
/// (verified text to append), "notice" (model unavailable, flagged claims), one "citation" per
/// citation marker in the text, then "done" with the outcome, timings and the day the answer is as of ("asOf",
/// YYYY-MM-DD, with "asOfSource": "today", "question" or "user", and "asOfText", the words read when from the question).
/// </summary>
public sealed record ChatStreamItem(string Type)
{
    public string? Text { get; init; }
    public string? Language { get; init; }
    public AnswerMode? Mode { get; init; }
    public string? StandaloneQuery { get; init; }
    public CitationDto? Citation { get; init; }
    public bool? Refused { get; init; }
    public IReadOnlyList<FlagDto>? Flags { get; init; }
    public AnswerTimings? Timings { get; init; }
    /// <summary>On "done": the conversation this exchange was recorded in (GET /api/history/{id}) and its number there; absent when it could not be recorded.</summary>
    public string? ConversationId { get; init; }
    public int? Exchange { get; init; }
    public DateOnly? AsOf { get; init; }
    public AsOfSource? AsOfSource { get; init; }
    public string? AsOfText { get; init; }
}

/// <summary>
/// The chat hub at /hubs/chat: streams answers, keeps each connection's conversation for follow-ups,
/// and stops generating when the client cancels the stream.
/// </summary>
[Authorize(Policy = Roles.Policies.Reader)]
public sealed class ChatHub(AnswerService answers, SearchService search, DefaultRetrievalMode defaults, CorpusAccess access, AuditLog audit, ServerCapacity capacity, IOptions<ServerSettings> settings, ConversationRecorder recorder, IConversationStore conversations, ILogger<ChatHub> logger) : Hub
{
    public const string Path = "/hubs/chat";
    private const string HistoryKey = "history";
    private const string ConversationKey = "conversation";

    public async IAsyncEnumerable<ChatStreamItem> Ask(AskArgs args, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = Context.User!;
        if (string.IsNullOrWhiteSpace(args.Question)) throw new HubException("question is required");
        if (args.Corpus is not null && !access.CanRead(user, args.Corpus))
        {
            await audit.WriteAsync(new AuditEvent { Action = "denied", User = user.CallerName(), Role = user.CallerRole(), Status = 403, Method = "hub", Path = Path + "/Ask", Corpus = args.Corpus, Transport = "hub", Error = "corpus not readable" }, cancellationToken);
            throw new HubException($"corpus '{args.Corpus}' is not readable with role {user.CallerRole()}");
        }
        if (!Core.Text.IsoDay.TryParse(args.AsOf, "AsOf", out var asOf, out var asOfError)) throw new HubException(asOfError);
        RetrievalMode? mode = null;
        if (!string.IsNullOrWhiteSpace(args.Mode))
        {
            if (ApiEndpoints.ModeProblem(args.Mode, search, defaults, out var parsed) is { } problem) throw new HubException(problem.ProblemDetails.Detail);
            mode = parsed;
        }
        if (args.ConversationId is not null) await ContinueAsync(user.CallerName(), args.ConversationId, cancellationToken);
        // A place of the server-wide capacity for the whole answer; when the server is full the caller hears so at once
        // (the session stays open for the next question) instead of waiting in a line without end.
        using var place = await capacity.AcquireAsync(cancellationToken);
        if (!place.IsAcquired) throw new HubException($"{ServerCapacity.BusyMessage} (retry in {ServerCapacity.RetryAfterSeconds} s)");
        var history = History();
        IReadOnlyList<ChatTurn> earlier;
        lock (history) earlier = history.ToList();
        var request = new AnswerRequest { Question = args.Question, Corpus = string.IsNullOrEmpty(args.Corpus) ? null : args.Corpus, Language = args.Language, History = earlier, ExcludedCorpora = access.Excluded(user), Mode = mode, AsOf = asOf };

        Answer? answer = null;
        var stream = answers.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await stream.MoveNextAsync();
                }
                catch (ArgumentException ex)
                {
                    throw new HubException(ex.Message);
                }
                catch (Exception ex) when (DependencyOutage.Of(ex) is { } outage && !cancellationToken.IsCancellationRequested)
                {
                    // The session stays open: the next question may find the dependency back.
                    logger.DependencyFailed(ex, Path, ex.Message);
                    throw new HubException(outage.Detail);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await audit.WriteAsync(new AuditEvent { Action = "ask", User = user.CallerName(), Role = user.CallerRole(), Question = args.Question, Corpus = args.Corpus, Cancelled = true, Transport = "hub" }, CancellationToken.None);
                    throw;
                }
                if (!more) break;
                switch (stream.Current)
                {
                    case AnswerStarted s:
                        yield return new ChatStreamItem("start") { Language = s.Language, Mode = s.Mode, StandaloneQuery = s.StandaloneQuery };
                        break;
                    case AnswerTextDelta d:
                        yield return new ChatStreamItem("token") { Text = d.Text };
                        break;
                    case AnswerNotice n:
                        yield return new ChatStreamItem("notice") { Text = n.Text };
                        break;
                    case AnswerCompleted c:
                        answer = c.Answer;
                        break;
                }
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
        if (answer is null) throw new HubException("the answer ended unexpectedly");
        var recorded = await RecordAsync(user.CallerName(), args.Question, args.Corpus, answer, cancellationToken);

        foreach (var citation in answer.Citations)
            yield return new ChatStreamItem("citation") { Citation = CitationDto.From(citation) };
        yield return new ChatStreamItem("done")
        {
            Refused = answer.Refused, Mode = answer.Mode, Language = answer.Language, StandaloneQuery = answer.StandaloneQuery,
            Flags = answer.Flags.Select(f => new FlagDto(f.Kind, f.Message, f.Claim)).ToList(), Timings = answer.Timings, Text = answer.Notice,
            ConversationId = recorded?.ConversationId, Exchange = recorded?.Exchange.Number,
            AsOf = answer.AsOf, AsOfSource = answer.AsOfSource, AsOfText = answer.AsOfText,
        };

        lock (history)
        {
            history.Add(new ChatTurn(args.Question, answer.StandaloneQuery, answer.Text));
            var max = settings.Value.Chat.MaxHistoryTurns;
            if (history.Count > max) history.RemoveRange(0, history.Count - max);
        }
        logger.Answered(answer.Mode, answer.Timings.TotalMs);
        await audit.WriteAsync(ApiEndpoints.AuditOf(user, "ask", args.Question, args.Corpus, answer, "hub"), CancellationToken.None);
    }

    /// <summary>Forgets the conversation: the next question is not read as a follow-up.</summary>
    public void Reset()
    {
        var history = History();
        lock (history) history.Clear();
        // The next question begins a new conversation in the user's history too.
        lock (Context.Items) Context.Items.Remove(ConversationKey);
    }

    /// <summary>
    /// Makes <paramref name="id"/>, a conversation of the caller's history, the connection's conversation: its recorded
    /// exchanges (the latest ones the follow-up context keeps) replace the connection's history. Asking again in the
    /// conversation the connection is already in only checks it is still kept.
    /// </summary>
    private async Task ContinueAsync(string user, string id, CancellationToken cancellationToken)
    {
        // The server's ids are 32 hexadecimal digits; anything else cannot name a conversation.
        if (!Guid.TryParseExact(id, "N", out _)) throw new HubException("conversationId must be the id of a conversation in your history (32 hexadecimal digits)");
        // Another user's conversation answers exactly as one that does not exist, so the error confirms nothing about it.
        var gone = $"conversation {id} is not in your history (it may have been deleted); start a new conversation";
        var current = Conversation();
        bool already;
        lock (current) already = current.Id == id && current.Kept;
        // The chat names its conversation with every question: when the connection is in it already, its context is
        // here, and only whether it still exists is asked (not every exchange and citation read again).
        if (already)
        {
            if (!await conversations.ExistsAsync(user, id, cancellationToken)) throw new HubException(gone);
            return;
        }
        var kept = await conversations.GetAsync(user, id, cancellationToken) ?? throw new HubException(gone);
        lock (current)
        {
            if (current.Id == id) { current.Kept = true; return; }
            current.Id = id;
            current.Kept = true;
        }
        var max = settings.Value.Chat.MaxHistoryTurns;
        var turns = kept.Exchanges.Skip(Math.Max(0, kept.Exchanges.Count - max)).Select(x => new ChatTurn(x.Question, x.StandaloneQuery, x.Answer));
        var history = History();
        lock (history)
        {
            history.Clear();
            history.AddRange(turns);
        }
    }

    /// <summary>
    /// Records the exchange in the connection's conversation. Once that is kept (recorded into, or continued) the exchange
    /// goes into it only while it still exists: one deleted meanwhile is not re-created, the exchange begins a new one.
    /// </summary>
    private async Task<ExchangeRecord?> RecordAsync(string user, string question, string? corpus, Answer answer, CancellationToken cancellationToken)
    {
        var conversation = Conversation();
        string id;
        bool kept;
        lock (conversation) (id, kept) = (conversation.Id, conversation.Kept);
        // The day whose law was answered is kept with the exchange, whether the user, the question or the clock chose it.
        var recorded = kept
            ? await recorder.ContinueAsync(user, id, question, corpus, answer.AsOf, answer, cancellationToken)
            : await recorder.RecordAsync(user, id, question, corpus, answer.AsOf, answer, cancellationToken) is { } first ? new ExchangeRecord(id, first) : null;
        if (recorded is not null)
        {
            lock (conversation)
            {
                if (conversation.Id == id) (conversation.Id, conversation.Kept) = (recorded.ConversationId, true);
            }
        }
        return recorded;
    }

    /// <summary>The connection's conversation in the history store: one per connection, a new one after Reset.</summary>
    private ConnectionConversation Conversation()
    {
        lock (Context.Items)
        {
            if (Context.Items.TryGetValue(ConversationKey, out var value) && value is ConnectionConversation conversation) return conversation;
            var created = new ConnectionConversation { Id = ConversationRecorder.NewConversationId() };
            Context.Items[ConversationKey] = created;
            return created;
        }
    }

    /// <summary>A connection's conversation: its id, and whether the history keeps it already (then it is never re-created).</summary>
    private sealed class ConnectionConversation
    {
        public required string Id { get; set; }
        public bool Kept { get; set; }
    }

    private List<ChatTurn> History()
    {
        // Context.Items lives exactly as long as the connection: history per connection, gone on disconnect.
        lock (Context.Items)
        {
            if (Context.Items.TryGetValue(HistoryKey, out var value) && value is List<ChatTurn> list) return list;
            var created = new List<ChatTurn>();
            Context.Items[HistoryKey] = created;
            return created;
        }
    }
}
