using System.IO.Compression;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Sources.Common;

/// <summary>
/// Reads the files out of a downloaded zip (GII's per-act <c>xml.zip</c>, EUR-Lex's Formex packages) with explicit
/// limits, because a publisher's archive is input like any other: a truncated zip, an entry whose name climbs out of
/// its folder, or a bomb ends in a <see cref="SourceContentException"/> naming the item and the reason.
/// </summary>
public static class SafeZip
{
    /// <summary>More entries than this in one item's archive is not a statute package.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The entries whose name <paramref name="take"/> accepts, as (entry name, bytes).</summary>
    /// <param name="label">How errors name the archive ("de-gii bgb (https://…/bgb/xml.zip)").</param>
    public static IReadOnlyList<(string Name, byte[] Content)> Extract(string zipPath, string label, Func<string, bool> take, IngestionLimits limits)
    {
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            if (archive.Entries.Count > MaxEntries)
                throw new SourceContentException($"{label}: the archive holds {archive.Entries.Count:N0} entries, over the limit of {MaxEntries:N0}");
            var result = new List<(string, byte[])>();
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue; // a folder entry
                var name = CheckedName(entry.FullName, label);
                if (!take(name)) continue;
                if (entry.Length > limits.MaxFileBytes)
                    throw new SourceContentException($"{label}: entry '{name}' is {entry.Length:N0} bytes, over the limit of {limits.MaxFileBytes:N0}");
                if (entry.CompressedLength > 0 && (double)entry.Length / entry.CompressedLength > limits.MaxCompressionRatio)
                    throw new SourceContentException($"{label}: entry '{name}' expands {entry.Length / (double)entry.CompressedLength:F0}-fold, over the limit of {limits.MaxCompressionRatio:F0} (a zip bomb?)");
                total += entry.Length;
                if (total > limits.MaxUncompressedBytes)
                    throw new SourceContentException($"{label}: the archive expands to more than {limits.MaxUncompressedBytes:N0} bytes");
                using var stream = entry.Open();
                using var buffer = new MemoryStream((int)Math.Min(entry.Length, int.MaxValue));
                // The declared length can lie; never read past it (plus one byte, to notice the lie).
                var copied = CopyAtMost(stream, buffer, entry.Length + 1);
                if (copied != entry.Length)
                    throw new SourceContentException($"{label}: entry '{name}' holds {copied:N0} bytes, not the {entry.Length:N0} its header states");
                result.Add((name, buffer.ToArray()));
            }
            return result;
        }
        catch (InvalidDataException ex)
        {
            throw new SourceContentException($"{label}: not a readable zip archive (truncated or damaged): {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new SourceContentException($"{label}: the archive cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>An entry name as a safe relative path: no rooted names, no "..", no drive letters.</summary>
    public static string CheckedName(string entryName, string label)
    {
        var name = entryName.Replace('\\', '/');
        if (name.StartsWith('/') || name.Contains(':') || name.Split('/').Any(part => part is ".." or "."))
            throw new SourceContentException($"{label}: entry '{entryName}' would be written outside its folder (path traversal); the archive is refused");
        return name;
    }

    private static long CopyAtMost(Stream source, Stream destination, long limit)
    {
        var buffer = new byte[81920];
        long total = 0;
        while (total < limit)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total));
            if (read == 0) break;
            destination.Write(buffer, 0, read);
            total += read;
        }
        return total;
    }
}
