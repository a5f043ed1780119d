using System.Text.RegularExpressions;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Core.Languages;

namespace LegalRag.Ingestion.Structure;

/// <summary>
/// Builds the legal structure from a flat stream of headings and text blocks, which is what every
/// parser sees (Markdown headings, DOCX heading styles, HTML h1–h6, PDF lines in bold). Parsers
/// only report what they read; the rules for what is a provision, a hierarchy level or a
/// paragraph live here, once.
/// </summary>
public sealed partial class StructureBuilder
{
    private readonly string _corpus;
    private readonly string _language;
    private readonly bool _sectionsAreProvisions;
    private readonly string _actName;
    private readonly string _actSlug;
    private readonly string? _bookPrefix;
    // Open structural headings by level: level → title. A new heading closes deeper levels.
    private readonly SortedDictionary<int, string> _openLevels = new();
    private readonly List<Provision> _provisions = [];
    private readonly UniqueKeys _keys = new();
    private PendingProvision? _current;
    // Text before the first heading becomes a provision only if the document has no other.
    private readonly List<(string Text, int? Page)> _preambleBlocks = [];
    // The latest structural heading, in case text follows it directly (see Text()).
    private (int Level, string Title, int? Page)? _lastStructural;

    /// <param name="book">The book of a code whose articles are cited as "book:article" ("7" for BW Boek 7), or null.</param>
    public StructureBuilder(string corpus, string language, string actName, string? book = null)
    {
        _bookPrefix = book is null ? null : book + ":";
        _corpus = corpus;
        _language = CitationFormatter.NormalizeLanguage(language);
        _sectionsAreProvisions = LanguageRegistry.Default.Find(_language)?.Structure.SectionsAreProvisions ?? true;
        _actName = actName;
        _actSlug = Slug(actName);
    }

    /// <summary>Reports a heading. <paramref name="level"/> is the nesting depth (1 = top).</summary>
    public void Heading(int level, string text, int? page = null)
    {
        var title = Whitespace.Collapse(text);
        if (title.Length == 0) return;
        var info = HeadingClassifier.Classify(title);
        // In Dutch acts "§ 1" is a level between Afdeling and Artikel (a paragraaf), never a citable provision.
        if (info.IsProvision && info.Kind == ProvisionKind.Section && !_sectionsAreProvisions) info = info with { IsProvision = false };
        if (info.IsProvision)
        {
            Flush();
            _current = new PendingProvision(info, title, level, CurrentPath(level), page);
            return;
        }

        // A structural heading closes the open provision and every level at or below its own.
        Flush();
        foreach (var deeper in _openLevels.Keys.Where(l => l >= level).ToList()) _openLevels.Remove(deeper);
        _openLevels[level] = title;
        _lastStructural = (level, title, page);
    }

    /// <summary>Reports a block of body text (a paragraph, a list item, a table row).</summary>
    public void Text(string text, int? page = null)
    {
        var block = text.Trim();
        if (block.Length == 0) return;
        if (_current is not null) { _current.Blocks.Add((block, page)); return; }
        if (_lastStructural is { } s && _openLevels.ContainsKey(s.Level))
        {
            // Text directly under a structural heading with no § heading: an ordinance's unnumbered
            // section, an annex, or a note on that level ("Amtlicher Hinweis"). It becomes a provision
            // named by the heading, and the level stays open: provisions that follow still sit under it.
            var info = new HeadingInfo(true, ProvisionKind.Other, s.Title, "", false);
            _current = new PendingProvision(info, s.Title, s.Level, CurrentPath(s.Level - 1), s.Page);
            _current.Blocks.Add((block, page));
            _lastStructural = null;
            return;
        }
        _preambleBlocks.Add((block, page));
    }

    public IReadOnlyList<Provision> Build()
    {
        Flush();
        if (_provisions.Count == 0 && _preambleBlocks.Count > 0)
        {
            // A document with text but no headings at all: one provision holding all of it.
            var info = new HeadingInfo(true, ProvisionKind.Other, "Text", "", false);
            var p = new PendingProvision(info, "Text", 1, [], _preambleBlocks[0].Page);
            p.Blocks.AddRange(_preambleBlocks);
            _current = p;
            Flush();
        }
        return _provisions;
    }

    // Levels at the provision's own depth count too: many acts put "## Abschnitt 1" and "## § 1"
    // at the same heading level, and the § still belongs to that Abschnitt.
    private List<string> CurrentPath(int level) => _openLevels.Where(kv => kv.Key <= level).Select(kv => kv.Value).ToList();

    private void Flush()
    {
        if (_current is null) return;
        var p = _current;
        _current = null;
        var paragraphs = SplitParagraphs(p.Blocks);
        var repealed = p.Info.IsRepealed || (paragraphs.Count == 1 && HeadingClassifier.IsRepealedText(paragraphs[0].Text) && paragraphs[0].Text.Length < 40)
                       || (paragraphs.Count == 0 && p.Info.IsRepealed);
        var number = p.Info.Number;
        // A book of a code: "Artikel 201" of BW Boek 7 is "art. 7:201 BW", which is how it is cited.
        if (_bookPrefix is not null && p.Info.Kind == ProvisionKind.Article && number.Length > 0 && !number.Contains(':')) number = _bookPrefix + number;
        var citation = CitationFormatter.Format(_language, _actName, p.Info.Kind, number);
        var key = UniqueKey($"{_corpus}/{_actSlug}/{KindCode(p.Info.Kind)}{Slug(number)}");
        var heading = p.Info.Kind is ProvisionKind.Other or ProvisionKind.Preamble or ProvisionKind.Closing
            ? (p.Info.Title.Length > 0 ? $"{number} {p.Info.Title}".Trim() : number)
            : StripRepealMarker(p.Info.Title);
        _provisions.Add(new Provision
        {
            Key = key,
            Kind = p.Info.Kind,
            Number = number,
            Heading = heading,
            Citation = citation,
            Path = p.Path,
            Paragraphs = paragraphs,
            IsRepealed = repealed,
            Ordinal = _provisions.Count,
        });
    }

    private string UniqueKey(string key) => _keys.Claim(key);

    [GeneratedRegex(@"^\((?<n>\d{1,3}[a-z]?)\)\s*")]
    private static partial Regex ParenNumber();

    [GeneratedRegex(@"^(?<n>\d{1,3}[a-z]?)\.\s+")]
    private static partial Regex DotNumber();

    /// <summary>
    /// Numbered paragraphs: "(1)", "(2)" start a new Absatz; "1.", "2." start one only when the
    /// provision opens with "1." and has no "(n)" markers (Dutch "lid" style). Otherwise "1." items
    /// are enumerations inside a paragraph ("§ 573 (2) … 1. … 2. …") and stay with it.
    /// </summary>
    public static List<ProvisionParagraph> SplitParagraphs(IReadOnlyList<(string Text, int? Page)> blocks)
    {
        var result = new List<ProvisionParagraph>();
        if (blocks.Count == 0) return result;
        var hasParen = blocks.Any(b => ParenNumber().IsMatch(b.Text));
        var dotStyle = !hasParen && DotNumber().Match(blocks[0].Text) is { Success: true } m0 && m0.Groups["n"].Value == "1";
        string? label = null;
        var buffer = new List<string>();
        int? page = null;

        void Emit()
        {
            if (buffer.Count == 0) return;
            result.Add(new ProvisionParagraph(label, string.Join("\n", buffer), page));
            buffer.Clear();
        }

        foreach (var (text, blockPage) in blocks)
        {
            var m = hasParen ? ParenNumber().Match(text) : dotStyle ? DotNumber().Match(text) : Match.Empty;
            if (m.Success)
            {
                Emit();
                label = m.Groups["n"].Value;
                page = blockPage;
            }
            else if (buffer.Count == 0)
            {
                page ??= blockPage;
            }
            buffer.Add(text);
        }
        Emit();
        return result;
    }

    private static string StripRepealMarker(string title) =>
        HeadingClassifier.IsRepealedText(title) && title.Trim().StartsWith('(') ? "" : title;

    internal static string KindCode(ProvisionKind kind) => kind switch
    {
        ProvisionKind.Section => "s",
        ProvisionKind.Article => "a",
        ProvisionKind.Annex => "anl",
        ProvisionKind.Preamble => "pre",
        ProvisionKind.Closing => "end",
        _ => "x-",
    };

    /// <summary>URL-safe identity fragment: lowercase letters, digits, ':' and '-'.</summary>
    public static string Slug(string text)
    {
        var folded = Core.Text.TextAnalyzer.Normalize(text, foldDiacritics: true);
        var chars = folded.Select(c => char.IsAsciiLetterOrDigit(c) || c == ':' ? c : '-').ToArray();
        var slug = new string(chars).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        return slug.Length > 80 ? slug[..80] : slug;
    }

    private sealed record PendingProvision(HeadingInfo Info, string RawHeading, int Level, List<string> Path, int? Page)
    {
        public List<(string Text, int? Page)> Blocks { get; } = [];
    }
}
