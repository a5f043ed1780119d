using System.Text;
using System.Text.RegularExpressions;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Markdown;

/// <summary>
/// Reads statutes written as Markdown in the shapes of the corpora:
/// <list type="bullet">
/// <item>German acts: YAML front matter (Title, jurabk), "# Title", "## Buch 1 - …", "##### § 573 Heading".</item>
/// <item>French articles, one file each: "Article 544" underlined with "----"; the hierarchy comes from the folders ("Livre II/Titre II").</item>
/// <item>Dutch acts: "### Artikel 7:201", "### Titel 1" followed by its name as a deeper heading.</item>
/// </list>
/// Headings go to the shared <see cref="StructureBuilder"/>, which decides what is a provision.
/// </summary>
public sealed partial class MarkdownStatuteParser : IDocumentParser
{
    public string Format => "markdown";

    public bool CanParse(SourceFile file) => file.Extension is ".md" or ".markdown" or ".txt";

    /// <summary>An ATX heading ("## Titel ##"): its level and text, or null. Done by hand rather than with
    /// <c>^(#{1,6})\s*(.*?)\s*#*\s*$</c>, whose lazy text and trailing runs backtrack quadratically on a long run of
    /// '#' or blanks (a million '#' took minutes).</summary>
    internal static (int Level, string Text)? AtxHeading(string line)
    {
        var level = 0;
        while (level < 6 && level < line.Length && line[level] == '#') level++;
        if (level == 0) return null;
        // The closing sequence is optional: trailing blanks, then '#'s, then blanks again.
        var text = line.AsSpan(level).Trim().TrimEnd('#').TrimEnd();
        return (level, text.ToString());
    }

    [GeneratedRegex(@"^\s*(?:-{3,}|={3,})\s*$")]
    private static partial Regex SetextUnderline();

    [GeneratedRegex(@"^\s*(?:\(\d{1,3}[a-z]?\)|\d{1,3}[a-z]?\.)\s")]
    private static partial Regex NumberedLineStart();

    [GeneratedRegex(@"^\s*<[^>]+>\s*$")]
    private static partial Regex HtmlOnlyLine();

    [GeneratedRegex(@"\((?<abbr>[A-ZÄÖÜ][\w\-/ ]{0,24})\)\s*$")]
    private static partial Regex TrailingAbbreviation();

    [GeneratedRegex(@"^(?:Buch|Teil|Abschnitt|Unterabschnitt|Titel|Untertitel|Kapitel|Livre|Titre|Chapitre|Section|Sous-section|Paragraphe|Boek|Hoofdstuk|Afdeling|Paragraaf|Titel|Part|Chapter)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StructuralKeyword();

    [GeneratedRegex(@"^(?:Buch|Teil|Titel|Boek|Hoofdstuk|Afdeling|Titre|Livre|Chapitre|Kapitel|Abschnitt)\s+[\w.]+\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BareNumberedLevel();

    public Task<LegalDocument> ParseAsync(SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var text = TextDecoding.Decode(file);
        if (string.IsNullOrWhiteSpace(text)) throw new DocumentRejectedException("the file has no text");
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');

        var (frontMatter, bodyStart) = FrontMatter.Read(lines);
        var language = frontMatter.GetValueOrDefault("lang") ?? frontMatter.GetValueOrDefault("language") ?? context.Language;
        var events = ReadEvents(lines, bodyStart);

        // The first heading names the act unless it is already a provision or a structural level.
        string? titleHeading = null;
        List<MdEvent> metadata = [];
        var firstHeading = events.FindIndex(e => e.Level > 0);
        if (firstHeading >= 0)
        {
            var h = events[firstHeading].Text;
            if (!HeadingClassifier.Classify(h).IsProvision && !StructuralKeyword().IsMatch(h))
            {
                titleHeading = h;
                // Text between the title and the first structure is metadata (dates, amendment notes).
                var next = events.FindIndex(firstHeading + 1, e => e.Level > 0);
                var end = next < 0 ? events.Count : next;
                metadata = events.GetRange(firstHeading + 1, end - firstHeading - 1);
                events.RemoveRange(0, end);
            }
        }

        var title = frontMatter.GetValueOrDefault("Title") ?? context.ActTitle ?? titleHeading ?? Path.GetFileNameWithoutExtension(file.RelativePath);
        var abbreviation = frontMatter.GetValueOrDefault("jurabk") ?? context.ActAbbreviation;
        if (abbreviation is null && context.ActTitle is null && titleHeading is not null && !IsDutch(language) && TrailingAbbreviation().Match(titleHeading) is { Success: true } m)
            abbreviation = m.Groups["abbr"].Value.Trim();
        title = Whitespace.Collapse(title);

        string? book = null;
        if (abbreviation is null && context.ActTitle is null && IsDutch(language) && titleHeading is not null)
            (abbreviation, book) = Parsers.Common.ActNames.DutchCitationName(Whitespace.Collapse(titleHeading));

        var actName = abbreviation ?? title;
        var builder = new StructureBuilder(context.Corpus, language, actName, book);

        // One file per article (French Code civil): the folders are the hierarchy.
        var firstEvent = events.FirstOrDefault(e => e.Level > 0);
        if (frontMatter.Count == 0 && firstEvent is not null && HeadingClassifier.Classify(firstEvent.Text).IsProvision)
        {
            var folders = file.RelativePath.Split('/')[..^1];
            for (var i = 0; i < folders.Length; i++) builder.Heading(i + 1, folders[i]);
            var offset = folders.Length;
            foreach (var e in events)
            {
                if (e.Level > 0) builder.Heading(e.Level + offset, e.Text);
                else builder.Text(e.Text);
            }
        }
        else
        {
            Feed(builder, events);
        }

        var provisions = builder.Build();
        if (provisions.Count == 0 && metadata.Count > 0)
        {
            // Some acts are published with their dates and gazette reference only (treaties whose
            // text is elsewhere). The act still exists and is citable: keep that record as its text.
            builder = new StructureBuilder(context.Corpus, language, actName, book);
            foreach (var e in metadata) builder.Text(e.Text);
            provisions = builder.Build();
        }
        if (provisions.Count == 0) throw new DocumentRejectedException("no legal text found (no headings and no body)");
        return Task.FromResult(new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = language,
            Title = title,
            Abbreviation = abbreviation,
            Format = Format,
            Provisions = provisions,
        });
    }

    private static bool IsDutch(string language) => Core.Citations.CitationFormatter.NormalizeLanguage(language) == "nl";

    private void Feed(StructureBuilder builder, List<MdEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Level == 0) { builder.Text(e.Text); continue; }
            // Dutch style: "### Titel 1" followed by "####Algemene bepalingen" names that level.
            if (BareNumberedLevel().IsMatch(e.Text) && i + 1 < events.Count && events[i + 1] is { Level: > 0 } next
                && next.Level > e.Level && !HeadingClassifier.Classify(next.Text).IsProvision && !StructuralKeyword().IsMatch(next.Text))
            {
                builder.Heading(e.Level, $"{e.Text} - {next.Text}");
                i++;
                continue;
            }
            builder.Heading(e.Level, e.Text);
        }
    }

    private sealed record MdEvent(int Level, string Text);

    /// <summary>Headings (level ≥ 1) and text blocks (level 0) in document order.</summary>
    private static List<MdEvent> ReadEvents(string[] lines, int start)
    {
        var events = new List<MdEvent>();
        var block = new StringBuilder();

        void EndBlock()
        {
            if (block.Length == 0) return;
            var t = Inline.Strip(block.ToString());
            if (t.Length > 0) events.Add(new MdEvent(0, t));
            block.Clear();
        }

        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line)) { EndBlock(); continue; }
            if (HtmlOnlyLine().IsMatch(line)) continue;
            if (AtxHeading(line) is { } atx)
            {
                EndBlock();
                var text = Inline.Strip(atx.Text);
                if (text.Length > 0) events.Add(new MdEvent(atx.Level, text));
                continue;
            }
            // Setext heading: a single-line block underlined by --- or ===.
            if (block.Length == 0 && i + 1 < lines.Length && SetextUnderline().IsMatch(lines[i + 1]) && !string.IsNullOrWhiteSpace(line))
            {
                var level = lines[i + 1].TrimStart().StartsWith('=') ? 1 : 2;
                events.Add(new MdEvent(level, Inline.Strip(line)));
                i++;
                continue;
            }
            // A numbered line ("1. …", "(2) …") starts a new block even without a blank line before it.
            if (block.Length > 0 && NumberedLineStart().IsMatch(line)) EndBlock();
            // Definition-list markers (":   1896-08-18") and list continuation lines join the block.
            if (block.Length > 0) block.Append(' ');
            block.Append(line.Trim());
            // Two trailing spaces are a Markdown hard line break: the block ends there.
            if (line.EndsWith("  ", StringComparison.Ordinal)) EndBlock();
        }
        EndBlock();
        return events;
    }
}

/// <summary>Strips inline Markdown so the stored text is what a reader sees.</summary>
internal static partial class Inline
{
    // The bounds keep a text of many unclosed '[' or '(' linear (unbounded, each start scanned to the end: quadratic).
    [GeneratedRegex(@"!?\[(?<t>[^\]]{0,1000})\]\([^)]{0,2000}\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|\*|`)")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"\\(?<c>[\\`*_{}\[\]()#+\-.!|>~])")]
    private static partial Regex Escape();

    [GeneratedRegex(@"^:\s+")]
    private static partial Regex DefinitionMarker();

    // Footnote references "[^id]" and definition labels "[^id]:" carry no text of their own.
    [GeneratedRegex(@"\[\^[^\]]{0,200}\]:?")]
    private static partial Regex Footnote();

    public static string Strip(string text)
    {
        var t = Footnote().Replace(text, "");
        t = Link().Replace(t, "${t}");
        t = Emphasis().Replace(t, "");
        t = Escape().Replace(t, "${c}");
        t = DefinitionMarker().Replace(t, "");
        return Whitespace.Collapse(t);
    }
}

/// <summary>Reads a YAML front matter block of flat "key: value" lines, which is all the corpora use.</summary>
internal static class FrontMatter
{
    public static (Dictionary<string, string> Values, int BodyStart) Read(string[] lines)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0 || lines[0].Trim() != "---") return (values, 0);
        string? lastKey = null;
        for (var i = 1; i < lines.Length && i < 200; i++)
        {
            var line = lines[i];
            if (line.Trim() is "---" or "...")
            {
                foreach (var empty in values.Where(kv => kv.Value.Length == 0).Select(kv => kv.Key).ToList()) values.Remove(empty);
                return (values, i + 1);
            }
            // An indented line continues the previous value (folded long titles).
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && lastKey is not null)
            {
                values[lastKey] = (values[lastKey] + " " + line.Trim()).Trim();
                continue;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim().Trim('"', '\'');
            values[key] = value;
            lastKey = key;
        }
        // No closing marker: not front matter after all.
        return (new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), 0);
    }
}
