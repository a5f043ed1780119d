using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LegalRag.Storage.Qdrant;

/// <summary>
/// Deterministic identities of everything this store writes, so re-ingesting a document overwrites
/// its points instead of adding copies. Point ids are RFC 4122 version-5 UUIDs (SHA-1 of a fixed
/// namespace and a name such as "corpus|provisionKey|chunkOrdinal"); the chunk ids handed to callers
/// (<c>ChunkHit.ChunkId</c>, a long) are the first 63 bits of the same hash.
/// </summary>
public static class PointIds
{
    /// <summary>This project's namespace for v5 UUIDs. Changing it re-keys every stored point.</summary>
    public static readonly Guid Namespace = new("5f0c8d1e-3b7a-4c52-9e61-0a4d2b8f7c13");

    public static Guid Chunk(string corpus, string provisionKey, int ordinal) =>
        UuidV5(Namespace, ChunkName(corpus, provisionKey, ordinal));

    /// <summary>The chunk id as stored in the <c>chunk_id</c> payload field: non-negative, stable across runs.</summary>
    public static long ChunkId(string corpus, string provisionKey, int ordinal)
    {
        Span<byte> hash = stackalloc byte[20];
        HashName(Namespace, ChunkName(corpus, provisionKey, ordinal), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash) & long.MaxValue;
    }

    public static Guid Provision(string corpus, string provisionKey) => UuidV5(Namespace, $"{corpus}|{provisionKey}|provision");

    public static Guid Document(string corpus, string sourcePath) => UuidV5(Namespace, $"{corpus}|document|{sourcePath}");

    public static Guid Corpus(string corpus) => UuidV5(Namespace, $"{corpus}|corpus");

    private static string ChunkName(string corpus, string provisionKey, int ordinal) =>
        $"{corpus}|{provisionKey}|{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>RFC 4122 §4.3 name-based UUID with SHA-1 (version 5).</summary>
    public static Guid UuidV5(Guid namespaceId, string name)
    {
        Span<byte> hash = stackalloc byte[20];
        HashName(namespaceId, name, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    private static void HashName(Guid namespaceId, string name, Span<byte> hash)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input.AsSpan(0, 16), bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        SHA1.HashData(input, hash);
    }
}
