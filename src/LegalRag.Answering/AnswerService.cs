using System.Diagnostics;
using System.Runtime.CompilerServices;
using LegalRag.Answering.Extractive;
using LegalRag.Answering.History;
using LegalRag.Answering.Languages;
using LegalRag.Answering.Llm;
using LegalRag.Answering.Verification;
using LegalRag.Core.Abstractions;
using LegalRag.Retrieval.Search;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LegalRag.Answering;

/// <summary>
/// Answers a question from the corpus: makes a follow-up standalone, retrieves provisions, refuses
/// when nothing relevant was found, then writes the answer with the language model when one is
/// configured (each claim verified before it is sent) or extractively. A failing or slow model never
/// reaches the user as an error: the extractive answer follows with a visible notice.
/// </summary>
public sealed class AnswerService
{
    private readonly SearchService _search;
    private readonly IProvisionStore _store;
    private readonly AnswerOptions _options;
    private readonly IChatClient? _chat;
    private readonly ILogger _logger;
    private readonly ExtractiveComposer _composer;
    private readonly RelevanceGate _gate;
    // Answers the model failed since it last answered: only for the "answers again" log line. A failure
    // never changes what the next question does (no circuit breaker): each one tries the model afresh.
    private int _failuresSinceLastAnswer;

    /// <param name="sentenceScorer">Optional dense question–sentence similarity for extractive answers (see <see cref="ISentenceScorer"/>).</param>
    public AnswerService(SearchService search, IProvisionStore store, AnswerOptions? options = null, IChatClient? chat = null, ILogger<AnswerService>? logger = null, ISentenceScorer? sentenceScorer = null)
    {
        _search = search;
        _store = store;
        _options = options ?? new AnswerOptions();
        _chat = chat;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _composer = new ExtractiveComposer(_options.Extractive, sentenceScorer);
        _gate = new RelevanceGate(_options.Relevance);
    }

    /// <summary>The mode answers are written in when everything works.</summary>
    public AnswerMode PreferredMode => _chat is null ? AnswerMode.Extractive : AnswerMode.Llm;

    /// <summary>Drains <see cref="StreamAsync"/>: the non-streamed answer.</summary>
    public async Task<Answer> AskAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        await foreach (var e in StreamAsync(request, cancellationToken).ConfigureAwait(false))
            if (e is AnswerCompleted done) return done.Answer;
        throw new InvalidOperationException("the answer stream ended without an answer");
    }

    public async IAsyncEnumerable<AnswerEvent> StreamAsync(AnswerRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Broken UTF-16 from a client would fail normalization and the model request's JSON; repaired, it is noise.
        var question = Core.Text.Utf16.Repair(request.Question?.Trim() ?? "");
        if (question.Length == 0) throw new ArgumentException("the question is empty");
        if (question.Length > _options.MaxQuestionChars) throw new ArgumentException($"the question is longer than {_options.MaxQuestionChars} characters");
        var clock = Stopwatch.StartNew();
        var language = string.IsNullOrWhiteSpace(request.Language) || request.Language == "auto"
            ? LanguageDetector.Detect(question)
            : LanguageDetector.Normalize(request.Language);
        var texts = AnswerTexts.For(language);

        // 1. A follow-up becomes a standalone query.
        var standalone = request.History.Count == 0 ? question : await RewriteAsync(question, language, request.History, cancellationToken).ConfigureAwait(false);
        var rewriteMs = clock.Elapsed.TotalMilliseconds;

        // The day whose law is asked about: the user's choice, else the day the question names, else today. The date's
        // words are not searched ("en 2008" would find article 2008), nor matched against the provisions' sentences.
        var named = Core.Languages.QuestionDates.Find(question, language);
        // One clock for the day searched and the day answered: the search service's.
        var today = _search.Today;
        var (asOf, asOfSource) = request.AsOf is { } chosen ? (chosen, AsOfSource.User)
            : named is not null ? (named.Day, AsOfSource.Question)
            : (today, AsOfSource.Today);
        if (named is not null) question = Core.Languages.QuestionDates.Without(question, named);
        if (Core.Languages.QuestionDates.Find(standalone, language) is { } inQuery) standalone = Core.Languages.QuestionDates.Without(standalone, inQuery);
        if (standalone.Length == 0) standalone = question.Length > 0 ? question : named?.Text ?? "";
        // The answer says which day it is as of whenever that is not today, and where a day read in the question came from.
        string? asOfLine = null;
        if (asOfSource == AsOfSource.Question || asOf != today)
        {
            asOfLine = string.Format(System.Globalization.CultureInfo.InvariantCulture, texts.AsOfLine, texts.FormatDate(asOf));
            if (asOfSource == AsOfSource.Question)
                asOfLine += string.Format(System.Globalization.CultureInfo.InvariantCulture, texts.AsOfFromQuestion, named!.Text);
        }
        var asOfPrefix = asOfLine is null ? "" : asOfLine + "\n";

        // 2. Retrieval, restricted to the corpora the caller may read and to the law in force on that day.
        var (sources, citationMatch) = await RetrieveAsync(standalone, request, asOf, cancellationToken).ConfigureAwait(false);
        var retrievalMs = clock.Elapsed.TotalMilliseconds - rewriteMs;
        var retrieved = sources.Select(s => s.ProvisionId).ToList();
        var verdict = _gate.Evaluate(standalone, sources, citationMatch);
        _logger.Relevance(standalone, verdict);

        double firstTokenMs = 0;
        Answer Finish(string text, AnswerMode mode, bool refused, IReadOnlyList<AnswerCitation> citations, IReadOnlyList<AnswerFlag> flags, string? notice) => new()
        {
            // A refusal states nothing as of any day; the day stays on the answer (the stream's done item).
            Text = (refused ? "" : asOfPrefix) + text,
            Language = language,
            Mode = mode,
            Refused = refused,
            Citations = citations,
            Flags = flags,
            Notice = notice,
            StandaloneQuery = standalone,
            RetrievedProvisionIds = retrieved,
            Timings = new AnswerTimings { RewriteMs = rewriteMs, RetrievalMs = retrievalMs, FirstTokenMs = firstTokenMs, TotalMs = clock.Elapsed.TotalMilliseconds },
            AsOf = asOf,
            AsOfSource = asOfSource,
            AsOfText = asOfSource == AsOfSource.Question ? named!.Text : null,
        };

        if (!verdict.Relevant)
        {
            yield return new AnswerStarted(language, standalone, PreferredMode);
            firstTokenMs = clock.Elapsed.TotalMilliseconds;
            yield return new AnswerTextDelta(texts.Refusal);
            yield return new AnswerCompleted(Finish(texts.Refusal, PreferredMode, true, [], [], null));
            yield break;
        }

        if (_chat is null)
        {
            yield return new AnswerStarted(language, standalone, AnswerMode.Extractive);
            if (asOfPrefix.Length > 0) yield return new AnswerTextDelta(asOfPrefix);
            var composed = await _composer.ComposeAsync(question, language, sources, cancellationToken).ConfigureAwait(false);
            var text = new System.Text.StringBuilder();
            foreach (var line in composed.Lines)
            {
                var piece = text.Length == 0 ? line : "\n" + line;
                if (text.Length == 0) firstTokenMs = clock.Elapsed.TotalMilliseconds;
                text.Append(piece);
                yield return new AnswerTextDelta(piece);
            }
            yield return new AnswerCompleted(Finish(text.ToString(), AnswerMode.Extractive, false, composed.Citations, [], null));
            yield break;
        }

        // 3. The model, claim by claim, each verified before it is sent.
        // The as-of line goes out with the first verified text: a refusal (NO_ANSWER) has none.
        yield return new AnswerStarted(language, standalone, AnswerMode.Llm);
        var llmSources = sources.Take(_options.LlmSources).ToList();
        var verifier = new CitationVerifier(llmSources, texts);
        var splitter = new ClaimSplitter();
        var sent = new System.Text.StringBuilder();
        var raw = new System.Text.StringBuilder();
        var citationsSent = new List<AnswerCitation>();
        var flagsSent = new List<AnswerFlag>();
        Exception? failure = null;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.Llm.FirstTokenTimeoutSeconds));
        var gotToken = false;
        var pushed = 0; // characters of raw handed to the splitter (a possible NO_ANSWER is held back)
        IAsyncEnumerator<ChatResponseUpdate>? stream = null;
        try
        {
            stream = _chat.GetStreamingResponseAsync(PromptBuilder.Build(standalone, language, llmSources), null, timeout.Token).GetAsyncEnumerator(timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            failure = ex;
        }
        while (stream is not null && failure is null)
        {
            bool more;
            try
            {
                more = await stream.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = ex;
                break;
            }
            if (!more) break;
            var piece = stream.Current.Text;
            if (string.IsNullOrEmpty(piece)) continue;
            if (!gotToken)
            {
                gotToken = true;
                timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.Llm.TimeoutSeconds)));
            }
            raw.Append(piece);
            // Hold back a refusal sentinel until it is certain either way.
            var head = raw.ToString().TrimStart();
            if (head.Length < PromptBuilder.NoAnswer.Length && PromptBuilder.NoAnswer.StartsWith(head, StringComparison.Ordinal)) continue;
            if (head.StartsWith(PromptBuilder.NoAnswer, StringComparison.Ordinal)) continue;
            var unpushed = raw.ToString(pushed, raw.Length - pushed);
            pushed = raw.Length;
            foreach (var claim in splitter.Push(unpushed))
            {
                var verified = verifier.Verify(claim.Text, citationsSent.Count + 1);
                if (verified.Text.Length == 0) continue;
                var delta = verified.Text + claim.Separator;
                var lead = sent.Length == 0 ? asOfPrefix : "";
                if (sent.Length == 0) firstTokenMs = clock.Elapsed.TotalMilliseconds;
                sent.Append(delta);
                citationsSent.AddRange(verified.Citations);
                flagsSent.AddRange(verified.Flags);
                yield return new AnswerTextDelta(lead + delta);
            }
        }
        if (stream is not null) await DisposeQuietlyAsync(stream).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        if (failure is null && raw.ToString().TrimStart().StartsWith(PromptBuilder.NoAnswer, StringComparison.Ordinal))
        {
            firstTokenMs = clock.Elapsed.TotalMilliseconds;
            yield return new AnswerTextDelta(texts.Refusal);
            yield return new AnswerCompleted(Finish(texts.Refusal, AnswerMode.Llm, true, [], [], null));
            yield break;
        }
        if (failure is null && splitter.Flush() is { } last)
        {
            var verified = verifier.Verify(last.Text, citationsSent.Count + 1);
            if (verified.Text.Length > 0)
            {
                var lead = sent.Length == 0 ? asOfPrefix : "";
                if (sent.Length == 0) firstTokenMs = clock.Elapsed.TotalMilliseconds;
                sent.Append(verified.Text);
                citationsSent.AddRange(verified.Citations);
                flagsSent.AddRange(verified.Flags);
                yield return new AnswerTextDelta(lead + verified.Text);
            }
        }
        if (failure is null && sent.Length == 0) failure = new InvalidDataException("the model returned no text");

        if (failure is null)
        {
            if (Interlocked.Exchange(ref _failuresSinceLastAnswer, 0) is var failed and > 0) _logger.ModelRecovered(failed);
            // The model cites by number; the versions its citations refer to are stated after its text.
            if (VersionsLine(texts, citationsSent) is { } versions)
            {
                sent.Append('\n').Append(versions);
                yield return new AnswerTextDelta("\n" + versions);
            }
            string? notice = null;
            if (flagsSent.Count > 0)
            {
                notice = texts.FlaggedNotice;
                yield return new AnswerNotice(notice);
            }
            yield return new AnswerCompleted(Finish(sent.ToString().TrimEnd(), AnswerMode.Llm, false, citationsSent, flagsSent, notice));
            yield break;
        }

        // 4. Fallback: the extractive answer, with a notice, after whatever verified text was already sent.
        Interlocked.Increment(ref _failuresSinceLastAnswer);
        _logger.ModelFailed(failure, _options.Llm.Endpoint ?? "", FailureReason(failure, gotToken, timedOut: timeout.IsCancellationRequested));
        yield return new AnswerNotice(texts.FallbackNotice);
        var fallback = await _composer.ComposeAsync(question, language, sources, cancellationToken).ConfigureAwait(false);
        var renumbered = fallback.Citations.Select(c => c with { Number = c.Number + citationsSent.Count }).ToList();
        var prefix = sent.Length > 0 ? "\n\n" : "";
        var asOfLead = sent.Length > 0 ? "" : asOfPrefix;
        foreach (var line in fallback.Lines)
        {
            var piece = prefix + line;
            prefix = "\n";
            if (sent.Length == 0) firstTokenMs = clock.Elapsed.TotalMilliseconds;
            sent.Append(piece);
            yield return new AnswerTextDelta(asOfLead + piece);
            asOfLead = "";
        }
        yield return new AnswerCompleted(Finish(sent.ToString(), AnswerMode.ExtractiveFallback, false, [.. citationsSent, .. renumbered], flagsSent, texts.FallbackNotice));
    }

    /// <summary>Why the model's answer was abandoned, in words an operator can act on (a timeout's own message is just "canceled").</summary>
    private string FailureReason(Exception failure, bool gotToken, bool timedOut)
    {
        // A deadline fired: ours, or the SDK's network timeout (also TimeoutSeconds). Whatever the transport
        // made of the cancellation (a SocketException "Operation canceled", an IOException), it was a timeout.
        if (timedOut || IsCancellation(failure))
            return gotToken
                ? $"the answer stalled or did not finish within {Math.Max(1, _options.Llm.TimeoutSeconds):0.#} s of the first token (LegalRag:Llm:TimeoutSeconds)"
                : timedOut
                    ? $"no first token within {_options.Llm.FirstTokenTimeoutSeconds:0.#} s (LegalRag:Llm:FirstTokenTimeoutSeconds)"
                    : $"no data from the endpoint within {Math.Max(1, _options.Llm.TimeoutSeconds):0.#} s (LegalRag:Llm:TimeoutSeconds)";
        // The SDK wraps transport errors (ClientResultException with no status): the cause is further in.
        for (var e = failure; e is not null; e = e.InnerException)
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } or System.Net.Sockets.SocketException)
                return $"endpoint unreachable: {e.Message}";
        return failure switch
        {
            System.ClientModel.ClientResultException { Status: > 0 } result => $"endpoint answered HTTP {result.Status}: {result.Message}",
            System.Text.Json.JsonException json => $"the endpoint sent something that is not a chat completion: {json.Message}",
            _ => $"{failure.GetType().Name}: {failure.Message}",
        };
    }

    private static bool IsCancellation(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
            if (e is OperationCanceledException or System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.OperationAborted }) return true;
        return false;
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> stream)
    {
        try { await stream.DisposeAsync().ConfigureAwait(false); }
        catch (Exception) { /* a broken connection may throw again on dispose; the failure is already handled */ }
    }

    private async Task<string> RewriteAsync(string question, string language, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
    {
        var heuristic = FollowUpRewriter.Rewrite(question, language, history);
        if (_chat is null || ReferenceEquals(heuristic, question)) return heuristic;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.Llm.FirstTokenTimeoutSeconds));
        try
        {
            var response = await _chat.GetResponseAsync(PromptBuilder.BuildRewrite(question, language, history), new ChatOptions { MaxOutputTokens = 80, Temperature = 0 }, timeout.Token).ConfigureAwait(false);
            var text = response.Text.Trim().Trim('"');
            // A rewrite must look like a question, not an essay or an empty reply.
            return text.Length is > 2 and < 400 && !text.Contains('\n') ? text : heuristic;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.RewriteFailed(ex);
            return heuristic;
        }
    }

    /// <summary>"Versions citées : Code civil, art. 910 (version en vigueur du 19/05/2011)", for the cited provisions whose
    /// source dates them; null when none does.</summary>
    private static string? VersionsLine(AnswerTexts texts, IReadOnlyList<AnswerCitation> citations)
    {
        var dated = citations.Where(c => c.ValidFrom is not null).DistinctBy(c => c.ProvisionId)
            .Select(c => texts.WithVersion(c.ProvisionCitation.Length > 0 ? c.ProvisionCitation : c.Citation, c.ValidFrom)).ToList();
        return dated.Count == 0 ? null : string.Format(System.Globalization.CultureInfo.InvariantCulture, texts.VersionsCited, string.Join("; ", dated));
    }

    private async Task<(List<AnswerSource> Sources, bool CitationMatch)> RetrieveAsync(string query, AnswerRequest request, DateOnly asOf, CancellationToken cancellationToken)
    {
        var k = _options.RetrieveK * (request.ExcludedCorpora is not { Count: > 0 } ? 1 : 3);
        var search = new SearchRequest { Query = query, Corpus = request.Corpus, K = k, Mode = request.Mode ?? _options.Mode, AsOf = asOf };
        bool Allowed(string corpus) => request.ExcludedCorpora is null || !request.ExcludedCorpora.Contains(corpus);
        var sources = new List<AnswerSource>(_options.RetrieveK);

        if (LegalRag.Core.Citations.CitationParser.TryParse(query, out _))
        {
            // A citation as the question: the search service resolves it to the exact provision first.
            var response = await _search.SearchAsync(search, cancellationToken).ConfigureAwait(false);
            var results = response.Results.Where(r => Allowed(r.Corpus)).Take(_options.RetrieveK).ToList();
            foreach (var r in results)
                if (await _store.GetProvisionAsync(r.ProvisionId, cancellationToken).ConfigureAwait(false) is { } provision)
                    sources.Add(new AnswerSource(sources.Count + 1, provision, r.Score, r.Pinpoint, r.Page));
            return (sources, results.Count > 0 && results[0].CitationMatch);
        }

        // Otherwise ranked provisions without snippets (the answer quotes sentences, not snippets): one
        // provision read per source instead of two.
        // The ranking stage read the ranked window's provisions already; only a hit below it is read here.
        var (hits, read) = await _search.RetrieveProvisionsAsync(search, new SearchFilter(request.Corpus, null, asOf), Math.Max(k * 4, 50), cancellationToken).ConfigureAwait(false);
        foreach (var hit in hits)
        {
            if (sources.Count >= _options.RetrieveK) break;
            var provision = read.GetValueOrDefault(hit.ProvisionKey) ?? await _store.GetProvisionAsync(hit.ProvisionKey, cancellationToken).ConfigureAwait(false);
            if (provision is null || !Allowed(provision.Corpus)) continue;
            sources.Add(new AnswerSource(sources.Count + 1, provision, hit.Score, provision.Provision.Citation, provision.Provision.FirstPage));
        }
        return (sources, false);
    }
}
