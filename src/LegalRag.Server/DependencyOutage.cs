using LegalRag.Storage.Qdrant;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LegalRag.Server;

/// <summary>
/// A dependency of a request (Qdrant, the SQLite store) that failed after its own bounded retries. The
/// caller gets a short message and a status it can act on (503 and Retry-After when waiting may help),
/// never a stack trace or an internal address; the operator gets the full reason in the log.
/// </summary>
internal sealed record DependencyOutage(int Status, string Detail)
{
    /// <summary>Seconds a client should wait before asking again after a transient outage.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The outage an exception stands for, or null when it is not a dependency failure.</summary>
    public static DependencyOutage? Of(Exception exception) => exception switch
    {
        QdrantException { IsTransient: true } => new(StatusCodes.Status503ServiceUnavailable,
            "The search index (Qdrant) is not reachable right now; please try again in a moment."),
        QdrantException => new(StatusCodes.Status502BadGateway,
            "The search index (Qdrant) could not serve this request; the operator has been told."),
        // SQLITE_BUSY (5) or SQLITE_LOCKED (6) that outlasted the busy timeout and the driver's retries.
        SqliteException { SqliteErrorCode: 5 or 6 } => new(StatusCodes.Status503ServiceUnavailable,
            "The legal store is busy right now; please try again in a moment."),
        _ => null,
    };

    /// <summary>Turns a dependency failure below it into a problem response; other exceptions pass on.</summary>
    public static async Task HandleAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (Of(ex) is { } outage && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.DependencyFailed(ex, context.Request.Path, ex.Message);
            context.Response.Clear();
            if (outage.Status == StatusCodes.Status503ServiceUnavailable)
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Results.Problem(detail: outage.Detail, statusCode: outage.Status).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
