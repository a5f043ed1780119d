using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace LegalRag.Ingestion.Tests.Sources;

/// <summary>LEGI dumps made in a test: DILA's paths, article and text version files, and .tar.gz packing.</summary>
internal static class LegiDumpFixtures
{
    /// <summary>"LEGIARTI000006419280" → "LEGI/ARTI/00/00/06/41/92": DILA spreads ids over folders of two digits.</summary>
    public static string Spread(string id) =>
        $"{id[..4]}/{id[4..8]}/{id[8..10]}/{id[10..12]}/{id[12..14]}/{id[14..16]}/{id[16..18]}";

    /// <summary>A file of a code: legi/global/code_et_TNC_{en,non}_vigueur/{dossier}/LEGI/TEXT/…/{cid}/{kind}/….xml.</summary>
    public static string CodePath(string dossier, string cid, string kind, string id) =>
        $"legi/global/code_et_TNC_{(dossier.Contains("non", StringComparison.Ordinal) ? "non" : "en")}_vigueur/{dossier}/{Spread(cid)}/{cid}/{Within(kind, id)}";

    public static string TncPath(string cid, string kind, string id) =>
        $"legi/global/code_et_TNC_en_vigueur/TNC_en_vigueur/{Spread(cid)}/{cid}/{Within(kind, id)}";

    public static string Within(string kind, string id) => kind.StartsWith("texte", StringComparison.Ordinal) ? $"{kind}/{id}.xml" : $"{kind}/{Spread(id)}/{id}.xml";

    public static (string, string, DateTimeOffset?) Folder(string name) => (name, "", null);

    public static byte[] TarGz(TarEntryFormat format, params (string Name, string Content, DateTimeOffset? Modified)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, format, leaveOpen: true))
        {
            foreach (var (name, content, modified) in entries)
            {
                var directory = name.EndsWith('/');
                var type = directory ? TarEntryType.Directory : TarEntryType.RegularFile;
                TarEntry entry = format == TarEntryFormat.Gnu ? new GnuTarEntry(type, name) : new PaxTarEntry(type, name);
                entry.ModificationTime = modified ?? new DateTimeOffset(2025, 7, 13, 14, 0, 0, TimeSpan.Zero);
                if (!directory) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                tar.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>An article version as the dumps write it (only the parts the parser reads).</summary>
    public static string Article(string id, string cid, string title, string num, string etat, string debut, string fin, string text) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <ARTICLE>
          <META>
            <META_COMMUN><ID>{id}</ID><ORIGINE>LEGI</ORIGINE><NATURE>Article</NATURE></META_COMMUN>
            <META_SPEC><META_ARTICLE><NUM>{num}</NUM><ETAT>{etat}</ETAT><DATE_DEBUT>{debut}</DATE_DEBUT><DATE_FIN>{fin}</DATE_FIN></META_ARTICLE></META_SPEC>
          </META>
          <CONTEXTE><TEXTE cid="{cid}"><TITRE_TXT c_titre_court="{title}" debut="1803-03-15" fin="2999-01-01">{title}</TITRE_TXT></TEXTE></CONTEXTE>
          <BLOC_TEXTUEL><CONTENU>{text}</CONTENU></BLOC_TEXTUEL>
        </ARTICLE>
        """;

    public static string TextVersion(string id, string title, string? visas) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <TEXTE_VERSION>
          <META>
            <META_COMMUN><ID>{id}</ID><ORIGINE>LEGI</ORIGINE><NATURE>{(visas is null ? "CODE" : "LOI")}</NATURE></META_COMMUN>
            <META_SPEC><META_TEXTE_VERSION><TITRE>{title}</TITRE><TITREFULL>{title}</TITREFULL><ETAT>VIGUEUR</ETAT><DATE_DEBUT>1978-01-07</DATE_DEBUT><DATE_FIN>2999-01-01</DATE_FIN></META_TEXTE_VERSION></META_SPEC>
          </META>
          <VISAS><CONTENU>{visas}</CONTENU></VISAS>
          <SIGNATAIRES><CONTENU/></SIGNATAIRES>
        </TEXTE_VERSION>
        """;
}
