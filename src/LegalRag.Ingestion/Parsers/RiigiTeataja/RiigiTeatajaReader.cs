using System.Globalization;
using System.Text;
using System.Xml.Linq;
using LegalRag.Core.Citations;
using LegalRag.Core.Domain;
using LegalRag.Ingestion.Parsing;
using LegalRag.Ingestion.Structure;

namespace LegalRag.Ingestion.Parsers.RiigiTeataja;

/// <summary>
/// Reads Riigi Teataja XML (Estonia's official gazette, &lt;oigusakt&gt;): metaandmed (lühend, globaalID,
/// kehtivuse algus/lõpp, the act's RT publication), aktinimi, and under &lt;sisu&gt; the parts (osa, peatükk,
/// jagu, jaotis, either wrapping their paragraphs or standing before them as headings), &lt;paragrahv&gt; with
/// its number and title, &lt;lõige&gt; as numbered paragraphs and &lt;alampunkt&gt; as items. Amendment marks
/// (muutmismärge: "RT I 1997, 16, 264 – jõust. 16.03.1997") become the provision's notes and its date in force.
/// Element names are matched without namespace: each RT schema (tyviseadus, …) has its own.
/// </summary>
internal static class RiigiTeatajaReader
{
    public const string Format = "rt-xml";
    private const string Language = "et";

    // The levels above a paragraph, outermost first.
    private static readonly string[] Levels = ["osa", "peatykk", "jagu", "jaotis", "alljaotis"];

    public static bool IsRiigiTeataja(XElement root) =>
        root.Name.LocalName == "oigusakt" && root.Elements().Any(e => e.Name.LocalName == "metaandmed");

    public static LegalDocument Read(XElement root, SourceFile file, ParseContext context, CancellationToken cancellationToken)
    {
        // Metadata is repeated once per metadata version; the last is the newest.
        var metadata = Children(root, "metaandmed").ToList();
        var latest = metadata[^1];
        var title = context.ActTitle
                    ?? NonEmpty(Child(Child(Child(root, "aktinimi"), "nimi"), "pealkiri")?.Value)
                    ?? throw new DocumentRejectedException("the Riigi Teataja act has no title (aktinimi/nimi/pealkiri)");
        var abbreviation = context.ActAbbreviation
                           ?? metadata.AsEnumerable().Reverse().Select(m => NonEmpty(Child(m, "lyhend")?.Value)).FirstOrDefault(a => a is not null);
        var globalId = NonEmpty(Child(latest, "globaalID")?.Value);
        var identifier = globalId is null ? null : $"https://www.riigiteataja.ee/akt/{globalId}";
        var validity = Child(latest, "kehtivus");
        var validFrom = Date(Child(validity, "kehtivuseAlgus"));
        var validTo = Date(Child(validity, "kehtivuseLopp"));
        var aliases = new List<string>();
        if (Publication(Child(Child(latest, "vastuvoetud"), "avaldamismarge")) is { } published) aliases.Add(published);

        var actName = abbreviation ?? title;
        var body = Child(root, "sisu") ?? throw new DocumentRejectedException("the Riigi Teataja act has no body (sisu)");
        var state = new ReadState(context.Corpus, actName, identifier, cancellationToken);
        Walk(body, state);
        if (state.Provisions.Count == 0) throw new DocumentRejectedException("the Riigi Teataja act has no paragraphs (paragrahv)");

        return new LegalDocument
        {
            SourcePath = file.RelativePath,
            ContentHash = file.ContentHash,
            Language = Language,
            Title = title,
            Abbreviation = abbreviation,
            Format = Format,
            Identifier = identifier,
            Aliases = aliases,
            ValidFrom = validFrom,
            ValidTo = validTo,
            Provisions = state.Provisions,
        };
    }

    private sealed class ReadState(string corpus, string actName, string? actIdentifier, CancellationToken cancellationToken)
    {
        public string Corpus { get; } = corpus;
        public string ActName { get; } = actName;
        public string? ActIdentifier { get; } = actIdentifier;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        /// <summary>Open levels by rank (index into <see cref="Levels"/>) → heading.</summary>
        public SortedDictionary<int, string> Open { get; } = new();
        public List<Provision> Provisions { get; } = [];
        public UniqueKeys Keys { get; } = new();
    }

    private static void Walk(XElement container, ReadState state)
    {
        foreach (var element in container.Elements())
        {
            state.CancellationToken.ThrowIfCancellationRequested();
            var name = element.Name.LocalName;
            var rank = Array.IndexOf(Levels, name);
            if (rank >= 0)
            {
                // A new level closes every level at or below it, whether it wraps its paragraphs or only heads them.
                foreach (var deeper in state.Open.Keys.Where(k => k >= rank).ToList()) state.Open.Remove(deeper);
                var heading = LevelHeading(element, name);
                if (heading.Length > 0) state.Open[rank] = heading;
                Walk(element, state);
            }
            else if (name == "paragrahv")
            {
                state.Provisions.Add(Paragraph(element, state));
            }
        }
    }

    /// <summary>"1. peatükk Üldsätted": the displayed number (kuvatavNr), else the number, and the title.</summary>
    private static string LevelHeading(XElement level, string name)
    {
        var shown = InlineText(Child(level, "kuvatavNr"));
        if (shown.Length == 0) shown = InlineText(Child(level, name + "Nr"));
        return Whitespace.Collapse($"{shown} {InlineText(Child(level, name + "Pealkiri"))}");
    }

    private static Provision Paragraph(XElement paragraph, ReadState state)
    {
        var number = Number(Child(paragraph, "paragrahvNr"));
        var paragraphs = new List<ProvisionParagraph>();
        var notes = new List<string>();
        DateOnly? amendedFrom = null;

        void Collect(XElement? text, StringBuilder into)
        {
            if (text is null) return;
            foreach (var mark in text.Descendants().Where(e => e.Name.LocalName == "muutmismarge"))
            {
                var (note, inForce) = AmendmentNote(mark);
                if (note.Length > 0) notes.Add(note);
                if (inForce is { } d && (amendedFrom is null || d > amendedFrom)) amendedFrom = d;
            }
            var t = TextLines(text);
            if (t.Length == 0) return;
            if (into.Length > 0) into.Append('\n');
            into.Append(t);
        }

        // Text straight under the paragraph (a repealed one: "[Kehtetu]").
        var direct = new StringBuilder();
        foreach (var text in Children(paragraph, "sisuTekst")) Collect(text, direct);
        if (direct.Length > 0) paragraphs.Add(new ProvisionParagraph(null, direct.ToString()));
        foreach (var clause in Children(paragraph, "loige"))
        {
            var sb = new StringBuilder();
            foreach (var part in clause.Elements())
            {
                switch (part.Name.LocalName)
                {
                    case "sisuTekst":
                        Collect(part, sb);
                        break;
                    case "alampunkt":
                        // An item: "2) text", on its own line.
                        var itemText = new StringBuilder();
                        foreach (var t in Children(part, "sisuTekst")) Collect(t, itemText);
                        var label = InlineText(Child(part, "kuvatavNr"));
                        if (label.Length == 0 && Number(Child(part, "alampunktNr")) is { Length: > 0 } n) label = n + ")";
                        var line = $"{label} {itemText}".Trim();
                        if (line.Length > 0) sb.Append(sb.Length > 0 ? "\n" : "").Append(line);
                        break;
                }
            }
            if (sb.Length == 0) continue;
            var clauseNumber = Number(Child(clause, "loigeNr"));
            paragraphs.Add(new ProvisionParagraph(clauseNumber.Length > 0 ? clauseNumber : null, sb.ToString()));
        }

        var repealed = paragraphs.Count > 0 && paragraphs.All(p => IsRepealedText(p.Text));
        var baseKey = $"{state.Corpus}/{StructureBuilder.Slug(state.ActName)}/s{StructureBuilder.Slug(KeyNumber(number))}";
        var key = state.Keys.Claim(baseKey);
        var anchor = (string?)paragraph.Attribute("id");
        return new Provision
        {
            Key = key,
            Kind = ProvisionKind.Section,
            Number = number,
            Heading = InlineText(Child(paragraph, "paragrahvPealkiri")),
            Citation = CitationFormatter.Format(Language, state.ActName, ProvisionKind.Section, number),
            Path = state.Open.Values.ToList(),
            Paragraphs = paragraphs,
            IsRepealed = repealed,
            Ordinal = state.Provisions.Count,
            Identifier = state.ActIdentifier is not null && anchor is not null ? $"{state.ActIdentifier}#{anchor}" : anchor,
            ValidFrom = amendedFrom,
            Notes = notes,
        };
    }

    /// <summary>"25¹" → "25-1" for keys, so § 25¹ never folds into § 251 or § 25.</summary>
    private static string KeyNumber(string number)
    {
        var sb = new StringBuilder();
        var inSuperscript = false;
        foreach (var c in number)
        {
            var digit = Array.IndexOf(Superscripts, c.ToString());
            if (digit >= 0 && !inSuperscript) sb.Append('-');
            inSuperscript = digit >= 0;
            sb.Append(digit >= 0 ? (char)('0' + digit) : c);
        }
        return sb.ToString();
    }

    /// <summary>"[Kehtetu]" (repealed), with or without brackets.</summary>
    private static bool IsRepealedText(string text) =>
        text.Trim().Trim('[', ']', '(', ')', '.').Trim().Equals("Kehtetu", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] Superscripts = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"];

    /// <summary>"25" with ylaIndeks="1" is § 25¹, as printed (a paragraph inserted after § 25).</summary>
    private static string Number(XElement? number)
    {
        if (number is null) return "";
        var n = Whitespace.Collapse(number.Value);
        var upper = ((string?)number.Attribute("ylaIndeks"))?.Trim();
        return string.IsNullOrEmpty(upper) ? n : n + Superscript(upper);
    }

    private static string Superscript(string digits) =>
        string.Concat(digits.Select(c => c is >= '0' and <= '9' ? Superscripts[c - '0'] : c.ToString()));

    /// <summary>
    /// The text of a sisuTekst. Its runs (tavatekst, viide) read as one line, except that a run straight after a
    /// run ending a clause (";", ".", ":") starts a new line: migrated acts put each definition of a list in its
    /// own tavatekst ("ühismajandi vara - …;" "reorganiseerimine - …;").
    /// </summary>
    private static string TextLines(XElement sisuTekst)
    {
        var sb = new StringBuilder();
        XElement? previous = null;
        foreach (var run in sisuTekst.Elements())
        {
            if (run.Name.LocalName == "muutmismarge") continue;
            var text = InlineText(run);
            if (text.Length == 0) continue;
            if (sb.Length > 0)
            {
                var newLine = previous?.Name.LocalName == "tavatekst" && run.Name.LocalName == "tavatekst" && sb[^1] is ';' or '.' or ':';
                // Runs are trimmed, so they are joined by one space ("… maavanem" + "Vabariigi Valitsuse kehtestatud" + "korras.").
                sb.Append(newLine ? "\n" : " ");
            }
            sb.Append(text);
            previous = run;
        }
        return string.Join("\n", sb.ToString().Split('\n').Select(Whitespace.Collapse));
    }

    /// <summary>Running text: text runs, references by their shown text, superscripts as superscript digits; amendment marks left out.</summary>
    private static string InlineText(XElement? element)
    {
        if (element is null) return "";
        var sb = new StringBuilder();
        Append(element, sb);
        return Whitespace.Collapse(sb.ToString());

        static void Append(XElement e, StringBuilder sb)
        {
            foreach (var node in e.Nodes())
            {
                switch (node)
                {
                    case XText t:
                        // kuvatavNr holds "§ 25<sup>1</sup>." as CDATA markup.
                        sb.Append(t is XCData ? CDataText(t.Value) : t.Value);
                        break;
                    case XElement { Name.LocalName: "muutmismarge" or "viideURID" or "viideURI" }:
                        break;
                    case XElement { Name.LocalName: "sup" } sup:
                        sb.Append(Superscript(Whitespace.Collapse(sup.Value)));
                        break;
                    case XElement { Name.LocalName: "reavahetus" }:
                        sb.Append(' ');
                        break;
                    case XElement child:
                        Append(child, sb);
                        break;
                }
            }
        }
    }

    private static string CDataText(string markup)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < markup.Length)
        {
            var sup = markup.IndexOf("<sup>", i, StringComparison.OrdinalIgnoreCase);
            if (sup < 0) { sb.Append(markup, i, markup.Length - i); break; }
            sb.Append(markup, i, sup - i);
            var end = markup.IndexOf("</sup>", sup, StringComparison.OrdinalIgnoreCase);
            if (end < 0) { sb.Append(markup, sup + 5, markup.Length - sup - 5); break; }
            sb.Append(Superscript(markup[(sup + 5)..end]));
            i = end + 6;
        }
        return sb.ToString();
    }

    /// <summary>"RT I 1997, 16, 264 – jõust. 16.03.1997", the way Riigi Teataja prints an amendment mark.</summary>
    private static (string Note, DateOnly? InForce) AmendmentNote(XElement mark)
    {
        var publication = Publication(Child(mark, "avaldamismarge")) ?? "";
        var inForce = Date(Child(mark, "joustumine"));
        var note = inForce is { } d ? $"{publication} – jõust. {d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}".Trim(' ', '–') : publication;
        return (note, inForce);
    }

    /// <summary>"RT I 1997, 16, 264": part, year, issue, article of the gazette.</summary>
    private static string? Publication(XElement? mark)
    {
        if (mark is null) return null;
        var part = NonEmpty(Child(mark, "RTosa")?.Value);
        var year = NonEmpty(Child(mark, "RTaasta")?.Value);
        var issue = NonEmpty(Child(mark, "RTnr")?.Value);
        var article = NonEmpty(Child(mark, "RTartikkel")?.Value);
        if (part is null || year is null) return null;
        var tail = string.Join(", ", new[] { issue, article }.Where(x => x is not null));
        return tail.Length > 0 ? $"{part} {year}, {tail}" : $"{part} {year}";
    }

    /// <summary>An xs:date with its zone ("2002-06-01+03:00"): the calendar day as written.</summary>
    private static DateOnly? Date(XElement? element)
    {
        var raw = element?.Value.Trim();
        if (string.IsNullOrEmpty(raw)) return null;
        if (raw.Length >= 10 && DateOnly.TryParseExact(raw[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw new DocumentRejectedException($"the Riigi Teataja act has an unreadable date in {element!.Name.LocalName}: '{raw}' (expected YYYY-MM-DD)");
    }

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : Whitespace.Collapse(text);
}
