using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Languages;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.Xml;

/// <summary>
/// Reads EU Formex (the format of the Official Journal, schema formex-05): the act title from TITLE/TI,
/// recitals under PREAMBLE, DIVISION (TITLE/TI + STI) for chapters and sections, ARTICLE with TI.ART and
/// STI.ART as provision headings, PARAG (NO.PARAG + ALINEA) as numbered paragraphs, LIST/ITEM/NP as
/// items, FINAL as the closing formula, and CORRECTION entries of corrigenda. Footnotes (NOTE) are left
/// out of the running text. Paragraphs carry the Official Journal page given by &lt;?PAGE NO="…"?&gt;.
/// </summary>
internal sealed partial class FormexReader(ParseContext context)
{
    private const int ArticleLevel = 100;

    private StructureBuilder _builder = null!;
    private int? _page;
    private readonly StringBuilder _inline = new();
    private string _pendingPrefix = "";
    private CancellationToken _cancellationToken;

    /// <summary>Formex acts and corrigenda: upper-case element names with dots, BIB.INSTANCE first.</summary>
    public static bool IsFormex(XElement root) =>
        root.Name.NamespaceName.Length == 0
        && (root.Element("BIB.INSTANCE") is not null || root.Name.LocalName is "ACT" or "CONS.ACT" or "CORR")
        && (root.Descendants("ARTICLE").Any() || root.Descendants("CORRECTION").Any() || root.Descendants("ENACTING.TERMS").Any());

    public XmlReadResult Read(XElement root, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        var titleElement = root.Element("TITLE")?.Element("TI");
        var title = titleElement is null
            ? root.Name.LocalName
            : Whitespace.Collapse(string.Join(' ', titleElement.Elements("P").Select(InlineText).DefaultIfEmpty(InlineText(titleElement))));
        var abbreviation = context.ActAbbreviation ?? DeriveAbbreviation(title, isCorrigendum: root.Name.LocalName == "CORR");
        var actTitle = context.ActTitle ?? title;
        _builder = new StructureBuilder(context.Corpus, context.Language, abbreviation ?? actTitle);
        _page = int.TryParse(root.Element("BIB.INSTANCE")?.Element("PAGE.FIRST")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var first)
            ? first
            : null;

        foreach (var node in root.Nodes())
        {
            TrackPage(node);
            if (node is not XElement element) continue;
            switch (element.Name.LocalName)
            {
                case "PREAMBLE":
                    _builder.Heading(1, PreambleHeading());
                    Flow(element);
                    break;
                case "ENACTING.TERMS":
                    ReadTerms(element, level: 1);
                    break;
                case "FINAL":
                    _builder.Heading(1, ClosingHeading());
                    Flow(element);
                    break;
                case "CONTENTS.CORR":
                    ReadCorrections(element);
                    break;
                case "BIB.INSTANCE" or "TITLE":
                    break;
                default:
                    Flow(element);
                    break;
            }
        }
        FlushText();
        return new XmlReadResult(actTitle, abbreviation, _builder.Build(), []);
    }

    private void ReadTerms(XElement container, int level)
    {
        foreach (var node in container.Nodes())
        {
            TrackPage(node);
            if (node is not XElement element) continue;
            _cancellationToken.ThrowIfCancellationRequested();
            switch (element.Name.LocalName)
            {
                case "DIVISION":
                    FlushText();
                    var ti = element.Element("TITLE");
                    var heading = ti is null ? "" : Whitespace.Collapse($"{InlineText(ti.Element("TI"))} {InlineText(ti.Element("STI"))}");
                    if (heading.Length > 0) _builder.Heading(level, heading, _page);
                    ReadTerms(element, level + 1);
                    break;
                case "ARTICLE":
                    FlushText();
                    var articleHeading = Whitespace.Collapse($"{InlineText(element.Element("TI.ART"))} {InlineText(element.Element("STI.ART"))}");
                    _builder.Heading(ArticleLevel, articleHeading, _page);
                    foreach (var part in element.Nodes())
                    {
                        TrackPage(part);
                        if (part is XElement e && e.Name.LocalName is not ("TI.ART" or "STI.ART")) Flow(e);
                    }
                    FlushText();
                    break;
                case "TITLE":
                    break; // the DIVISION's own title, read above
                default:
                    Flow(element);
                    break;
            }
        }
    }

    private void ReadCorrections(XElement contents)
    {
        foreach (var correction in contents.Elements("CORRECTION"))
        {
            FlushText();
            var description = InlineText(correction.Element("DESCRIPTION"));
            _builder.Heading(1, description.Length > 0 ? description : "Correction", _page);
            foreach (var part in correction.Nodes())
            {
                TrackPage(part);
                if (part is XElement e && e.Name.LocalName != "DESCRIPTION") Flow(e);
            }
            FlushText();
        }
    }

    // Elements that hold running text; anything else with element content is a container of blocks.
    private static readonly HashSet<string> InlineElements = new(StringComparer.Ordinal)
    {
        "HT", "DATE", "QUOT.START", "QUOT.END", "REF.DOC.OJ", "REF.DOC", "FT", "IE", "LINK", "URL", "ADDR.S", "DLIST.ITEM.TXT",
        "EXPONENT", "INDEX", "LIST.AMEND", "PERIOD", "REF.NOTE", "TXT.COL", "BR",
    };

    /// <summary>
    /// Emits the blocks of a text-bearing subtree: inline content collects into one block; block children
    /// (P, LIST, ITEM, PARAG, ALINEA, ROW) end it. Number elements (NO.PARAG, NO.P) become the prefix of the
    /// next block, so "(1)" and "a)" open their paragraph and item as in the printed act.
    /// </summary>
    private void Flow(XElement element)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        switch (element.Name.LocalName)
        {
            case "NO.PARAG" or "NO.P":
                FlushText();
                _pendingPrefix = InlineText(element);
                return;
            case "ROW":
                FlushText();
                var cells = element.Elements("CELL").Select(InlineText).Where(c => c.Length > 0).ToList();
                if (cells.Count > 0) Emit(string.Join(" | ", cells));
                return;
            case "NOTE":
                return;
        }
        foreach (var node in element.Nodes())
        {
            TrackPage(node);
            switch (node)
            {
                case XText text:
                    _inline.Append(text.Value);
                    break;
                case XElement { Name.LocalName: "NOTE" }:
                    break;
                case XElement child when InlineElements.Contains(child.Name.LocalName):
                    AppendInline(child, _inline);
                    break;
                case XElement child:
                    FlushText();
                    Flow(child);
                    FlushText();
                    break;
            }
        }
    }

    private void FlushText()
    {
        var text = Tidy(_inline.ToString());
        _inline.Clear();
        if (text.Length > 0) Emit(text);
    }

    private void Emit(string text)
    {
        var block = _pendingPrefix.Length > 0 ? $"{_pendingPrefix} {text}" : text;
        _pendingPrefix = "";
        _builder.Text(block, _page);
    }

    private void TrackPage(XNode node)
    {
        if (node is XProcessingInstruction { Target: "PAGE" } pi && PageNumber().Match(pi.Data) is { Success: true } m)
            _page = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"NO\s*=\s*""(?<n>\d{1,6})""")]
    private static partial Regex PageNumber();

    /// <summary>Inline text with Formex quotation marks rendered ("QUOT.START CODE=201E" → „) and footnotes left out.</summary>
    private static string InlineText(XElement? element)
    {
        if (element is null) return "";
        var sb = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XText t) sb.Append(t.Value);
            else if (node is XElement child) AppendInline(child, sb);
        }
        return Tidy(sb.ToString());
    }

    // Sentinels around rendered quotation marks until Tidy has removed the indentation next to them.
    private const char OpenSentinel = '\uE000';
    private const char CloseSentinel = '\uE001';

    private static void AppendInline(XElement element, StringBuilder sb)
    {
        switch (element.Name.LocalName)
        {
            case "NOTE":
                return;
            case "QUOT.START":
                sb.Append(OpenSentinel).Append(QuoteChar(element));
                return;
            case "QUOT.END":
                sb.Append(QuoteChar(element)).Append(CloseSentinel);
                return;
        }
        if (element.Name.LocalName is "P" or "ITEM" or "NP" or "ALINEA") sb.Append(' ');
        foreach (var node in element.Nodes())
        {
            if (node is XText t) sb.Append(t.Value);
            else if (node is XElement child) AppendInline(child, sb);
        }
    }

    [GeneratedRegex(@"\uE000(.)\s*|\s*(.)\uE001")]
    private static partial Regex QuoteSpacing();

    [GeneratedRegex(@"\(\s+|\s+(?=[),.])")]
    private static partial Regex BracketSpacing();

    /// <summary>
    /// Formex files are indented, so the text around a quotation mark or a bracket carries line breaks that
    /// were never part of the text: "( \n „ Recht auf Vergessenwerden \n “ )" reads "(„Recht auf Vergessenwerden“)".
    /// </summary>
    private static string Tidy(string text)
    {
        // Collapsed first: on a long run of blanks "\s*(.)\uE001" backtracks from every blank to the run's end, and
        // 1.3 MB of them (the fuzzer's) took minutes. The result is collapsed anyway.
        var quoted = QuoteSpacing().Replace(Whitespace.Collapse(text), m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
        return BracketSpacing().Replace(Whitespace.Collapse(quoted), m => m.Value.StartsWith('(') ? "(" : "");
    }

    private static string QuoteChar(XElement quote)
    {
        var code = (string?)quote.Attribute("CODE");
        if (code is not null && int.TryParse(code, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) && cp is > 0x20 and < 0x10000)
            return ((char)cp).ToString();
        return "\"";
    }

    private string PreambleHeading() => LanguageRegistry.Default.ForAnswers(context.Language).Structure.PreambleHeading;

    private string ClosingHeading() => LanguageRegistry.Default.ForAnswers(context.Language).Structure.ClosingHeading;

    // Conventional abbreviations of EU acts whose text gives only a short title, by that short title.
    // The Official Journal does not print them; practice does ("Art. 17 DSGVO").
    private static readonly Dictionary<string, string> KnownShortTitles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Datenschutz-Grundverordnung"] = "DSGVO",
        ["General Data Protection Regulation"] = "GDPR",
        ["règlement général sur la protection des données"] = "RGPD",
        ["algemene verordening gegevensbescherming"] = "AVG",
    };

    [GeneratedRegex(@"\((?<short>[^()]{3,60})\)")]
    private static partial Regex Parenthetical();

    [GeneratedRegex(@"(?<kind>Verordnung|Richtlinie|Beschluss|Durchführungsverordnung|Regulation|Directive|Decision|Règlement|Décision|Verordening|Richtlijn|Besluit)\s*\((?<coll>EU|EG|EWG|EC|EEC|CE|CEE|EU, Euratom|EEG)\)\s*(?:Nr\.|No|n°)?\s*(?<num>\d{2,4}/\d{1,5})",
        RegexOptions.CultureInvariant)]
    private static partial Regex ActNumber();

    /// <summary>
    /// The name citations use when the caller gives none: a well-known abbreviation of the short title
    /// ("(Datenschutz-Grundverordnung)" → DSGVO), else the short title itself, else the act's number in the
    /// usual short form ("Verordnung (EU) 2016/679" → "VO (EU) 2016/679"). Corrigenda say so in front.
    /// </summary>
    internal static string? DeriveAbbreviation(string title, bool isCorrigendum)
    {
        string? name = null;
        if (!isCorrigendum)
        {
            foreach (var m in Parenthetical().Matches(title).Reverse())
            {
                var candidate = Whitespace.Collapse(m.Groups["short"].Value);
                if (KnownShortTitles.TryGetValue(candidate, out var known)) return known;
                // A short title is one name: no digits, no "Text von Bedeutung für den EWR", not "(EU)".
                if (name is null && candidate.Length <= 40 && !candidate.Any(char.IsDigit) && candidate.Split(' ').Length <= 3
                    && !candidate.Contains("EWR", StringComparison.Ordinal) && !candidate.Contains("EEA", StringComparison.Ordinal)
                    && !candidate.Contains("EEE", StringComparison.Ordinal) && candidate.Any(char.IsLower))
                    name = candidate;
            }
            if (name is not null) return name;
        }
        var number = ActNumber().Match(title);
        if (!number.Success) return null;
        var kind = number.Groups["kind"].Value switch
        {
            "Verordnung" => "VO",
            "Durchführungsverordnung" => "DVO",
            "Richtlinie" => "RL",
            var other => other,
        };
        name = $"{kind} ({number.Groups["coll"].Value}) {number.Groups["num"].Value}";
        return isCorrigendum ? $"{title.Split(' ', 2)[0]} {name}" : name;
    }
}
