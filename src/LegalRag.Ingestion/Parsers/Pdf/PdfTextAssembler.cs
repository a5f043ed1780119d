using System.Text;
using System.Text.RegularExpressions;
using LegalRag.Core.Citations;
using LegalRag.Ingestion.Parsers.Common;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Pdf;

/// <summary>What the assembler reports: a heading (with its nesting level) or a paragraph of body text, with its page.</summary>
internal sealed record LayoutEvent(bool IsHeading, int Level, string Text, int Page);

/// <summary>
/// Turns the lines of a PDF (text layer or OCR) into headings and paragraphs for <see cref="StructureBuilder"/>.
/// PDF has no markup, so headings are recognised from the text: provision headings by
/// <see cref="HeadingLines.IsProvisionHeading"/> at the start of a block or sentence, hierarchy headings
/// ("Titel 2" + the title on the next line) by their keywords. Where the reader knows the fonts (PdfPig), a bold
/// or larger line also starts a unit, a heading wraps onto the following lines of its block set in its own size
/// and weight, and in a document whose § headings are emphasised, a plain line is never one (a cross-reference
/// that happens to start a line, "§ 573 Abs. 2 gilt entsprechend."). Wrapped lines are joined into paragraphs;
/// a paragraph broken by a page break is joined across it and keeps the page it starts on.
/// </summary>
internal static partial class PdfTextAssembler
{
    /// <summary>Nesting level given to provision headings: below every hierarchy level.</summary>
    public const int ProvisionLevel = 100;

    private enum Role { Text, Provision, Structural, Consumed }

    private sealed record Item(int Page, int Block, string Text, double Height, bool FromOcr, double FontSize, bool Bold)
    {
        public Role Role { get; set; }
        public StructuralHeading? Structural { get; set; }
        public string HeadingText { get; set; } = "";
    }

    // Footnote reference marks set as lines of their own: "*)", "**)".
    [GeneratedRegex(@"^\*{1,3}\)?$")]
    private static partial Regex FootnoteMark();

    // Markers that open a new paragraph or list item: "(1)", "(2a)", "1.", "a)", "aa)", "-", "•".
    [GeneratedRegex(@"^(?:\(\d{1,3}[a-z]?\)|\d{1,3}[a-z]?\.(?=\s|$)|[a-z]{1,2}\)|[-–•](?=\s|$))", RegexOptions.CultureInvariant)]
    private static partial Regex ItemMarker();

    // A marker alone on its line ("1." in a left column, the item's text in the next block).
    [GeneratedRegex(@"^(?:\(\d{1,3}[a-z]?\)|\d{1,3}[a-z]?\.|[a-z]{1,2}\)|[-–•])$", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerOnly();

    // Words after a line-end hyphen that show it is a real hyphen of an elided compound: "Haus- und Grundbesitz".
    private static readonly HashSet<string> Conjunctions = new(StringComparer.Ordinal)
    {
        "und", "oder", "bis", "sowie", "noch", "als", "wie", "bzw.", "et", "ou", "en", "of", "and", "or",
    };

    public static List<LayoutEvent> Assemble(IReadOnlyList<PdfPage> pages)
    {
        var items = pages.SelectMany(p => p.Lines.Select(l => new Item(p.Number, l.Block, Whitespace.Collapse(l.Text), l.Height, p.FromOcr,
                p.FromOcr ? 0 : l.FontSize, !p.FromOcr && l.Bold)))
            .Where(i => i.Text.Length > 0 && !FootnoteMark().IsMatch(i.Text))
            .ToList();
        var bodyHeight = items.Where(i => !i.FromOcr && i.Height > 0)
            .GroupBy(i => Math.Round(i.Height, 2))
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
        Classify(items, bodyHeight, Fonts.Of(items));
        DemoteTableOfContents(items);
        return Emit(items);
    }

    /// <summary>
    /// What the fonts say, where the reader knows them: the body text's size and weight (those of most letters), and
    /// whether § headings are told apart by emphasis (three in four lines that read as one are bold or larger).
    /// </summary>
    private sealed record Fonts(bool Known, double BodySize, bool BodyBold, bool HeadingsEmphasised)
    {
        public static Fonts Of(List<Item> items)
        {
            var withFont = items.Where(i => i.FontSize > 0).ToList();
            if (withFont.Count == 0) return new Fonts(false, 0, false, false);
            var body = withFont.GroupBy(i => (Math.Round(i.FontSize, 1), i.Bold)).MaxBy(g => g.Sum(i => i.Text.Length))!.Key;
            var fonts = new Fonts(true, body.Item1, body.Bold, false);
            var candidates = withFont.Where(i => HeadingLines.IsProvisionHeading(i.Text)).ToList();
            return fonts with { HeadingsEmphasised = candidates.Count >= 3 && candidates.Count(fonts.Emphasised) >= candidates.Count * 0.75 };
        }

        public bool Emphasised(Item item) =>
            Known && item.FontSize > 0 && ((item.Bold && !BodyBold) || item.FontSize > BodySize * 1.05);
    }

    private static void Classify(List<Item> items, double bodyHeight, Fonts fonts)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Role == Role.Consumed) continue;
            var previous = i > 0 ? items[i - 1] : null;
            // A heading starts a layout block, or follows a finished sentence or another heading, or is set apart by its font.
            var startsUnit = previous is null || previous.Page != item.Page || previous.Block != item.Block
                             || previous.Role is Role.Provision or Role.Structural or Role.Consumed
                             || EndsSentence(previous.Text)
                             || (fonts.Emphasised(item) && !fonts.Emphasised(previous));
            if (!startsUnit) continue;
            // A bold heading whose first line breaks at ";" ("… Herausgabepflicht;" / "Verzinsungspflicht") is judged whole.
            var isProvision = HeadingLines.IsProvisionHeading(item.Text)
                              || (fonts.Emphasised(item) && HeadingLines.IsProvisionHeading(WrappedByFont(items, i, fonts, consume: false)));
            if (isProvision && (!fonts.HeadingsEmphasised || fonts.Emphasised(item)))
            {
                item.Role = Role.Provision;
                item.HeadingText = WrappedHeading(items, i, bodyHeight, fonts);
            }
            else if (HeadingLines.TryStructural(item.Text, out var structural))
            {
                item.Role = Role.Structural;
                item.Structural = structural;
                item.HeadingText = WrappedHeading(items, i, bodyHeight, fonts);
                // "Titel 2" on one line, "Juristische Personen" on the next (not in the same block): one heading.
                var next = items.FindIndex(i + 1, n => n.Role != Role.Consumed);
                if (!structural.HasTitle && item.HeadingText == item.Text && next >= 0 && IsTitleLine(items[next].Text))
                {
                    item.HeadingText = $"{item.Text} {WrappedHeading(items, next, bodyHeight, fonts)}";
                    items[next].Role = Role.Consumed;
                }
            }
        }
    }

    /// <summary>
    /// A heading too long for one line wraps within its layout block, in the same font size (same line
    /// height): "§ 312a Allgemeine Pflichten … Grenzen der Vereinbarung" / "von Entgelten". OCR'd line heights
    /// vary too much to tell a heading's second line from the body text after it, so OCR'd pages keep one-line
    /// headings; so do headings set in the body text's own size (<paramref name="bodyHeight"/>, the commonest line height).
    /// Where the fonts are known, an emphasised heading wraps onto the lines of its block in its own size and weight
    /// (a bold § heading in the body's size wraps too).
    /// </summary>
    private static string WrappedHeading(List<Item> items, int headingIndex, double bodyHeight, Fonts fonts)
    {
        var heading = items[headingIndex];
        if (heading.FontSize > 0) return WrappedByFont(items, headingIndex, fonts);
        if (heading.FromOcr || heading.Height <= 0 || Math.Abs(heading.Height - bodyHeight) <= bodyHeight * 0.008) return heading.Text;
        var text = new StringBuilder(heading.Text);
        for (var j = headingIndex + 1; j < items.Count && j <= headingIndex + 3; j++)
        {
            var next = items[j];
            if (next.Page != heading.Page || next.Block != heading.Block) break;
            if (Math.Abs(next.Height - heading.Height) > heading.Height * 0.01) break;
            if (ItemMarker().IsMatch(next.Text) || HeadingLines.IsProvisionHeading(next.Text) || HeadingLines.TryStructural(next.Text, out _)) break;
            AppendHeadingLine(text, next.Text);
            next.Role = Role.Consumed;
        }
        return text.ToString();
    }

    private static string WrappedByFont(List<Item> items, int headingIndex, Fonts fonts, bool consume = true)
    {
        var heading = items[headingIndex];
        if (!fonts.Emphasised(heading)) return heading.Text;
        var text = new StringBuilder(heading.Text);
        for (var j = headingIndex + 1; j < items.Count && j <= headingIndex + 3; j++)
        {
            var next = items[j];
            if (next.Page != heading.Page || next.Block != heading.Block) break;
            if (next.Bold != heading.Bold || Math.Abs(next.FontSize - heading.FontSize) > heading.FontSize * 0.05) break;
            if (ItemMarker().IsMatch(next.Text) || HeadingLines.IsProvisionHeading(next.Text) || HeadingLines.TryStructural(next.Text, out _)) break;
            AppendHeadingLine(text, next.Text);
            if (consume) next.Role = Role.Consumed;
        }
        return text.ToString();
    }

    private static bool IsTitleLine(string text) =>
        text.Length is > 0 and <= 150
        && (char.IsUpper(text[0]) || HeadingClassifier.IsRepealedText(text))
        && !text.EndsWith('.') && !text.EndsWith(',') && !text.EndsWith(';')
        && !HeadingLines.IsProvisionHeading(text)
        && !HeadingLines.TryStructural(text, out _)
        && !ItemMarker().IsMatch(text);

    /// <summary>
    /// A table of contents lists every § heading once more, with no text under it. A heading that has no
    /// text and whose number is headed again later is a contents entry: it stays as text.
    /// </summary>
    private static void DemoteTableOfContents(List<Item> items)
    {
        var lastIndexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
            if (items[i].Role == Role.Provision) lastIndexByKey[ProvisionKey(items[i].Text)] = i;

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Role != Role.Provision) continue;
            if (lastIndexByKey[ProvisionKey(items[i].Text)] == i) continue;
            var next = items.Skip(i + 1).FirstOrDefault(n => n.Role != Role.Consumed);
            if (next is null || next.Role is Role.Provision or Role.Structural) items[i].Role = Role.Text;
        }
    }

    private static string ProvisionKey(string heading)
    {
        var info = HeadingClassifier.Classify(heading);
        return $"{info.Kind}:{CitationReference.NormalizeNumber(info.Number)}";
    }

    private static List<LayoutEvent> Emit(List<Item> items)
    {
        var events = new List<LayoutEvent>();
        var levels = new HierarchyLevels();
        var paragraph = new StringBuilder();
        var paragraphPage = 0;
        Item? last = null;

        void FlushParagraph()
        {
            if (paragraph.Length > 0) events.Add(new LayoutEvent(false, 0, paragraph.ToString(), paragraphPage));
            paragraph.Clear();
        }

        foreach (var item in items)
        {
            switch (item.Role)
            {
                case Role.Consumed:
                    continue;
                case Role.Provision:
                    FlushParagraph();
                    events.Add(new LayoutEvent(true, ProvisionLevel, item.HeadingText, item.Page));
                    last = null;
                    continue;
                case Role.Structural:
                    FlushParagraph();
                    events.Add(new LayoutEvent(true, levels.LevelFor(item.Structural!), item.HeadingText, item.Page));
                    last = null;
                    continue;
            }

            var opensItem = ItemMarker().IsMatch(item.Text);
            var continues = last is not null && paragraph.Length > 0 && !opensItem
                            && (MarkerOnly().IsMatch(paragraph.ToString())
                                || (last.Page == item.Page && last.Block == item.Block)
                                // A new block (or page) that goes on mid-sentence in lower case continues the paragraph.
                                || (!EndsSentence(last.Text) && char.IsLower(item.Text[0])));
            if (continues)
            {
                AppendLine(paragraph, item.Text);
            }
            else
            {
                FlushParagraph();
                paragraph.Append(item.Text);
                paragraphPage = item.Page;
            }
            last = item;
        }
        FlushParagraph();
        return events;
    }

    /// <summary>
    /// Joins a heading's wrapped line: like body text, and a compound broken at its own hyphen keeps the hyphen without
    /// a space: "Immobiliar-" + "Verbraucherdarlehensverträgen" → "Immobiliar-Verbraucherdarlehensverträgen".
    /// </summary>
    private static void AppendHeadingLine(StringBuilder heading, string line)
    {
        var n = heading.Length;
        if (n >= 2 && heading[n - 1] == '-' && char.IsLetter(heading[n - 2]) && char.IsUpper(line[0]))
        {
            heading.Append(line);
            return;
        }
        AppendLine(heading, line);
    }

    /// <summary>Joins a wrapped line: "Rechts-" + "fähigkeit" → "Rechtsfähigkeit", "Haus-" + "und" stays apart.</summary>
    private static void AppendLine(StringBuilder paragraph, string line)
    {
        var n = paragraph.Length;
        var firstWord = line.Split(' ', 2)[0];
        if (n >= 2 && paragraph[n - 1] == '-' && char.IsLower(paragraph[n - 2]) && char.IsLower(line[0]) && !Conjunctions.Contains(firstWord))
        {
            paragraph.Length = n - 1;
            paragraph.Append(line);
            return;
        }
        paragraph.Append(' ').Append(line);
    }

    private static bool EndsSentence(string text) => text.Length > 0 && text[^1] is '.' or ':' or ';' or '!' or '?' or ')' or '"' or '“' or '»';

    /// <summary>Feeds the events into the structure builder.</summary>
    public static void Feed(IEnumerable<LayoutEvent> events, StructureBuilder builder)
    {
        foreach (var e in events)
        {
            if (e.IsHeading) builder.Heading(e.Level, e.Text, e.Page);
            else builder.Text(e.Text, e.Page);
        }
    }
}
