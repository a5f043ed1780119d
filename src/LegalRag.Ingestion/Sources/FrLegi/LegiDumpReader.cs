using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Xml;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources.Common;

namespace LegalRag.Ingestion.Sources.FrLegi;

/// <summary>
/// Streams one LEGI archive (.tar.gz) entry by entry, never holding the archive itself: the full dump is over a gigabyte
/// and expands tenfold. Keeps the article files of the chosen texts (every version: each is its own LEGIARTI id), the
/// text version records the parser makes documents of, and the deletion list's entries for those texts.
/// </summary>
internal static class LegiDumpReader
{
    public const string DeletionListName = "liste_suppression_legi.dat";

    private const int CopyBufferBytes = 81920;

    private sealed record Kept(string Folder, DateTimeOffset Modified, byte[] Content);

    public static async Task<UnpackedItem> ReadAsync(string archivePath, string label, LegiSelection selection, IngestionLimits limits, CancellationToken cancellationToken)
    {
        var kept = new Dictionary<string, Kept>(StringComparer.Ordinal);
        var deletions = new List<string>();
        long entries = 0, keptBytes = 0;
        try
        {
            await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var counted = new CountingStream(gzip);
            await using var tar = new TarReader(counted);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (++entries > selection.MaxEntries)
                    throw new SourceContentException($"{label}: the archive holds more than {selection.MaxEntries:N0} entries (option maxEntries); it is not a LEGI dump");
                // "tar -C dir ." writes "./legi/…": the leading "./" names the archive's root, nothing else does.
                var name = SafeZip.CheckedName(entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name, label);
                if (name.Length == 0) continue;
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)) continue;
                if (name.EndsWith("/" + DeletionListName, StringComparison.Ordinal) || name == DeletionListName)
                {
                    var list = await ReadDataAsync(entry, name, label, limits.MaxFileBytes, cancellationToken).ConfigureAwait(false);
                    deletions.AddRange(Encoding.UTF8.GetString(list).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                    continue;
                }
                if (LegiArchivePath.Parse(name) is not { Kind: not LegiFileKind.Other } path || !selection.Takes(path)) continue;

                var content = await ReadDataAsync(entry, name, label, limits.MaxFileBytes, cancellationToken).ConfigureAwait(false);
                // A code's version record holds only its title and dates: the parser refuses it, so it is not kept.
                if (path.Kind == LegiFileKind.TextVersion && !HoldsTextParts(content, limits)) continue;
                // One archive can hold the same file twice (a text being moved between dossiers): the newer copy wins.
                if (kept.TryGetValue(path.RelativePath, out var earlier))
                {
                    if (earlier.Modified > entry.ModificationTime) continue;
                    keptBytes -= earlier.Content.Length;
                }
                keptBytes += content.Length;
                if (keptBytes > selection.MaxUnpackedBytes)
                    throw new SourceContentException($"{label}: the chosen texts' files exceed {selection.MaxUnpackedBytes / (1024 * 1024):N0} MiB (option maxUnpackedMiB); choose fewer texts or raise the limit");
                kept[path.RelativePath] = new Kept(path.Folder, entry.ModificationTime, content);
            }
            // The tar's end can fall before the gzip's: read the rest, so a corrupt tail is seen here, not ignored.
            await DrainAsync(counted, cancellationToken).ConfigureAwait(false);
            // GZipStream takes a stream that stops early (the trailer or the last blocks cut off) for a finished one; the
            // trailer's size (the expanded length, mod 2^32, of the one gzip member DILA writes) shows such a cut.
            var stated = TrailerSize(file);
            if (stated != (uint)counted.BytesRead)
                throw new SourceContentException($"{label}: the archive is truncated or damaged: it expands to {counted.BytesRead:N0} bytes, but its gzip trailer states {stated:N0} (mod 2^32)");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or IOException and not (FileNotFoundException or DirectoryNotFoundException))
        {
            throw new SourceContentException($"{label}: not a readable tar.gz archive (truncated or damaged) after {entries:N0} entries: {ex.Message}", ex);
        }

        var removed = new List<string>();
        foreach (var line in deletions)
        {
            if (LegiArchivePath.Parse(line.Trim().Replace('\\', '/')) is not { Kind: not LegiFileKind.Other } gone || !selection.Takes(gone)) continue;
            if (kept.TryGetValue(gone.RelativePath, out var copy))
            {
                // The same archive brought this file under another dossier: the deletion is of the old place, the file stays.
                if (copy.Folder != gone.Folder) continue;
                kept.Remove(gone.RelativePath);
            }
            removed.Add(gone.RelativePath);
        }
        var files = kept.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new UnpackedFile(k.Key, k.Value.Content)).ToList();
        return new UnpackedItem(files, removed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    private static async Task<byte[]> ReadDataAsync(TarEntry entry, string name, string label, long maxBytes, CancellationToken cancellationToken)
    {
        if (entry.Length > maxBytes)
            throw new SourceContentException($"{label}: entry '{name}' is {entry.Length:N0} bytes, over the limit of {maxBytes:N0}");
        if (entry.DataStream is not { } data) return [];
        using var buffer = new MemoryStream((int)entry.Length);
        var chunk = new byte[CopyBufferBytes];
        while (buffer.Length < entry.Length)
        {
            var read = await data.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, entry.Length - buffer.Length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new SourceContentException($"{label}: entry '{name}' ends after {buffer.Length:N0} of its {entry.Length:N0} bytes: the archive is truncated or damaged");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The last four bytes of a gzip file: ISIZE, the expanded length mod 2^32 (RFC 1952).</summary>
    private static uint TrailerSize(FileStream file)
    {
        Span<byte> isize = stackalloc byte[4];
        if (file.Length < 4 || RandomAccess.Read(file.SafeFileHandle, isize, file.Length - 4) != 4) return uint.MaxValue;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(isize);
    }

    /// <summary>Counts the bytes read through it (the expanded length of the archive).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Counted(int read)
        {
            BytesRead += read;
            return read;
        }
    }

    private static async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var chunk = new byte[CopyBufferBytes];
        while (await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) > 0) { }
    }

    /// <summary>
    /// True when a text version record has visas, signatures, travaux préparatoires or a nota with text: what the
    /// parser makes a document of. An unreadable record is kept, so that ingestion names it and says why.
    /// </summary>
    private static bool HoldsTextParts(byte[] content, IngestionLimits limits)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), XmlParser.SafeSettings(limits));
            reader.MoveToContent();
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1) continue;
                if (reader.LocalName is not ("VISAS" or "SIGNATAIRES" or "TP" or "NOTA")) continue;
                using var part = reader.ReadSubtree();
                if (!string.IsNullOrWhiteSpace(System.Xml.Linq.XElement.Load(part).Value)) return true;
            }
            return false;
        }
        catch (XmlException)
        {
            return true;
        }
    }
}
