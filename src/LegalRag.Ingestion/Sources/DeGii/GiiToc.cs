using System.Xml;
using LegalRag.Ingestion.Parsing;

namespace LegalRag.Ingestion.Sources.DeGii;

/// <summary>One entry of the Gesetze im Internet index: the act's folder name on the server ("bgb") and its long title.</summary>
internal sealed record GiiTocEntry(string Slug, string Title);

/// <summary>
/// Reads the publisher's index of all acts, <c>gii-toc.xml</c> (gii-toc.dtd 1.0:
/// <c>&lt;items&gt;&lt;item&gt;&lt;title/&gt;&lt;link&gt;http://www.gesetze-im-internet.de/&lt;slug&gt;/xml.zip&lt;/link&gt;&lt;/item&gt;…</c>).
/// The file is large (1.4 MB, 6,800 items), so it is streamed with an <see cref="XmlReader"/>; its DOCTYPE names the
/// DTD by URL only and is skipped unread (nothing fetched, no entity declared), and the reader has explicit limits.
/// </summary>
internal static class GiiToc
{
    /// <summary>More items than this is not the index of one country's federal law (it lists about 6,800).</summary>
    public const int MaxItems = 100_000;

    /// <summary>A title longer than this is not a title.</summary>
    public const int MaxTitleChars = 4_000;

    /// <param name="label">How errors name the index ("de-gii index https://…/gii-toc.xml").</param>
    public static IReadOnlyList<GiiTocEntry> Read(string path, string label, IngestionLimits limits, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length > limits.MaxFileBytes)
            throw new SourceContentException($"{label}: the index is {length:N0} bytes, over the limit of {limits.MaxFileBytes:N0}");
        var settings = new XmlReaderSettings
        {
            // The index starts with <!DOCTYPE items SYSTEM "http://www.gesetze-im-internet.de/dtd/1.0/gii-toc.dtd">:
            // Ignore skips it (and any internal subset) without resolving anything; no resolver, so nothing is fetched.
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = limits.MaxFileBytes * 2,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        var entries = new List<GiiTocEntry>();
        // Case-insensitive: selections match slugs in any case, so "BGB" beside "bgb" would be two acts for one name.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var reader = XmlReader.Create(path, settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "items")
                throw new SourceContentException($"{label}: not the Gesetze im Internet index (the root element is <{reader.LocalName}>, not <items>)");
            if (reader.IsEmptyElement) return entries;
            var rootDepth = reader.Depth;
            reader.Read();
            while (!reader.EOF && reader.Depth > rootDepth)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "item")
                {
                    // Stray text and unknown elements are not acts.
                    if (reader.NodeType == XmlNodeType.Element) reader.Skip(); else reader.Read();
                    continue;
                }
                if (entries.Count >= MaxItems)
                    throw new SourceContentException($"{label}: the index lists more than {MaxItems:N0} items");
                var entry = ReadItem(reader, label, entries.Count + 1);
                // The real index lists each act once; a repeated slug would make two items write the same folder.
                if (!seen.Add(entry.Slug))
                    throw new SourceContentException($"{label}: item {entries.Count + 1} repeats the act '{entry.Slug}'");
                entries.Add(entry);
            }
        }
        catch (XmlException ex)
        {
            throw new SourceContentException($"{label}: not well-formed XML (line {ex.LineNumber}): {ex.Message}", ex);
        }
        return entries;
    }

    private static GiiTocEntry ReadItem(XmlReader reader, string label, int number)
    {
        string? title = null, link = null;
        var depth = reader.Depth;
        if (!reader.IsEmptyElement)
        {
            reader.Read();
            while (!reader.EOF && reader.Depth > depth)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "title": title = ReadText(reader, label, number); break;
                    case "link": link = ReadText(reader, label, number); break;
                    default: reader.Skip(); break;
                }
            }
        }
        reader.Read(); // past </item> (or the empty <item/>)
        if (string.IsNullOrWhiteSpace(link))
            throw new SourceContentException($"{label}: item {number}{(title is null ? "" : $" ('{title}')")} has no <link>");
        var slug = SlugOf(link, label, number);
        return new GiiTocEntry(slug, string.IsNullOrWhiteSpace(title) ? slug : title);
    }

    private static string ReadText(XmlReader reader, string label, int number)
    {
        // ReadElementContentAsString refuses child elements: the DTD allows only text in title and link.
        var text = reader.ReadElementContentAsString();
        if (text.Length > MaxTitleChars)
            throw new SourceContentException($"{label}: item {number} has a text of {text.Length:N0} characters, over the limit of {MaxTitleChars:N0}");
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The act's folder from its link: "http://www.gesetze-im-internet.de/bgb/xml.zip" → "bgb". The link's
    /// host is not kept: connectors rebuild every address on the configured base, so a mirror can stand in.</summary>
    internal static string SlugOf(string link, string label, int number)
    {
        if (!Uri.TryCreate(link, UriKind.RelativeOrAbsolute, out var uri))
            throw new SourceContentException($"{label}: item {number} has an unreadable link '{link}'");
        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : link.Split('?', '#')[0];
        var parts = path.Trim('/').Split('/');
        if (parts.Length != 2 || !string.Equals(parts[1], "xml.zip", StringComparison.OrdinalIgnoreCase))
            throw new SourceContentException($"{label}: item {number} links to '{link}', not to '<act>/xml.zip'");
        var slug = Uri.UnescapeDataString(parts[0]);
        return IsSafeSlug(slug)
            ? slug
            : throw new SourceContentException($"{label}: item {number} names the act folder '{slug}', which is not a safe folder name; the index is refused");
    }

    /// <summary>A slug becomes a folder name: one path segment, not "." or "..", no separators or drive colons.</summary>
    internal static bool IsSafeSlug(string slug) =>
        slug.Length is > 0 and <= 200 && slug is not ("." or "..")
        && !slug.Any(c => c is '/' or '\\' or ':' || char.IsControl(c));
}
