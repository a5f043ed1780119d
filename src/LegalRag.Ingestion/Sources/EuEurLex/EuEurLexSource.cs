using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using LegalRag.Ingestion.Parsers.Xml;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Sources.Common;

namespace LegalRag.Ingestion.Sources.EuEurLex;

/// <summary>
/// EU law from the Publications Office's Cellar, the repository behind EUR-Lex, in Formex 4 (the Official Journal's
/// XML). A CELEX number is a Cellar resource, <c>http://publications.europa.eu/resource/celex/&lt;CELEX&gt;</c>; asked
/// with <c>Accept: application/zip;mtype=fmx4</c> and an <c>Accept-Language</c> (ISO 639 three-letter code, "deu"),
/// it answers (after a redirect to the manifestation) a zip holding the document's Formex files: the act itself
/// (<c>L_2016119DE.01000101.xml</c>, root ACT), its description (<c>….doc.xml</c>, root DOC), and in some packages
/// separate annexes and a volume table of contents (<c>….toc.xml</c>). Only the files the Formex reader reads as an
/// act or a corrigendum are kept; descriptions, tables of contents and annexes (whose ANNEX markup the reader does
/// not structure) are left out.
/// Items are CELEX numbers ("32016R0679", a corrigendum "32016R0679R(02)") or the ELI of a regulation, directive or
/// decision ("eli/reg/2016/679/oj" or "http://data.europa.eu/eli/reg/2016/679/oj"), which is turned into its CELEX.
/// The EU has no index to list: the selection names its documents.
/// </summary>
public sealed partial class EuEurLexSource : ICorpusSource
{
    public const string SourceName = "eu-eurlex";

    /// <summary>The media type Cellar answers with the zipped Formex 4 package of a document.</summary>
    public const string FormexZipMediaType = "application/zip;mtype=fmx4";

    /// <summary>The EU's official languages: ISO 639-1 (as in corpus manifests) to the ISO 639-2 code Cellar expects.</summary>
    private static readonly FrozenDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["bg"] = "bul", ["cs"] = "ces", ["da"] = "dan", ["de"] = "deu", ["el"] = "ell", ["en"] = "eng", ["es"] = "spa",
        ["et"] = "est", ["fi"] = "fin", ["fr"] = "fra", ["ga"] = "gle", ["hr"] = "hrv", ["hu"] = "hun", ["it"] = "ita",
        ["lt"] = "lit", ["lv"] = "lav", ["mt"] = "mlt", ["nl"] = "nld", ["pl"] = "pol", ["pt"] = "por", ["ro"] = "ron",
        ["sk"] = "slk", ["sl"] = "slv", ["sv"] = "swe",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>ELI act types to the CELEX sector-3 document letter.</summary>
    private static readonly FrozenDictionary<string, string> EliTypes = new Dictionary<string, string>
    {
        ["reg"] = "R", ["dir"] = "L", ["dec"] = "D", ["reg_impl"] = "R", ["reg_del"] = "R", ["dir_impl"] = "L",
        ["dir_del"] = "L", ["dec_impl"] = "D", ["dec_del"] = "D",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public string Name => SourceName;

    public Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.Settings.Items.Count == 0)
            throw new ArgumentException($"{SourceName}: the manifest's fetch.items names no documents; EUR-Lex has no list to take everything from, so name CELEX numbers (e.g. \"32016R0679\") or ELIs");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Accept"] = FormexZipMediaType,
            ["Accept-Language"] = CellarLanguage(context.Settings.Option("language")),
        };
        // No download here: Cellar answers each CELEX with its package directly, so the selection is the listing.
        IReadOnlyList<SourceItem> items = context.Settings.Items
            .Select(Celex)
            .Distinct(StringComparer.Ordinal)
            .Select(celex => new SourceItem(celex, context.Settings.Resolve(CelexPath(celex)), Title: $"CELEX {celex}", IsAct: true, Headers: headers))
            .ToList();
        return Task.FromResult(items);
    }

    public Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken)
    {
        var celex = Celex(item.Key);
        var what = $"{SourceName} {celex} ({item.Url})";
        var candidates = ReadCandidates(downloadPath, celex, what, context.Limits);
        var kept = new List<UnpackedFile>();
        var skipped = new List<string>();
        foreach (var (name, content) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsContainer(name)) skipped.Add($"{name} (a description, table of contents or fragments)");
            else if (IsFormexAct(content, context.Limits, out var root)) kept.Add(new UnpackedFile($"{celex}/{name}", content));
            else skipped.Add($"{name} ({root})");
        }
        if (kept.Count == 0)
            throw new SourceContentException($"{what}: the Formex package holds no act the Formex reader reads" +
                                             (skipped.Count == 0 ? " (it holds no XML file at all)" : $"; it holds {string.Join(", ", skipped)}"));
        return Task.FromResult(UnpackedItem.Of(kept));
    }

    /// <summary>The Cellar resource path of a CELEX number (parentheses as in "32016R0679R(02)" escaped as Cellar lists them).</summary>
    internal static string CelexPath(string celex) => "resource/celex/" + Uri.EscapeDataString(celex);

    /// <summary>A CELEX number from an item: a CELEX as is (upper-cased), an ELI of a regulation, directive or decision
    /// turned into its CELEX (sector 3), anything else refused.</summary>
    internal static string Celex(string item)
    {
        var text = item.Trim();
        var eli = EliPattern().Match(text);
        if (eli.Success)
        {
            if (!EliTypes.TryGetValue(eli.Groups["type"].Value, out var letter))
                throw new ArgumentException($"{SourceName}: the ELI '{item}' is of type '{eli.Groups["type"].Value}'; name the document by its CELEX number instead");
            var number = int.Parse(eli.Groups["number"].Value, CultureInfo.InvariantCulture);
            return $"3{eli.Groups["year"].Value}{letter}{number:D4}";
        }
        var celex = text.ToUpperInvariant();
        // Sector, year, document type, number, then suffixes (R(02) corrigenda, -20180525 consolidations). The
        // number becomes a folder name, so only these characters pass.
        return CelexPattern().IsMatch(celex)
            ? celex
            : throw new ArgumentException($"{SourceName}: '{item}' is neither a CELEX number (e.g. 32016R0679) nor an ELI (eli/reg/2016/679/oj)");
    }

    /// <summary>The Accept-Language for Cellar: option "language" as an EU language's two- or three-letter code; German by default.</summary>
    internal static string CellarLanguage(string? option)
    {
        var code = (option ?? "deu").Trim().ToLowerInvariant();
        if (Languages.TryGetValue(code, out var three)) return three;
        if (Languages.Values.Contains(code)) return code;
        throw new ArgumentException($"{SourceName}: option language = '{option}' is not an official EU language (two- or three-letter code: de/deu, en/eng, fr/fra, nl/nld …)");
    }

    /// <summary>The XML files of the download: the entries of a zipped package, or the download itself when Cellar (or a
    /// mirror) served one Formex file.</summary>
    private static IReadOnlyList<(string Name, byte[] Content)> ReadCandidates(string downloadPath, string celex, string what, IngestionLimits limits)
    {
        byte[] head;
        long length;
        try
        {
            using var stream = File.OpenRead(downloadPath);
            length = stream.Length;
            head = new byte[Math.Min(64, length)];
            stream.ReadExactly(head);
        }
        catch (IOException ex)
        {
            throw new SourceContentException($"{what}: the download cannot be read: {ex.Message}", ex);
        }
        if (head.AsSpan().StartsWith("PK"u8))
            return SafeZip.Extract(downloadPath, what, name => name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase), limits);
        if (LooksLikeXml(head))
        {
            if (length > limits.MaxFileBytes)
                throw new SourceContentException($"{what}: {length:N0} bytes, over the limit of {limits.MaxFileBytes:N0}");
            return [($"{celex}.xml", File.ReadAllBytes(downloadPath))];
        }
        throw new SourceContentException($"{what}: the download is neither a zip nor XML (Cellar answers a Formex package only with Accept: {FormexZipMediaType}; an HTML page or a notice came back?)");
    }

    /// <summary>Descriptions (*.doc.xml, *.doc.fmx.xml), volume tables of contents (*.toc.xml) and fragment containers
    /// (*.frag.xml), named so by the Formex file naming rules, are never acts.</summary>
    private static bool IsContainer(string name)
    {
        var file = name[(name.LastIndexOf('/') + 1)..].ToLowerInvariant();
        return file.Contains(".doc.", StringComparison.Ordinal) || file.Contains(".toc.", StringComparison.Ordinal) || file.Contains(".frag.", StringComparison.Ordinal);
    }

    private static bool LooksLikeXml(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];
        var text = head.TrimStart(" \t\r\n"u8);
        return text.Length > 0 && text[0] == (byte)'<';
    }

    /// <summary>True when the file is one the Formex reader reads (an act or a corrigendum); <paramref name="root"/>
    /// names what it is otherwise, for the error when nothing in a package is.</summary>
    private static bool IsFormexAct(byte[] content, IngestionLimits limits, out string root)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), XmlParser.SafeSettings(limits));
            var element = XDocument.Load(reader).Root;
            root = element?.Name.LocalName ?? "empty";
            return element is not null && FormexReader.IsFormex(element);
        }
        catch (XmlException ex)
        {
            root = $"not well-formed: {ex.Message}";
            return false;
        }
    }

    [GeneratedRegex("^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9A-Z()_\\-]{1,24}$")]
    private static partial Regex CelexPattern();

    [GeneratedRegex("^(?:https?://data\\.europa\\.eu/)?/?eli/(?<type>[a-z_]+)/(?<year>[0-9]{4})/(?<number>[0-9]{1,5})(?:/oj)?/?$")]
    private static partial Regex EliPattern();
}
