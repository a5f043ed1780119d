namespace LegalRag.Evaluation.QuestionSets;

internal static class QuestionSetFiles
{
    /// <summary>Opens a file for reading after checking it exists and is within the size bound.</summary>
    public static FileStream OpenBounded(string path, QuestionSetLimits limits) => OpenBounded(path, limits.MaxFileBytes);

    public static FileStream OpenBounded(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new EvalInputException($"{path}: file not found");
        if (info.Length > maxBytes)
            throw new EvalInputException($"{path}: file is {info.Length:N0} bytes, more than the limit of {maxBytes:N0}");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
    }

    public static async Task<byte[]> ReadBoundedAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = OpenBounded(path, maxBytes);
        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }
}
