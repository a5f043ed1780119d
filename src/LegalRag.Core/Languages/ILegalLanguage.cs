using LegalRag.Core.Domain;
using LegalRag.Core.References;

namespace LegalRag.Core.Languages;

/// <summary>
/// Everything LegalRag knows about one language, in one place: how its words are analyzed, how its
/// statutes mark structure and repeal, how it cites and refers, how answers in it are written, where its
/// sentences end and how a question in it is recognised. Each language is one folder under
/// <c>Languages/&lt;code&gt;/</c>, listed once in <see cref="LanguageRegistry"/>; see docs/languages.md.
/// </summary>
public interface ILegalLanguage
{
    /// <summary>ISO 639-1 code, lowercase: "de".</summary>
    string Code { get; }

    /// <summary>Stopwords, lowercased and diacritic-folded as the analyzer folds.</summary>
    IReadOnlySet<string> Stopwords { get; }

    /// <summary>
    /// Light stem of a folded token of at least four letters that does not start with a digit (the
    /// analyzer never stems shorter tokens or numbers, so "573a" stays a pinpoint number).
    /// </summary>
    string Stem(string token);

    /// <summary>Repeal and structure markers of the language's statutes.</summary>
    StructureMarkers Structure { get; }

    /// <summary>A pinpoint citation in the language's own style: "BGB § 573 Abs. 2", "Code civil, art. 544".</summary>
    /// <param name="sentence">Sentence within the paragraph (1-based), for styles that cite sentences.</param>
    /// <param name="item">Label of a numbered or lettered item ("2", "a"), never empty.</param>
    string FormatCitation(string act, ProvisionKind kind, string number, string? paragraph, int? sentence, string? item);

    /// <summary>The cross-reference rules ("§§ 535 bis 548"), or null when references are not read in this language.</summary>
    IReferenceRules? References { get; }

    /// <summary>Sentence splitting: abbreviations and the words after which a number is a reference.</summary>
    SentenceRules Sentences { get; }

    /// <summary>Every sentence the answer service writes itself in this language.</summary>
    AnswerTexts Answers { get; }

    /// <summary>The grounded-answer prompt for a language model, in this language.</summary>
    PromptTexts Prompts { get; }

    /// <summary>The labels of a case-file export (DOCX, Markdown) in this language.</summary>
    ExportTexts Export { get; }

    /// <summary>What a question asks for and which sentences say it (the extractive composer's cues).</summary>
    QuestionCues Questions { get; }

    /// <summary>Words and letters that tell a question is written in this language.</summary>
    DetectionCues Detection { get; }

    /// <summary>How acts are named and cited by name in this language (initials, inflected titles).</summary>
    ActNameRules ActNames { get; }

    /// <summary>Which words of an act's title name its kind of instrument ("verordnung", "decret"); none named: a statute.</summary>
    IReadOnlyList<ActKindRule> ActKinds { get; }

    /// <summary>Folded words that make a question lean on the previous one ("und", "what about").</summary>
    IReadOnlySet<string> ReferringWords { get; }

    /// <summary>How a question names the day whose law it asks about ("en 2008", "am 3. März 2012"); none by default.</summary>
    DateWords Dates => DateWords.None;
}

/// <summary>How a statute in one language marks repeal and structure.</summary>
public sealed record StructureMarkers
{
    /// <summary>Words that, in parentheses, mark a repealed provision: "(weggefallen)", "(abrogé)".</summary>
    public IReadOnlyList<string> RepealedInParentheses { get; init; } = [];
    /// <summary>Words that, alone on a line, mark a repealed provision: "weggefallen".</summary>
    public IReadOnlyList<string> RepealedAlone { get; init; } = [];
    /// <summary>Regex alternatives for a numbered provision's marker ("§§?", "Article"); a marker starting with "§" makes a section.</summary>
    public IReadOnlyList<string> ProvisionMarkers { get; init; } = [];
    /// <summary>False where "§ 1" heads a level of the hierarchy (a Dutch paragraaf), not a citable section.</summary>
    public bool SectionsAreProvisions { get; init; } = true;
    /// <summary>Words that head an annex: "Anlage", "Annexe".</summary>
    public IReadOnlyList<string> AnnexWords { get; init; } = [];
    /// <summary>Regex alternatives for unnumbered opening units: "Eingangsformel", "Pr[ée]ambule".</summary>
    public IReadOnlyList<string> PreambleNames { get; init; } = [];
    /// <summary>Heading given to an act's preamble where the source names none (Formex XML).</summary>
    public string PreambleHeading { get; init; } = "Preamble";
    /// <summary>Heading given to an act's closing formula where the source names none (Formex XML).</summary>
    public string ClosingHeading { get; init; } = "Final provisions";
    /// <summary>Regex alternatives for unnumbered closing units: "Schlu(?:ss|ß)formel".</summary>
    public IReadOnlyList<string> ClosingNames { get; init; } = [];
    /// <summary>
    /// Hierarchy levels, lowercase, with their canonical rank (1 = outermost: "buch", "livre"); consulted only
    /// when a level first shows up with a number above 1. A word shared by two languages has one rank.
    /// </summary>
    public IReadOnlyDictionary<string, int> HierarchyLevels { get; init; } = new Dictionary<string, int>();
    /// <summary>Ordinal stems that precede a level ("Erstes Buch"), first one first; they take -e, -er, -es, -en.</summary>
    public IReadOnlyList<string> HierarchyOrdinals { get; init; } = [];
    /// <summary>Words that number a level's first unit: "premier", "1er", "unique".</summary>
    public IReadOnlyList<string> FirstNumberWords { get; init; } = [];
    /// <summary>Words that follow a provision number in a reference, never in a heading: "Abs.", "Satz".</summary>
    public IReadOnlyList<string> ReferenceWordsAfterNumber { get; init; } = [];
}

/// <summary>Where sentences in the language do not end.</summary>
public sealed record SentenceRules
{
    /// <summary>Words that, followed by a period, are abbreviations, not sentence ends ("Abs.", "al.").</summary>
    public IReadOnlyList<string> Abbreviations { get; init; } = [];
    /// <summary>Words after which a number is a reference ("Satz 1. Danach …" ends), not an ordinal.</summary>
    public IReadOnlyList<string> ReferenceWords { get; init; } = [];
}

/// <summary>What tells that a short text (a question) is in the language.</summary>
public sealed record DetectionCues
{
    /// <summary>Frequent function and question words, folded; each occurrence counts 1.</summary>
    public IReadOnlySet<string> Words { get; init; } = new HashSet<string>();
    /// <summary>Letters few other languages use, with what each occurrence counts.</summary>
    public IReadOnlyDictionary<char, double> Letters { get; init; } = new Dictionary<char, double>();
    /// <summary>Letter pairs typical of the language (case-insensitive), counted once if present at all.</summary>
    public IReadOnlyDictionary<string, double> Digraphs { get; init; } = new Dictionary<string, double>();
}

/// <summary>How a language names acts when citing them.</summary>
public sealed record ActNameRules
{
    /// <summary>Acts are cited by the initials of their title ("Algemene wet bestuursrecht" → "Awb").</summary>
    public bool CitedByInitials { get; init; }
    /// <summary>Endings a title word sheds in citations ("des Bürgerlichen Gesetzbuchs"), longest first where one ends another.</summary>
    public IReadOnlyList<string> InflectionEndings { get; init; } = [];
}

/// <summary>Folded, lowercase stems that mark an act title as <paramref name="Kind"/>.</summary>
public sealed record ActKindRule(ActKind Kind, IReadOnlyList<string> Stems);

/// <summary>The grounded-answer prompt in one language (see the Answering project's PromptBuilder).</summary>
public sealed record PromptTexts(string System, string SourcesTitle, string Question, string Reminder, string Rewrite);
