using System.Diagnostics;
using LegalRag.Core.Domain;
using LegalRag.Core.References;
using LegalRag.Ingestion.Chunking;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Fuzzing;

public enum OutcomeKind
{
    /// <summary>A document came out.</summary>
    Parsed,
    /// <summary>A <see cref="DocumentRejectedException"/> with a reason, or no parser for the content (the pipeline's
    /// "no parser reads …" rejection).</summary>
    Rejected,
    /// <summary>A defect: an exception other than a rejection, a rejection caused by a programming error in our
    /// code, a parse over the time or memory limit, or a parsed document that carries what it must not.</summary>
    Finding,
}

public sealed record FuzzOutcome(OutcomeKind Kind, string Detail, TimeSpan Elapsed, long PeakHeapGrowthBytes)
{
    /// <summary>What identifies a finding across inputs: the failure kind and where it happened, not the input.</summary>
    public string Signature { get; init; } = "";
}

/// <summary>The limits one input must stay within.</summary>
/// <param name="Timeout">Wall clock for parsing, reference extraction and chunking together.</param>
/// <param name="MaxHeapGrowthBytes">The managed heap may grow at most this much over its size before the input.</param>
public sealed record FuzzLimits(TimeSpan Timeout, long MaxHeapGrowthBytes)
{
    public static FuzzLimits Default => new(TimeSpan.FromSeconds(30), 1536L * 1024 * 1024);
}

/// <summary>
/// Runs one input the way <c>IngestionPipeline</c> runs a file: <see cref="ParserRegistry.Find"/>, then
/// <see cref="IDocumentParser.ParseAsync"/> with the pipeline's <see cref="ParseContext"/>, then the reference
/// extraction and chunking that follow every parse. It watches the clock and the managed heap while it runs,
/// and judges the result.
/// </summary>
public sealed class FuzzRunner(ParserRegistry registry, ParseContext context, FuzzLimits limits, string canaryToken, Func<bool> traversalArtifactExists)
{
    private readonly StructureChunker _chunker = new();

    /// <summary>Types that mean our own code has a bug when they come out of it, whatever the input was.</summary>
    private static readonly HashSet<Type> ProgrammingErrors =
    [
        typeof(NullReferenceException), typeof(IndexOutOfRangeException), typeof(ArgumentOutOfRangeException), typeof(ArgumentNullException),
        typeof(ArgumentException), typeof(InvalidCastException), typeof(KeyNotFoundException), typeof(OverflowException),
        typeof(DivideByZeroException), typeof(InvalidOperationException), typeof(FormatException), typeof(InsufficientExecutionStackException),
        typeof(OutOfMemoryException), typeof(NotImplementedException), typeof(System.Text.RegularExpressions.RegexMatchTimeoutException),
    ];

    public async Task<FuzzOutcome> RunAsync(FuzzInput input, CancellationToken cancellationToken)
    {
        var file = new SourceFile("/fuzz/" + input.FileName, input.FileName, input.Bytes);
        if (file.Bytes.Length > context.Limits.MaxFileBytes)
            return new FuzzOutcome(OutcomeKind.Rejected, "over MaxFileBytes (the pipeline refuses it before reading)", TimeSpan.Zero, 0);
        var parser = registry.Find(file);
        if (parser is null) return new FuzzOutcome(OutcomeKind.Rejected, $"no parser reads '{file.Extension}' files with this content", TimeSpan.Zero, 0);

        var baseline = GC.GetTotalMemory(forceFullCollection: false);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                try { await Task.Delay(10, sampling.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.Timeout);
        var watch = Stopwatch.StartNew();
        // The synchronous parsers ignore a cancelled token between checks; the wait below does not rely on them.
        var work = Task.Run(() => ParseAndChunkAsync(parser, file, timeout.Token), CancellationToken.None);
        var finished = await Task.WhenAny(work, Task.Delay(limits.Timeout + TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
        var elapsed = watch.Elapsed;
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var growth = Math.Max(0, peak - baseline);

        if (finished != work)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The task is abandoned; it keeps a thread until it ends, which the session counts as a hang.
            return Finding($"hang: no result after {elapsed.TotalSeconds:0.#} s (limit {limits.Timeout.TotalSeconds:0} s)", $"hang in {parser.Format}", elapsed, growth);
        }
        FuzzOutcome outcome;
        try
        {
            var document = await work.ConfigureAwait(false);
            outcome = Judge(document, elapsed, growth);
        }
        catch (DocumentRejectedException ex) when (OurBug(ex.InnerException) is { } bug)
        {
            outcome = Finding($"rejected for a bug in our code: {bug.GetType().Name}: {bug.Message} at {TopFrame(bug)}", $"{bug.GetType().Name} at {TopFrame(bug)}", elapsed, growth);
        }
        catch (DocumentRejectedException ex)
        {
            outcome = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                ? Finding($"over time: {elapsed.TotalSeconds:0.#} s", $"slow in {parser.Format}", elapsed, growth)
                : new FuzzOutcome(OutcomeKind.Rejected, ex.Message, elapsed, growth);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            outcome = Finding($"over time: cancelled after {elapsed.TotalSeconds:0.#} s (limit {limits.Timeout.TotalSeconds:0} s)", $"slow in {parser.Format}", elapsed, growth);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = Finding($"crash: {ex.GetType().Name}: {ex.Message} at {TopFrame(ex)}", $"{ex.GetType().Name} at {TopFrame(ex)}", elapsed, growth);
        }
        if (outcome.Kind != OutcomeKind.Finding && growth > limits.MaxHeapGrowthBytes)
            outcome = Finding($"memory: the heap grew by {growth / (1024 * 1024):N0} MiB (limit {limits.MaxHeapGrowthBytes / (1024 * 1024):N0} MiB)", $"memory in {parser.Format}", elapsed, growth);
        if (traversalArtifactExists())
            outcome = Finding("path traversal: a file named by an archive entry was written outside the archive", "path traversal", elapsed, growth);
        return outcome;
    }

    private async Task<LegalDocument> ParseAndChunkAsync(IDocumentParser parser, SourceFile file, CancellationToken cancellationToken)
    {
        var document = await parser.ParseAsync(file, context, cancellationToken).ConfigureAwait(false);
        document = document.WithReferences(ReferenceExtractor.Extract(document));
        _ = _chunker.Chunk(document);
        return document;
    }

    private FuzzOutcome Judge(LegalDocument document, TimeSpan elapsed, long growth)
    {
        var texts = document.Provisions.SelectMany(p => p.Paragraphs.Select(q => q.Text).Append(p.Heading).Append(p.Citation)).Append(document.Title);
        if (texts.Any(t => t.Contains(canaryToken, StringComparison.Ordinal)))
            return Finding("external entity: the content of a local file named in the input appears in the document", "external entity resolved", elapsed, growth);
        return new FuzzOutcome(OutcomeKind.Parsed, $"{document.Format}: {document.Provisions.Count} provisions", elapsed, growth);
    }

    private static FuzzOutcome Finding(string detail, string signature, TimeSpan elapsed, long growth) =>
        new(OutcomeKind.Finding, detail, elapsed, growth) { Signature = signature };

    /// <summary>The programming error behind a rejection, when it was thrown by our code rather than by a library
    /// (a library's internal fault on damaged input is contained by the parser and reported as unreadable input).</summary>
    private static Exception? OurBug(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (ProgrammingErrors.Contains(e.GetType()) && TopFrame(e).StartsWith("LegalRag.", StringComparison.Ordinal)) return e;
        return null;
    }

    /// <summary>The first method outside the base class library on the stack, as Type.Method: whose code threw
    /// (an index out of range thrown by List&lt;T&gt; is the fault of the caller that passed the index).</summary>
    private static string TopFrame(Exception exception)
    {
        var methods = new StackTrace(exception, fNeedFileInfo: false).GetFrames().Select(f => f.GetMethod()).OfType<System.Reflection.MethodBase>().ToList();
        var culprit = methods.FirstOrDefault(m => m.DeclaringType?.FullName is { } name
            && !name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.", StringComparison.Ordinal)) ?? methods.FirstOrDefault();
        return culprit is null ? "?" : $"{culprit.DeclaringType?.FullName}.{culprit.Name}";
    }
}
