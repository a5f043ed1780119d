using System.IO.Compression;
using System.Text;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>Test-made Gesetze im Internet data: an index, a small act and the per-act zip around it.</summary>
internal static class GiiFixtures
{
    /// <summary>A small act in the shape of gii-norm.dtd 1.01, as the per-act zip holds it.</summary>
    public const string Act = """
        <?xml version="1.0" encoding="UTF-8" ?><!DOCTYPE dokumente SYSTEM "http://www.gesetze-im-internet.de/dtd/1.01/gii-norm.dtd">
        <dokumente builddate="20250101000000" doknr="BJNR000000000">
          <norm doknr="BJNR000000000"><metadaten><jurabk>TestG</jurabk><amtabk>TestG</amtabk><langue>Gesetz über Tests</langue></metadaten></norm>
          <norm doknr="BJNR000000000BJNE000100000">
            <metadaten><jurabk>TestG</jurabk><enbez>§ 1</enbez><titel format="parat">Anwendungsbereich</titel></metadaten>
            <textdaten><text format="XML"><Content><P>(1) Dieses Gesetz gilt für Tests.</P></Content></text></textdaten>
          </norm>
        </dokumente>
        """;

    /// <summary>The act with another text, as after an amendment.</summary>
    public static string Amended(string text) => Act.Replace("(1) Dieses Gesetz gilt für Tests.", text, StringComparison.Ordinal);

    /// <summary>An index in the publisher's shape (DOCTYPE line, links on the official host) listing <paramref name="slugs"/>.</summary>
    public static string Index(params string[] slugs) =>
        """<?xml version="1.0" encoding="UTF-8" ?><!DOCTYPE items SYSTEM "http://www.gesetze-im-internet.de/dtd/1.0/gii-toc.dtd">""" + "\n\n<items>\n\n"
        + string.Concat(slugs.Select(s => $"<item>\n<title>Gesetz {s}</title>\n<link>http://www.gesetze-im-internet.de/{s}/xml.zip</link>\n</item>\n"))
        + "</items>\n";

    public static byte[] Zip(params (string Name, string Content)[] entries) =>
        Zip(entries.Select(e => (e.Name, Encoding.UTF8.GetBytes(e.Content))).ToArray());

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        return buffer.ToArray();
    }
}
