using System.Text.RegularExpressions;

namespace LegalRag.Ingestion.Sources.FrLegi;

/// <summary>What a LEGI file is, read from its path in a dump.</summary>
internal enum LegiFileKind
{
    /// <summary>article/…/LEGIARTI….xml: one version of one article.</summary>
    Article,
    /// <summary>texte/version/….xml: a text's title, dates and (for non-codes) visas, signatures, nota.</summary>
    TextVersion,
    /// <summary>texte/struct, section_ta: tables of contents, no text.</summary>
    Other,
}

/// <summary>
/// A file of a LEGI dump, located by its path. Dumps spell paths
/// "legi/global/code_et_TNC_en_vigueur/code_en_vigueur/LEGI/TEXT/00/00/06/07/07/LEGITEXT000006070721/article/LEGI/ARTI/00/00/06/41/92/LEGIARTI000006419280.xml"
/// (increments put a "20250714-210018/" folder before "legi/"; the deletion list names the same paths without ".xml").
/// The text's id (the cid) is the segment before "article", "texte" or "section_ta".
/// </summary>
/// <param name="Folder">The path up to and including the text's id: it tells apart the same text in two dossiers
/// (a code moved from code_en_vigueur to code_non_vigueur).</param>
/// <param name="RelativePath">Where the corpus keeps the file: "LEGITEXT000006070721/article/LEGIARTI000006419280.xml".
/// It names neither dossier nor archive, so a later archive's copy of the same article version replaces it.</param>
internal sealed partial record LegiArchivePath(LegiFileKind Kind, string TextId, string Id, string Folder, bool InCodeDossier, string RelativePath)
{
    [GeneratedRegex(@"^(?:LEGI|JORF)TEXT\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex TextIdPattern();

    [GeneratedRegex(@"^LEGIARTI\d{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex ArticleIdPattern();

    public static bool IsTextId(string id) => TextIdPattern().IsMatch(id);

    /// <summary>The file at <paramref name="path"/> ('/'-separated, already checked for traversal), or null when it is no
    /// file of a text (the archive's own folders, a stray README).</summary>
    public static LegiArchivePath? Parse(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var root = Array.IndexOf(parts, "legi");
        if (root < 0 || root > 1) return null;
        for (var k = root + 1; k < parts.Length - 1; k++)
        {
            if (parts[k] is not ("article" or "texte" or "section_ta") || !TextIdPattern().IsMatch(parts[k - 1])) continue;
            var textId = parts[k - 1];
            var file = parts[^1];
            var id = file.EndsWith(".xml", StringComparison.Ordinal) ? file[..^4] : file;
            var folder = string.Join('/', parts[root..k]);
            var inCode = parts[root..(k - 1)].Any(p => p.StartsWith("code_", StringComparison.Ordinal) && !p.StartsWith("code_et_", StringComparison.Ordinal));
            if (parts[k] == "article" && ArticleIdPattern().IsMatch(id))
                return new(LegiFileKind.Article, textId, id, folder, inCode, $"{textId}/article/{id}.xml");
            if (parts[k] == "texte" && k + 2 == parts.Length - 1 && parts[k + 1] == "version" && TextIdPattern().IsMatch(id))
                return new(LegiFileKind.TextVersion, textId, id, folder, inCode, $"{textId}/texte/version/{id}.xml");
            return new(LegiFileKind.Other, textId, id, folder, inCode, "");
        }
        return null;
    }
}
