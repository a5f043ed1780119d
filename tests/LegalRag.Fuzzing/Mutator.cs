using System.Text;

namespace LegalRag.Fuzzing;

/// <summary>The kinds of damage the fuzzer does. The first group is blind byte damage; the rest are the attacks the
/// parsers must withstand by design (deep nesting, huge attributes, entity expansion, external entities, zip bombs,
/// archive path traversal) and structural damage to the containers (parts inside a DOCX, objects inside a PDF).</summary>
public enum MutationKind
{
    Truncate,
    FlipBytes,
    Splice,
    InsertToken,
    RepeatSlice,
    DeepNesting,
    HugeAttribute,
    BillionLaughs,
    ExternalEntity,
    ZipBomb,
    PathTraversal,
    DocxPart,
    PdfStructure,
}

/// <summary>One input for the parsers: the file name decides the extension the registry sees.</summary>
public sealed record FuzzInput(Seed Seed, string FileName, byte[] Bytes, MutationKind Kind, string Mutation);

/// <summary>
/// Makes hostile inputs from seeds. Deterministic for a given <see cref="Random"/>, so a finding is reproduced from
/// its seed number and iteration. <paramref name="canaryPath"/> is a file whose content (<paramref name="canaryToken"/>)
/// must never show up in a parsed document: external entities point at it. <paramref name="traversalToken"/> is put
/// into the names of archive entries that climb out of their folder; no file with that token may ever appear.
/// </summary>
/// <param name="maxRepeatBytes">The most bytes one repeated slice may add (8 MB in long runs; CI uses less to stay
/// quick: a page over the PDF parser's content budget goes to OCR, which takes seconds).</param>
public sealed class Mutator(string canaryPath, string canaryToken, string traversalToken, int maxRepeatBytes = 8 * 1024 * 1024)
{
    private static readonly string[] Tokens =
    [
        "<", ">", "&", "&amp;", "&#0;", "&#xD800;", "&#1114112;", "&unknown;", "]]>", "<![CDATA[", "<!--", "-->", "<?", "?>", "\"", "'",
        "\0", "\uFFFE", "\uFEFF", "\u202E", "\u0085", "\u2028", "\r", "\r\n\r\n", "\t", "§", "§§", "§ 99999999999999999999", "Art. 1e308",
        "Artikel 4294967296", "(99999999999)", "Abs. -1", "1.", "a)", "|", "| --- |", "# ", "\n#### § 1\n", "\n\n---\n", "[^1]:", ":   ",
        "%PDF-", "PK\u0003\u0004", "<w:p>", "</w:body>", "<norm>", "<article>", "xmlns=\"urn:x\"", "xml:lang=\"\"", "\U0001F600",
    ];

    /// <summary>Bytes that are not UTF-8 at all: a lone surrogate encoded (ED A0 80), an overlong slash, stray continuation bytes.</summary>
    private static readonly byte[][] InvalidUtf8 = [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80, 0x80], [0xFF, 0xFE, 0x00], [0xF4, 0x90, 0x80, 0x80]];

    /// <summary>Bytes that end or start structure in one format or another.</summary>
    private static readonly byte[] Delimiters = [0, 0xFF, (byte)'<', (byte)'>', (byte)'&', (byte)'"', (byte)'\'', (byte)'/', (byte)'[', (byte)']', (byte)'(', (byte)')', (byte)'#', (byte)'\n', (byte)'%'];

    private readonly Dictionary<string, byte[]> _bombCache = new(StringComparer.Ordinal);

    public static bool IsXmlLike(Seed seed) => seed.Extension is ".xml" or ".html" or ".htm" or ".xhtml";

    public static IReadOnlyList<MutationKind> Applicable(Seed seed)
    {
        List<MutationKind> kinds = [MutationKind.Truncate, MutationKind.FlipBytes, MutationKind.Splice, MutationKind.InsertToken, MutationKind.RepeatSlice];
        if (seed.Extension == ".docx") kinds.AddRange([MutationKind.DocxPart, MutationKind.DeepNesting, MutationKind.HugeAttribute,
            MutationKind.BillionLaughs, MutationKind.ExternalEntity, MutationKind.ZipBomb, MutationKind.PathTraversal]);
        else if (seed.Extension == ".pdf") kinds.AddRange([MutationKind.PdfStructure, MutationKind.DeepNesting, MutationKind.HugeAttribute]);
        else if (IsXmlLike(seed)) kinds.AddRange([MutationKind.DeepNesting, MutationKind.HugeAttribute, MutationKind.BillionLaughs, MutationKind.ExternalEntity]);
        else kinds.AddRange([MutationKind.DeepNesting, MutationKind.HugeAttribute]);
        return kinds;
    }

    /// <summary>How many fixed variants <see cref="Mutate"/> has for a kind (a random one is picked when fuzzing;
    /// the scenario pass runs each of them once per seed).</summary>
    public static int Variants(MutationKind kind) => kind switch
    {
        MutationKind.DeepNesting => 4,
        MutationKind.HugeAttribute => 3,
        MutationKind.BillionLaughs => 4,
        MutationKind.ExternalEntity => 5,
        MutationKind.ZipBomb => 4,
        MutationKind.PathTraversal => 5,
        MutationKind.PdfStructure => 6,
        _ => 1,
    };

    public FuzzInput Mutate(Seed seed, MutationKind kind, int variant, Random random)
    {
        var (bytes, what) = kind switch
        {
            MutationKind.Truncate => Truncate(seed.Bytes, random),
            MutationKind.FlipBytes => FlipBytes(seed.Bytes, random),
            MutationKind.Splice => Splice(seed.Bytes, random),
            MutationKind.InsertToken => InsertToken(seed.Bytes, random),
            MutationKind.RepeatSlice => RepeatSlice(seed.Bytes, random),
            MutationKind.DocxPart => InDocxPart(seed.Bytes, random, part => Blind(part, random)),
            MutationKind.ZipBomb => ZipBomb(seed, variant),
            MutationKind.PathTraversal => PathTraversal(seed.Bytes, variant),
            MutationKind.PdfStructure => PdfStructure(seed.Bytes, variant, random),
            _ when seed.Extension == ".docx" => InDocxPart(seed.Bytes, random, part => Markup(part, kind, variant, random, ".docx"), "word/document.xml"),
            _ => Markup(seed.Bytes, kind, variant, random, seed.Extension),
        };
        return new FuzzInput(seed, Path.GetFileName(seed.Name), bytes, kind, $"{kind}: {what}");
    }

    /// <summary>Blind damage, used on its own and inside the parts of an archive.</summary>
    private (byte[], string) Blind(byte[] bytes, Random random) => random.Next(5) switch
    {
        0 => Truncate(bytes, random),
        1 => FlipBytes(bytes, random),
        2 => Splice(bytes, random),
        3 => InsertToken(bytes, random),
        _ => RepeatSlice(bytes, random),
    };

    private static (byte[], string) Truncate(byte[] bytes, Random random)
    {
        // Short prefixes are where headers and magic numbers get cut; anywhere else is where structure does.
        var length = random.Next(4) == 0 ? random.Next(Math.Min(bytes.Length, 64) + 1) : random.Next(bytes.Length + 1);
        return (bytes[..length], $"first {length} of {bytes.Length} bytes");
    }

    private static (byte[], string) FlipBytes(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        if (copy.Length == 0) return (copy, "nothing to flip");
        var count = 1 + random.Next(random.Next(2) == 0 ? 4 : 64);
        for (var i = 0; i < count; i++)
        {
            var at = random.Next(copy.Length);
            copy[at] = random.Next(3) switch
            {
                0 => (byte)(copy[at] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => Delimiters[random.Next(Delimiters.Length)],
            };
        }
        return (copy, $"{count} bytes changed");
    }

    private static (byte[], string) Splice(byte[] bytes, Random random)
    {
        if (bytes.Length < 2) return (bytes, "too short to splice");
        var start = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(bytes.Length - start, 4096) + 1);
        switch (random.Next(3))
        {
            case 0:
                return ([.. bytes[..start], .. bytes[(start + length)..]], $"deleted {length} bytes at {start}");
            case 1:
                var to = random.Next(bytes.Length);
                return ([.. bytes[..to], .. bytes.AsSpan(start, length), .. bytes[to..]], $"copied {length} bytes from {start} to {to}");
            default:
                var noise = new byte[random.Next(1, 256)];
                random.NextBytes(noise);
                return ([.. bytes[..start], .. noise, .. bytes[start..]], $"inserted {noise.Length} random bytes at {start}");
        }
    }

    private static (byte[], string) InsertToken(byte[] bytes, Random random)
    {
        var count = 1 + random.Next(8);
        var result = bytes;
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            byte[] token;
            if (random.Next(6) == 0)
            {
                token = InvalidUtf8[random.Next(InvalidUtf8.Length)];
                names.Add("invalid UTF-8 " + Convert.ToHexString(token));
            }
            else
            {
                var text = Tokens[random.Next(Tokens.Length)];
                token = Encoding.UTF8.GetBytes(text);
                names.Add(Printable(text));
            }
            var at = random.Next(result.Length + 1);
            result = [.. result[..at], .. token, .. result[at..]];
        }
        return (result, "inserted " + string.Join(", ", names));
    }

    /// <summary>One slice repeated many times: thousands of headings, provisions, table rows or list items.</summary>
    private (byte[], string) RepeatSlice(byte[] bytes, Random random)
    {
        if (bytes.Length == 0) return (bytes, "nothing to repeat");
        var start = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(bytes.Length - start, 512) + 1);
        var times = Math.Max(2, Math.Min(random.Next(2) == 0 ? 1000 : 100_000, maxRepeatBytes / length));
        var repeated = new byte[length * times];
        for (var i = 0; i < times; i++) Array.Copy(bytes, start, repeated, i * length, length);
        return ([.. bytes[..start], .. repeated, .. bytes[start..]], $"{length} bytes at {start} repeated {times} times");
    }

    /// <summary>The attacks on markup (and on the plain-text formats, whose version of nesting is a deep quote or list).</summary>
    private (byte[], string) Markup(byte[] bytes, MutationKind kind, int variant, Random random, string extension = ".xml")
    {
        var text = Encoding.UTF8.GetString(bytes);
        var markup = extension is ".xml" or ".html" or ".htm" or ".xhtml" or ".docx";
        var pdf = extension == ".pdf";
        variant %= Variants(kind);
        switch (kind)
        {
            case MutationKind.DeepNesting when pdf:
                // PDF objects nest in arrays and dictionaries; a reader that recurses on them overflows its stack.
                var arrays = variant switch { 0 => 1_000, 1 => 100_000, 2 => 1_000_000, _ => 10_000 };
                var open = variant == 3 ? Repeat("<< /A ", arrays) : Repeat("[", arrays);
                return (Replace(bytes, "/MediaBox", $"/Deep {open} /MediaBox"), $"{arrays} nested {(variant == 3 ? "dictionaries" : "arrays")} in a page");
            case MutationKind.DeepNesting when markup:
            {
                var depth = variant switch { 0 => 300, 1 => 10_000, 2 => 200_000, _ => 5_000 };
                var (openTag, closeTag) = extension == ".docx"
                    ? ("<w:tbl><w:tr><w:tc>", "<w:p/></w:tc></w:tr></w:tbl>")
                    : variant == 3 ? ("<b><i>", "") : ("<div>", "</div>");
                var at = AfterRootStart(text);
                var nested = Repeat(openTag, depth) + "Tief" + (variant == 3 ? "" : Repeat(closeTag, depth));
                return (Encoding.UTF8.GetBytes(text.Insert(at, nested)), $"{depth} nested {openTag}{(variant == 3 ? " never closed" : "")}");
            }
            case MutationKind.DeepNesting:
            {
                var depth = variant switch { 0 => 1_000, 1 => 100_000, 2 => 1_000_000, _ => 50_000 };
                var line = variant switch
                {
                    0 or 1 => Repeat("> ", depth) + "§ 1 Tief\n",
                    2 => Repeat("#", depth) + " § 1 Tief\n",
                    _ => string.Concat(Enumerable.Range(0, 2_000).Select(i => new string(' ', i * 4 % 8_000) + "- Punkt\n")),
                };
                var at = random.Next(text.Length + 1);
                return (Encoding.UTF8.GetBytes(text.Insert(at, "\n" + line)), $"nesting depth {depth} at {at}");
            }
            case MutationKind.HugeAttribute when markup || pdf:
            {
                var size = variant switch { 0 => 64 * 1024, 1 => 8 * 1024 * 1024, _ => 30 * 1024 * 1024 };
                if (pdf) return (Replace(bytes, "/MediaBox", $"/Huge ({new string('A', size)}) /MediaBox"), $"{size:N0}-byte string in a page dictionary");
                var at = InRootStart(text);
                var value = variant == 2 ? Repeat("&amp;", size / 5) : new string('A', size);
                return (Encoding.UTF8.GetBytes(text.Insert(at, $" huge=\"{value}\" many{string.Concat(Enumerable.Range(0, 2_000).Select(i => $" a{i}=\"{i}\""))}")),
                    $"{size:N0}-byte attribute and 2,000 more on the root");
            }
            case MutationKind.HugeAttribute:
            {
                var size = variant switch { 0 => 64 * 1024, 1 => 8 * 1024 * 1024, _ => 30 * 1024 * 1024 };
                var at = random.Next(text.Length + 1);
                var line = variant == 0 ? "\n#### § 1 " + new string('x', size) + "\n" : new string('x', size);
                return (Encoding.UTF8.GetBytes(text.Insert(at, line)), $"{size:N0}-character line without a break");
            }
            case MutationKind.BillionLaughs:
            {
                var (doctype, reference) = variant switch
                {
                    // The classic: ten levels of ten references, 10^9 "lol"s if expanded.
                    0 => (Laughs(RootName(text), publisherId: null), "&lol9;"),
                    // The same behind the DOCTYPE a publisher's files carry, which the reader is told to skip.
                    1 => (Laughs(RootName(text), PublisherDoctype(text)), "&lol9;"),
                    // Quadratic blow-up: one big entity, referenced many times (no nesting for a depth limit to catch).
                    2 => ($"<!DOCTYPE {RootName(text)} [<!ENTITY big \"{new string('B', 100_000)}\">]>", Repeat("&big;", 10_000)),
                    // A parameter entity that refers to itself.
                    _ => ($"<!DOCTYPE {RootName(text)} [<!ENTITY % a \"&#37;a;\"> %a;]>", ""),
                };
                return (WithDoctype(text, doctype, reference), $"entity expansion variant {variant}");
            }
            case MutationKind.ExternalEntity:
            {
                var file = "file://" + canaryPath;
                var root = RootName(text);
                var (doctype, reference) = variant switch
                {
                    0 => ($"<!DOCTYPE {root} [<!ENTITY xxe SYSTEM \"{file}\">]>", "&xxe;"),
                    1 => ($"<!DOCTYPE {root} [<!ENTITY % p SYSTEM \"{file}\"> %p;]>", ""),
                    2 => ($"<!DOCTYPE {root} SYSTEM \"{file}\">", ""),
                    // Behind a publisher DOCTYPE (the one kind the reader lets through unread).
                    3 => (PublisherDoctype(text) is { } id ? $"<!DOCTYPE {root} {id} [<!ENTITY xxe SYSTEM \"{file}\">]>" : $"<!DOCTYPE {root} PUBLIC \"-//x//y\" \"{file}\">", "&xxe;"),
                    // Network: nothing may be fetched (a closed loopback port answers at once, so a fetch would show as a quick failure, not a hang).
                    _ => ($"<!DOCTYPE {root} [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/{canaryToken}\">]>", "&xxe;<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + file + "\" parse=\"text\"/>"),
                };
                return (WithDoctype(text, doctype, reference), $"external entity variant {variant}");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a markup mutation");
        }
    }

    private static string Laughs(string root, string? publisherId)
    {
        var entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (var i = 1; i <= 9; i++)
            entities.Append($"<!ENTITY lol{i} \"{Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10)}\">");
        return $"<!DOCTYPE {root}{(publisherId is null ? "" : " " + publisherId)} [{entities}]>";
    }

    /// <summary>The external id of a DOCTYPE the seed already has (SYSTEM "…gii-norm.dtd"), kept so the parser's
    /// publisher check sees what it expects.</summary>
    private static string? PublisherDoctype(string text)
    {
        var start = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (start < 0) return null;
        var system = text.IndexOf("SYSTEM", start, StringComparison.Ordinal);
        var publicId = text.IndexOf("PUBLIC", start, StringComparison.Ordinal);
        var from = system >= 0 ? system : publicId;
        var end = text.IndexOf('>', start);
        if (from < 0 || end < from) return null;
        var id = text[from..end].TrimEnd();
        var subset = id.IndexOf('[');
        return subset >= 0 ? id[..subset].TrimEnd() : id;
    }

    /// <summary>The text with its DOCTYPE (if any) replaced by <paramref name="doctype"/>, and <paramref name="reference"/>
    /// as the root's first content.</summary>
    private static byte[] WithDoctype(string text, string doctype, string reference)
    {
        var existing = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (existing >= 0)
        {
            var end = text.IndexOf('>', existing);
            var subsetEnd = text.IndexOf("]>", existing, StringComparison.Ordinal);
            if (text.IndexOf('[', existing) is var open && open >= 0 && open < end && subsetEnd > 0) end = subsetEnd + 1;
            text = text.Remove(existing, end - existing + 1);
        }
        var rootAt = AfterRootStart(text);
        text = text.Insert(rootAt, reference);
        var declarationEnd = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
        return Encoding.UTF8.GetBytes(text.Insert(declarationEnd, doctype));
    }

    private static int RootStart(string text)
    {
        for (var i = text.IndexOf('<'); i >= 0 && i + 1 < text.Length; i = text.IndexOf('<', i + 1))
            if (char.IsLetter(text[i + 1])) return i;
        return -1;
    }

    private static string RootName(string text)
    {
        var start = RootStart(text);
        if (start < 0) return "root";
        var end = start + 1;
        while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is ':' or '-' or '_' or '.')) end++;
        return text[(start + 1)..end];
    }

    /// <summary>Just after the root element's start tag (at the end when there is none).</summary>
    private static int AfterRootStart(string text)
    {
        var start = RootStart(text);
        if (start < 0) return text.Length;
        var end = text.IndexOf('>', start);
        if (end < 0) return text.Length;
        // A self-closed root takes no content: open it instead.
        return text[end - 1] == '/' ? end - 1 : end + 1;
    }

    /// <summary>Inside the root element's start tag, where an attribute goes.</summary>
    private static int InRootStart(string text)
    {
        var start = RootStart(text);
        if (start < 0) return 0;
        var end = text.IndexOf('>', start);
        if (end < 0) return text.Length;
        return text[end - 1] == '/' ? end - 1 : end;
    }

    /// <summary>Applies <paramref name="damage"/> to one part of a DOCX (a random one unless named) and zips it again.</summary>
    private static (byte[], string) InDocxPart(byte[] docx, Random random, Func<byte[], (byte[], string)> damage, string? partName = null)
    {
        var entries = SeedCorpus.Unzip(docx) ?? throw new InvalidOperationException("the DOCX seed is no readable zip");
        var xmlParts = entries.Select((e, i) => (e.Name, Index: i)).Where(e => e.Name.EndsWith(".xml", StringComparison.Ordinal) || e.Name.EndsWith(".rels", StringComparison.Ordinal)).ToList();
        var target = partName is null ? xmlParts[random.Next(xmlParts.Count)].Index : entries.FindIndex(e => e.Name == partName);
        var (content, what) = damage(entries[target].Content);
        entries[target] = (entries[target].Name, content);
        return (SeedCorpus.Zip(entries), $"{entries[target].Name}: {what}");
    }

    /// <summary>Archives that unpack to far more than they hold.</summary>
    private (byte[], string) ZipBomb(Seed seed, int variant)
    {
        var key = $"{seed.Name}#{variant}";
        if (_bombCache.TryGetValue(key, out var cached)) return (cached, BombName(variant));
        var entries = SeedCorpus.Unzip(seed.Bytes) ?? throw new InvalidOperationException("the DOCX seed is no readable zip");
        byte[] bomb;
        switch (variant % Variants(MutationKind.ZipBomb))
        {
            case 0:
                // The main part itself: 200 MB of spaces inside the body (well-formed XML, about 1000:1).
                var index = entries.FindIndex(e => e.Name == "word/document.xml");
                var document = Encoding.UTF8.GetString(entries[index].Content);
                var body = document.IndexOf("</w:body>", StringComparison.Ordinal);
                var head = Encoding.UTF8.GetBytes(document[..body]);
                var tail = Encoding.UTF8.GetBytes(document[body..]);
                var padded = new byte[head.Length + 200 * 1024 * 1024 + tail.Length];
                head.CopyTo(padded, 0);
                padded.AsSpan(head.Length, 200 * 1024 * 1024).Fill((byte)' ');
                tail.CopyTo(padded, padded.Length - tail.Length);
                entries[index] = (entries[index].Name, padded);
                bomb = SeedCorpus.Zip(entries, System.IO.Compression.CompressionLevel.Optimal);
                break;
            case 1:
                // Many entries each just under the size where the ratio is checked, together far over the total.
                var block = new byte[1024 * 1024 - 1];
                bomb = SeedCorpus.Zip([.. entries, .. Enumerable.Range(0, 300).Select(i => ($"word/media/pad{i}.bin", block))], System.IO.Compression.CompressionLevel.Optimal);
                break;
            case 2:
                // More entries than any document has.
                bomb = SeedCorpus.Zip([.. entries, .. Enumerable.Range(0, 20_000).Select(i => ($"customXml/item{i}.xml", Array.Empty<byte>()))]);
                break;
            default:
                // A bomb inside the archive: nothing unpacks nested archives, so this one must cost nothing.
                var inner = SeedCorpus.Zip([("inner.bin", new byte[64 * 1024 * 1024])], System.IO.Compression.CompressionLevel.Optimal);
                bomb = SeedCorpus.Zip([.. entries, ("word/embeddings/inner.zip", inner)]);
                break;
        }
        _bombCache[key] = bomb;
        return (bomb, BombName(variant));
    }

    private static string BombName(int variant) => (variant % Variants(MutationKind.ZipBomb)) switch
    {
        0 => "document.xml padded to 200 MB (ratio ~1000)",
        1 => "300 entries of 1 MB of zeros (each under the ratio floor)",
        2 => "20,000 entries",
        _ => "a zip of 64 MB of zeros inside the archive",
    };

    /// <summary>Entry names that climb out of the archive, absolute ones, backslashes, and duplicates of the main part.</summary>
    private (byte[], string) PathTraversal(byte[] docx, int variant)
    {
        var entries = SeedCorpus.Unzip(docx) ?? throw new InvalidOperationException("the DOCX seed is no readable zip");
        var evil = Encoding.UTF8.GetBytes($"<x>{traversalToken}</x>");
        var main = entries.FindIndex(e => e.Name == "word/document.xml");
        switch (variant % Variants(MutationKind.PathTraversal))
        {
            case 0:
                entries.Add(($"../../../../../../tmp/legalrag-fuzz-{traversalToken}.xml", evil));
                entries.Add(($"word/../../legalrag-fuzz-{traversalToken}.xml", evil));
                return (SeedCorpus.Zip(entries), "entries named ../../../tmp/… and word/../../…");
            case 1:
                entries.Add(($"/tmp/legalrag-fuzz-{traversalToken}.xml", evil));
                entries.Add(($"..\\..\\legalrag-fuzz-{traversalToken}.xml", evil));
                return (SeedCorpus.Zip(entries), "absolute and backslash entry names");
            case 2:
                entries[main] = ("word/../word/document.xml", entries[main].Content);
                return (SeedCorpus.Zip(entries), "the main part named word/../word/document.xml");
            case 3:
                entries[main] = ("word\\document.xml", entries[main].Content);
                return (SeedCorpus.Zip(entries), "the main part named with a backslash");
            default:
                entries.Add(("word/document.xml", Encoding.UTF8.GetBytes($"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{traversalToken}</w:t></w:r></w:p></w:body></w:document>")));
                return (SeedCorpus.Zip(entries), "two entries named word/document.xml");
        }
    }

    /// <summary>Damage to the PDF's object structure, which byte flips rarely reach: page trees that loop or lie about
    /// their size, cross-reference offsets past the end, streams whose length is wrong.</summary>
    private static (byte[], string) PdfStructure(byte[] bytes, int variant, Random random) => (variant % Variants(MutationKind.PdfStructure)) switch
    {
        0 => (Replace(bytes, "/Count ", "/Count 2147483647 /Old "), "page tree claims 2^31 pages"),
        1 => (Replace(bytes, "/Kids [", "/Kids [2 0 R 1 0 R "), "page tree lists itself and the catalog as kids"),
        2 => (Replace(bytes, "/Parent 2 0 R", "/Parent 3 0 R"), "a page's parent is a font"),
        3 => (ReplaceLast(bytes, "startxref\n", $"startxref\n{random.Next(int.MaxValue)}\n%"), "startxref points past the end"),
        4 => (Replace(bytes, "/Length ", "/Length 99999999 /Old "), "a stream claims 99,999,999 bytes"),
        _ => (Replace(bytes, "/MediaBox [0 0 595 842]", "/MediaBox [0 0 1e308 -1e308]"), "an absurd page size"),
    };

    private static byte[] Replace(byte[] bytes, string find, string replacement)
    {
        var latin1 = Encoding.Latin1;
        var at = bytes.AsSpan().IndexOf(latin1.GetBytes(find));
        return at < 0 ? bytes : [.. bytes[..at], .. latin1.GetBytes(replacement), .. bytes[(at + latin1.GetByteCount(find))..]];
    }

    private static byte[] ReplaceLast(byte[] bytes, string find, string replacement)
    {
        var latin1 = Encoding.Latin1;
        var at = bytes.AsSpan().LastIndexOf(latin1.GetBytes(find));
        return at < 0 ? bytes : [.. bytes[..at], .. latin1.GetBytes(replacement), .. bytes[(at + latin1.GetByteCount(find))..]];
    }

    private static string Repeat(string text, int times) => new StringBuilder(text.Length * times).Insert(0, text, times).ToString();

    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) || c > '\u007e' ? $"\\u{(int)c:X4}" : c.ToString()));
}
