using System.IO.Compression;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>
/// Measures a page's drawing instructions (its content streams, decoded) before PdfPig interprets them. PdfPig builds
/// every letter of a page before anything can look at them, so a page of megabytes of repeated text operators costs
/// gigabytes of heap (the fuzzer's 8 MB page: about 1.5 GB for 9 s) before the letter cap could refuse it. The largest
/// page among the 70 Federal Law Gazette PDFs and the samples in <c>../shared</c> (554 pages) decodes to 1.7 MB
/// (median 17 KB), so <see cref="MaxPageContentBytes"/> leaves more than twice that room.
/// </summary>
internal static class PdfPageContentBudget
{
    /// <summary>Decoded content-stream bytes a page may have before its text layer is skipped.</summary>
    public const long MaxPageContentBytes = 4L * 1024 * 1024;

    /// <summary>Page-tree nodes visited at most, and their depth: a hostile tree may be a cycle or a chain.</summary>
    private const int MaxTreeNodes = 100_000, MaxTreeDepth = 64;

    /// <summary>
    /// The decoded size of each page's content streams, in page order, counted up to just above the budget (a
    /// compressed stream is inflated into a counter, never into memory whole). Null when the page tree cannot be read
    /// this way; PdfPig's own reading then decides.
    /// </summary>
    public static IReadOnlyList<long>? PageContentSizes(PdfDocument document)
    {
        try
        {
            IToken Resolve(IToken token) => token is IndirectReferenceToken r ? document.Structure.GetObject(r.Data).Data : token;
            if (!document.Structure.Catalog.CatalogDictionary.TryGet(NameToken.Pages, out var root) || Resolve(root) is not DictionaryToken rootNode)
                return null;
            var sizes = new List<long>();
            var visited = 0;
            void Walk(DictionaryToken node, int depth)
            {
                if (++visited > MaxTreeNodes || depth > MaxTreeDepth) throw new InvalidDataException("page tree too large or cyclic");
                if (node.TryGet(NameToken.Kids, out var kids) && Resolve(kids) is ArrayToken children)
                {
                    foreach (var child in children.Data)
                        if (Resolve(child) is DictionaryToken c) Walk(c, depth + 1);
                    return;
                }
                sizes.Add(node.TryGet(NameToken.Contents, out var contents) ? ContentSize(Resolve(contents), Resolve) : 0);
            }
            Walk(rootNode, 0);
            return sizes;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static long ContentSize(IToken contents, Func<IToken, IToken> resolve)
    {
        var streams = contents is ArrayToken array ? array.Data.Select(resolve) : [contents];
        long total = 0;
        foreach (var stream in streams.OfType<StreamToken>())
        {
            total += DecodedSize(stream, MaxPageContentBytes + 1 - total);
            if (total > MaxPageContentBytes) break;
        }
        return total;
    }

    /// <summary>Flate streams are inflated into a counter up to <paramref name="limit"/>; other filters count their
    /// encoded length (ASCII hex and run-length shrink or barely grow; LZW is rare in content streams).</summary>
    private static long DecodedSize(StreamToken stream, long limit)
    {
        var raw = stream.Data;
        if (!IsFlateOnly(stream.StreamDictionary)) return raw.Length;
        try
        {
            using var inflate = new ZLibStream(new MemoryStream(raw.ToArray(), writable: false), CompressionMode.Decompress);
            var buffer = new byte[64 * 1024];
            long size = 0;
            int n;
            while (size <= limit && (n = inflate.Read(buffer)) > 0) size += n;
            return size;
        }
        catch (InvalidDataException)
        {
            return raw.Length; // a broken stream: PdfPig's reading reports it
        }
    }

    private static bool IsFlateOnly(DictionaryToken dictionary)
    {
        if (!dictionary.TryGet(NameToken.Filter, out var filter)) return false;
        return filter switch
        {
            NameToken name => name.Data is "FlateDecode" or "Fl",
            ArrayToken { Length: 1 } one => one[0] is NameToken { Data: "FlateDecode" or "Fl" },
            _ => false,
        };
    }
}
