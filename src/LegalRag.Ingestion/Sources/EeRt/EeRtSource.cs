using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace LegalRag.Ingestion.Sources.EeRt;

/// <summary>
/// Riigi Teataja (Estonia's State Gazette): consolidated acts as XML (&lt;oigusakt&gt;, read by the Riigi Teataja
/// parser). The gazette publishes no index of acts that a connector could list (only yearly dumps of many gigabytes),
/// so the manifest's items name the acts by their id, the number in <c>https://www.riigiteataja.ee/akt/&lt;id&gt;</c>.
/// Each id names one redaction; a new redaction of the act gets a new id. With <c>followCurrent</c> (the default) each
/// listed id is resolved to the redaction in force now through the gazette's metadata service, so an update picks up
/// new redactions while the item keeps the id from the manifest as its key.
/// Options: <c>xmlPath</c> (the act XML's path, "{id}" standing for the redaction id; default
/// <see cref="DefaultXmlPath"/>), <c>metadataPath</c> (default <see cref="DefaultMetadataPath"/>) and
/// <c>followCurrent</c> ("true" or "false").
/// </summary>
public sealed class EeRtSource : ICorpusSource
{
    public const string SourceName = "ee-rt";

    /// <summary>The act's XML since the gazette's relaunch of 1 June 2026; the older <c>akt/{id}.xml</c> now answers
    /// with the web application's HTML page (a mirror laid out the old way sets <c>xmlPath</c> to it).</summary>
    public const string DefaultXmlPath = "public-api/api/v1/akt/{id}/xml";

    /// <summary>The act's metadata as JSON; <c>leiaKehtiv=true</c> adds <c>kehtivId</c>, the id of the redaction in force.</summary>
    public const string DefaultMetadataPath = "public-api/api/v1/akt/{id}?leiaKehtiv=true";

    /// <summary>A metadata answer bigger than this is not one act's metadata.</summary>
    public const long MaxMetadataBytes = 4 * 1024 * 1024;

    public string Name => SourceName;

    public async Task<IReadOnlyList<SourceItem>> ListAsync(SourceContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        if (settings.Items.Count == 0)
            throw new SourceContentException(
                $"{SourceName}: Riigi Teataja publishes no index of its acts to take them all from; list the acts' ids (the number in https://www.riigiteataja.ee/akt/<id>) in the manifest's fetch.items");
        var xmlPath = Template(settings, "xmlPath", DefaultXmlPath);
        var metadataPath = Template(settings, "metadataPath", DefaultMetadataPath);
        var followCurrent = Flag(settings, "followCurrent", true);
        var ids = new List<string>();
        foreach (var raw in settings.Items)
        {
            var id = raw.Trim();
            if (!IsActId(id))
                throw new SourceContentException($"{SourceName}: item '{raw}' is not a Riigi Teataja act id (the digits in https://www.riigiteataja.ee/akt/<id>)");
            if (!ids.Contains(id, StringComparer.Ordinal)) ids.Add(id);
        }
        var items = new List<SourceItem>(ids.Count);
        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!followCurrent)
            {
                items.Add(new SourceItem(id, settings.Resolve(Fill(xmlPath, id)), IsAct: true));
                continue;
            }
            var metadataUrl = settings.Resolve(Fill(metadataPath, id));
            var metadataFile = await context.DownloadToWorkAsync(metadataUrl, $"akt-{id}.json", cancellationToken).ConfigureAwait(false);
            var (currentId, title) = ReadMetadata(metadataFile, $"{SourceName} act {id} metadata ({metadataUrl})");
            items.Add(new SourceItem(id, settings.Resolve(Fill(xmlPath, currentId)), title, IsAct: true));
        }
        return items;
    }

    public async Task<UnpackedItem> UnpackAsync(SourceItem item, string downloadPath, SourceContext context, CancellationToken cancellationToken)
    {
        var label = $"{SourceName} {item.Key} ({item.Url})";
        // The key becomes a file name; an item restored from stored state is checked like one from the manifest.
        if (!IsActId(item.Key))
            throw new SourceContentException($"{label}: '{item.Key}' is not a Riigi Teataja act id");
        var length = new FileInfo(downloadPath).Length;
        if (length > context.Limits.MaxFileBytes)
            throw new SourceContentException($"{label}: the act is {length:N0} bytes, over the limit of {context.Limits.MaxFileBytes:N0}");
        var bytes = await File.ReadAllBytesAsync(downloadPath, cancellationToken).ConfigureAwait(false);
        CheckIsAct(bytes, label);
        return UnpackedItem.Of([new UnpackedFile($"{item.Key}.xml", bytes)]);
    }

    /// <summary>Act ids are numbers: "22217" (before 2010), "111042025003" (RT part, date, article since).</summary>
    internal static bool IsActId(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit);

    /// <summary>The redaction in force (<c>kehtivId</c>) and the act's title (<c>aktiParameetrid.pealkiri</c>).</summary>
    internal static (string CurrentId, string? Title) ReadMetadata(string path, string label)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxMetadataBytes)
            throw new SourceContentException($"{label}: {length:N0} bytes, over the limit of {MaxMetadataBytes:N0} for one act's metadata");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new SourceContentException($"{label}: not JSON (an HTML page from a changed address?): {ex.Message}", ex);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SourceContentException($"{label}: expected a JSON object, found {root.ValueKind}");
            var currentId = root.TryGetProperty("kehtivId", out var current)
                ? current.ValueKind switch
                {
                    JsonValueKind.Number when current.TryGetInt64(out var n) && n > 0 => n.ToString(CultureInfo.InvariantCulture),
                    JsonValueKind.String => current.GetString(),
                    _ => null,
                }
                : null;
            if (currentId is null || !IsActId(currentId))
                throw new SourceContentException($"{label}: no usable kehtivId (the id of the redaction in force); set the option followCurrent to \"false\" to take the listed redactions as they are");
            string? title = null;
            if (root.TryGetProperty("aktiParameetrid", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("pealkiri", out var heading) && heading.ValueKind == JsonValueKind.String)
                title = heading.GetString() is { Length: > 0 } text ? text.Trim() : null;
            return (currentId, title);
        }
    }

    /// <summary>Refuses bytes that are not a whole Riigi Teataja act, naming what they are instead: above all the web
    /// application's HTML page, which the gazette answers with status 200 at addresses it no longer serves XML from.</summary>
    internal static void CheckIsAct(byte[] bytes, string label)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersFromEntities = 1024, IgnoreComments = true };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            if (reader.MoveToContent() == XmlNodeType.Element && reader.LocalName == "oigusakt")
            {
                // Read to the end: a cut-off act must fail here, before it replaces the act's last good version.
                while (reader.Read()) { }
                return;
            }
            throw new SourceContentException(LooksLikeHtml(bytes)
                ? $"{label}: the server answered with an HTML page, not the act's XML (check the option xmlPath)"
                : $"{label}: not a Riigi Teataja act (the root element is <{reader.LocalName}>, not <oigusakt>)");
        }
        catch (XmlException ex)
        {
            throw new SourceContentException(LooksLikeHtml(bytes)
                ? $"{label}: the server answered with an HTML page, not the act's XML (check the option xmlPath)"
                : $"{label}: not well-formed XML (line {ex.LineNumber}): {ex.Message}", ex);
        }
    }

    private static bool LooksLikeHtml(byte[] bytes)
    {
        var head = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 512)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static string Template(SourceSettings settings, string option, string fallback)
    {
        var value = settings.Option(option) ?? fallback;
        return value.Contains("{id}", StringComparison.Ordinal)
            ? value
            : throw new SourceContentException($"{SourceName}: the option {option} '{value}' has no {{id}} for the act id");
    }

    private static bool Flag(SourceSettings settings, string option, bool fallback) =>
        settings.Option(option) switch
        {
            null => fallback,
            var v when bool.TryParse(v, out var b) => b,
            var v => throw new SourceContentException($"{SourceName}: the option {option} is '{v}'; write \"true\" or \"false\""),
        };

    private static string Fill(string template, string id) => template.Replace("{id}", id, StringComparison.Ordinal);
}
