using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace LegalRag.Ingestion.Parsers.Akn;

/// <summary>
/// What an Akoma Ntoso &lt;meta&gt; block says about the act: the FRBR work and expression identifiers, ELI aliases,
/// the expression's language and date, entry into force, the temporal groups provisions point at with @period,
/// and editorial notes placed on a provision (LegalDocML.de's &lt;notes&gt; with placementBase). Element names are
/// matched by local name, so the OASIS namespace, its CSD drafts and LegalDocML.de's own namespace all read alike.
/// </summary>
internal sealed partial record AknMetadata
{
    public string? WorkUri { get; init; }
    public string? WorkThis { get; init; }
    public IReadOnlyList<string> EliAliases { get; init; } = [];
    /// <summary>The expression's language as written ("ita", "deu", "en", ".../language/FRA"); null when empty.</summary>
    public string? Language { get; init; }
    public DateOnly? ExpressionDate { get; init; }
    public DateOnly? EntryIntoForce { get; init; }
    /// <summary>temporalGroup eId → (start, end) of its time interval, events resolved to dates.</summary>
    public IReadOnlyDictionary<string, (DateOnly? Start, DateOnly? End)> Periods { get; init; } =
        new Dictionary<string, (DateOnly?, DateOnly?)>();
    /// <summary>eId a note is placed on (without '#') → the notes' texts.</summary>
    public IReadOnlyDictionary<string, List<string>> NotesByPlacement { get; init; } = new Dictionary<string, List<string>>();

    /// <summary>The act's identifier: the FRBR work URI, else the work's FRBRthis without its component, else an ELI alias.</summary>
    public string? Identifier =>
        WorkUri ?? (WorkThis is null ? null : ComponentSuffix().Replace(WorkThis, "")) ?? EliAliases.FirstOrDefault();

    [GeneratedRegex(@"/!main(\.xml)?$")]
    private static partial Regex ComponentSuffix();

    public static AknMetadata Read(XElement? meta)
    {
        if (meta is null) return new AknMetadata();
        var identification = Child(meta, "identification");
        var work = identification is null ? null : Child(identification, "FRBRWork");
        var expression = identification is null ? null : Child(identification, "FRBRExpression");

        var eli = (identification?.Descendants() ?? [])
            .Where(e => e.Name.LocalName == "FRBRalias" && string.Equals((string?)e.Attribute("name"), "eli", StringComparison.OrdinalIgnoreCase))
            .Select(e => NonBlank((string?)e.Attribute("value")))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var events = meta.Descendants()
            .Where(e => e.Name.LocalName == "eventRef" && Id(e) is not null)
            .GroupBy(e => Id(e)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Date((string?)g.First().Attribute("date")), StringComparer.Ordinal);

        var periods = new Dictionary<string, (DateOnly?, DateOnly?)>(StringComparer.Ordinal);
        foreach (var group in meta.Descendants().Where(e => e.Name.LocalName == "temporalGroup"))
        {
            var id = Id(group);
            var interval = group.Elements().FirstOrDefault(e => e.Name.LocalName == "timeInterval");
            if (id is null || interval is null) continue;
            periods[id] = (EventDate(events, (string?)interval.Attribute("start")), EventDate(events, (string?)interval.Attribute("end")));
        }

        var notes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var note in meta.Descendants().Where(e => e.Name.LocalName == "note"))
        {
            var placement = ((string?)note.Attribute("placementBase") ?? (string?)note.Attribute("placement"))?.TrimStart('#');
            var text = AknText.Inline(note);
            if (string.IsNullOrEmpty(placement) || !AknText.IsMeaningful(text)) continue;
            if (!notes.TryGetValue(placement, out var list)) notes[placement] = list = [];
            list.Add(text);
        }

        return new AknMetadata
        {
            WorkUri = NonBlank((string?)Child(work, "FRBRuri")?.Attribute("value")),
            WorkThis = NonBlank((string?)Child(work, "FRBRthis")?.Attribute("value")),
            EliAliases = eli,
            Language = NonBlank((string?)Child(expression, "FRBRlanguage")?.Attribute("language")),
            ExpressionDate = Child(expression, "FRBRdate") is { } d ? Date((string?)d.Attribute("date")) : null,
            EntryIntoForce = EntryIntoForceDate(meta, events),
            Periods = periods,
            NotesByPlacement = notes,
        };
    }

    /// <summary>
    /// Entry into force, wherever the dialect keeps it: a lifecycle event named for it ("inkrafttreten",
    /// "entryIntoForce"), or a proprietary field such as Legilux's &lt;scl:jolux scl:name="dateEntryInForce"&gt;.
    /// </summary>
    private static DateOnly? EntryIntoForceDate(XElement meta, IReadOnlyDictionary<string, DateOnly?> events)
    {
        foreach (var element in meta.Descendants())
        {
            if (!element.Attributes().Any(a => EntryIntoForceName().IsMatch(a.Value))) continue;
            var date = element.Name.LocalName == "eventRef"
                ? Date((string?)element.Attribute("date"))
                : element.HasElements ? null : Date(element.Value);
            if (date is not null) return date;
        }
        return null;
    }

    [GeneratedRegex(@"^#?(?:inkrafttreten|entry[-_ ]?into[-_ ]?force|dateEntryInForce|entryIntoForce|inforce)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EntryIntoForceName();

    private static DateOnly? EventDate(IReadOnlyDictionary<string, DateOnly?> events, string? reference) =>
        reference is not null && events.TryGetValue(reference.TrimStart('#'), out var date) ? date : null;

    /// <summary>
    /// An ISO date, unless it is a placeholder: AKN templates write 2999-01-01 (AKN4EU, Legilux drafts) and
    /// LegalDocML.de 1001-01-01 for "not yet known"; no act in force has such a date.
    /// </summary>
    internal static DateOnly? Date(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (text.Length > 10) text = text[..10];
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
               && date.Year is >= 1500 and <= 2500
            ? date
            : null;
    }

    internal static string? Id(XElement element) =>
        NonBlank((string?)element.Attribute("eId"))
        ?? NonBlank((string?)element.Attribute("wId"))
        ?? NonBlank((string?)element.Attribute(XNamespace.Xml + "id"))
        ?? NonBlank((string?)element.Attribute("id"))
        ?? NonBlank((string?)element.Attribute("GUID"));

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // ISO 639-2 (bibliographic and terminology forms) → 639-1, for the languages of the EU and its neighbours.
    private static readonly Dictionary<string, string> TwoLetter = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bul"] = "bg", ["ces"] = "cs", ["cze"] = "cs", ["dan"] = "da", ["deu"] = "de", ["ger"] = "de", ["ell"] = "el", ["gre"] = "el",
        ["eng"] = "en", ["spa"] = "es", ["est"] = "et", ["fin"] = "fi", ["fra"] = "fr", ["fre"] = "fr", ["gle"] = "ga", ["hrv"] = "hr",
        ["hun"] = "hu", ["ita"] = "it", ["lit"] = "lt", ["lav"] = "lv", ["ltz"] = "lb", ["mlt"] = "mt", ["nld"] = "nl", ["dut"] = "nl",
        ["pol"] = "pl", ["por"] = "pt", ["ron"] = "ro", ["rum"] = "ro", ["slk"] = "sk", ["slo"] = "sk", ["slv"] = "sl", ["swe"] = "sv",
        ["nor"] = "no", ["nob"] = "nb", ["nno"] = "nn", ["isl"] = "is", ["ice"] = "is", ["cat"] = "ca", ["eus"] = "eu", ["baq"] = "eu",
        ["glg"] = "gl", ["cym"] = "cy", ["wel"] = "cy", ["sqi"] = "sq", ["alb"] = "sq", ["srp"] = "sr", ["mkd"] = "mk", ["mac"] = "mk",
        ["ukr"] = "uk", ["rus"] = "ru", ["tur"] = "tr", ["smi"] = "se", ["sme"] = "se",
    };

    /// <summary>
    /// The two-letter code of an FRBRlanguage value: "ita" → "it", "deu" → "de", an EU authority URI ending in
    /// "/FRA" → "fr", "en" → "en"; null when the value names no language this table knows.
    /// </summary>
    public static string? TwoLetterLanguage(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var code = value.Trim().TrimEnd('/');
        var slash = code.LastIndexOf('/');
        if (slash >= 0) code = code[(slash + 1)..];
        code = code.Split('-', '_')[0];
        if (code.Length == 2 && code.All(char.IsAsciiLetter)) return code.ToLowerInvariant();
        return TwoLetter.GetValueOrDefault(code);
    }
}
