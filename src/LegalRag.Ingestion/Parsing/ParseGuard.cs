namespace LegalRag.Ingestion.Parsing;

/// <summary>
/// Runs a synchronous parse so that any unexpected fault in a library (OpenXml, AngleSharp, XmlReader)
/// becomes a <see cref="DocumentRejectedException"/> naming the format: one bad file is one file's
/// problem. Rejections and cancellation pass through unchanged.
/// </summary>
public static class ParseGuard
{
    public static Task<T> Run<T>(string formatName, Func<T> parse, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(parse());
        }
        catch (DocumentRejectedException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new DocumentRejectedException($"the {formatName} could not be read: {ex.Message}", ex);
        }
    }
}
