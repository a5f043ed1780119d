namespace LegalRag.Answering.Languages;

/// <summary>
/// Every sentence the answer service writes itself, per answer language (de, fr, nl, en, et). The
/// statute text is never translated: it is quoted as written, and the lead says in which language.
/// </summary>
public sealed record AnswerTexts
{
    public required string Language { get; init; }
    /// <summary>Lead over quotes from one provision; {0} is its citation with heading.</summary>
    public required string Lead { get; init; }
    /// <summary>Lead over quotes from several provisions; {0} lists them.</summary>
    public required string LeadMany { get; init; }
    /// <summary>Lead when no single provision clearly decides: one candidate; {0} is its citation with heading.</summary>
    public required string CandidateLead { get; init; }
    /// <summary>Lead when no single provision clearly decides: several candidates; {0} lists them.</summary>
    public required string CandidateLeadMany { get; init; }
    /// <summary>Appended to the lead when the provisions are in another language; {0} is that language's name.</summary>
    public required string QuotedIn { get; init; }
    public required string And { get; init; }
    public required string SeeAlso { get; init; }
    public required string Refusal { get; init; }
    public required string FallbackNotice { get; init; }
    public required string UncitedFlag { get; init; }
    public required string UnknownSourceFlag { get; init; }
    public required string QuoteNotFoundFlag { get; init; }
    public required string FlaggedNotice { get; init; }
    public required string OpenQuote { get; init; }
    public required string CloseQuote { get; init; }
    public required IReadOnlyDictionary<string, string> LanguageNames { get; init; }

    public string LanguageName(string code) => LanguageNames.TryGetValue(code, out var name) ? name : code;

    public static AnswerTexts For(string language) => All.TryGetValue(LanguageDetector.Normalize(language), out var t) ? t : All["en"];

    private static readonly Dictionary<string, AnswerTexts> All = new()
    {
        ["de"] = new()
        {
            Language = "de",
            CandidateLead = "In Betracht kommt: {0}",
            CandidateLeadMany = "In Betracht kommen: {0}",
            LeadMany = "Maßgeblich sind {0}:",
            Lead = "Maßgeblich ist {0}:",
            QuotedIn = " (Wortlaut auf {0})",
            And = "und",
            SeeAlso = "Siehe auch:",
            Refusal = "Dazu habe ich in den verfügbaren Vorschriften nichts Einschlägiges gefunden. Ich beantworte die Frage deshalb nicht, statt zu raten. Bitte formulieren Sie sie genauer oder wählen Sie eine andere Rechtssammlung.",
            FallbackNotice = "Das Sprachmodell ist gerade nicht erreichbar. Diese Antwort wurde direkt aus den Vorschriften zusammengestellt.",
            UncitedFlag = "nicht durch eine Quelle belegt",
            UnknownSourceFlag = "verweist auf eine Quelle, die es nicht gibt",
            QuoteNotFoundFlag = "Zitat steht so nicht in der Vorschrift",
            FlaggedNotice = "Einige Aussagen sind nicht belegt und wurden markiert (⚠).",
            OpenQuote = "„", CloseQuote = "“",
            LanguageNames = new Dictionary<string, string> { ["de"] = "Deutsch", ["fr"] = "Französisch", ["nl"] = "Niederländisch", ["en"] = "Englisch", ["et"] = "Estnisch" },
        },
        ["fr"] = new()
        {
            Language = "fr",
            CandidateLead = "Disposition pertinente : {0}",
            CandidateLeadMany = "Dispositions pertinentes : {0}",
            LeadMany = "Les dispositions applicables sont {0} :",
            Lead = "La disposition applicable est {0} :",
            QuotedIn = " (texte en {0})",
            And = "et",
            SeeAlso = "Voir aussi :",
            Refusal = "Je n'ai rien trouvé de pertinent à ce sujet dans les dispositions disponibles. Je ne réponds donc pas plutôt que de deviner. Veuillez préciser la question ou choisir un autre corpus.",
            FallbackNotice = "Le modèle de langue est momentanément indisponible. Cette réponse a été composée directement à partir des dispositions.",
            UncitedFlag = "non étayé par une source",
            UnknownSourceFlag = "renvoie à une source inexistante",
            QuoteNotFoundFlag = "la citation ne figure pas telle quelle dans la disposition",
            FlaggedNotice = "Certaines affirmations ne sont pas étayées et ont été signalées (⚠).",
            OpenQuote = "« ", CloseQuote = " »",
            LanguageNames = new Dictionary<string, string> { ["de"] = "allemand", ["fr"] = "français", ["nl"] = "néerlandais", ["en"] = "anglais", ["et"] = "estonien" },
        },
        ["nl"] = new()
        {
            Language = "nl",
            CandidateLead = "Mogelijk relevant: {0}",
            CandidateLeadMany = "Mogelijk relevant: {0}",
            LeadMany = "Van toepassing zijn {0}:",
            Lead = "Van toepassing is {0}:",
            QuotedIn = " (tekst in het {0})",
            And = "en",
            SeeAlso = "Zie ook:",
            Refusal = "Ik heb hierover in de beschikbare bepalingen niets relevants gevonden. Ik beantwoord de vraag daarom niet in plaats van te gissen. Formuleer de vraag nauwkeuriger of kies een andere verzameling.",
            FallbackNotice = "Het taalmodel is op dit moment niet bereikbaar. Dit antwoord is rechtstreeks uit de bepalingen samengesteld.",
            UncitedFlag = "niet door een bron gestaafd",
            UnknownSourceFlag = "verwijst naar een bron die niet bestaat",
            QuoteNotFoundFlag = "citaat staat niet letterlijk in de bepaling",
            FlaggedNotice = "Sommige uitspraken zijn niet gestaafd en zijn gemarkeerd (⚠).",
            OpenQuote = "‘", CloseQuote = "’",
            LanguageNames = new Dictionary<string, string> { ["de"] = "Duits", ["fr"] = "Frans", ["nl"] = "Nederlands", ["en"] = "Engels", ["et"] = "Estisch" },
        },
        ["en"] = new()
        {
            Language = "en",
            CandidateLead = "Possibly relevant: {0}",
            CandidateLeadMany = "Possibly relevant: {0}",
            LeadMany = "The relevant provisions are {0}:",
            Lead = "The relevant provision is {0}:",
            QuotedIn = " (quoted in {0})",
            And = "and",
            SeeAlso = "See also:",
            Refusal = "I found nothing relevant to this in the available provisions, so I will not answer rather than guess. Please rephrase the question or choose another corpus.",
            FallbackNotice = "The language model is unavailable right now. This answer was composed directly from the provisions.",
            UncitedFlag = "not supported by a source",
            UnknownSourceFlag = "cites a source that does not exist",
            QuoteNotFoundFlag = "quote does not appear in the provision",
            FlaggedNotice = "Some statements are not supported by a source and are flagged (⚠).",
            OpenQuote = "“", CloseQuote = "”",
            LanguageNames = new Dictionary<string, string> { ["de"] = "German", ["fr"] = "French", ["nl"] = "Dutch", ["en"] = "English", ["et"] = "Estonian" },
        },
        ["et"] = new()
        {
            Language = "et",
            CandidateLead = "Võimalik asjakohane säte: {0}",
            CandidateLeadMany = "Võimalikud asjakohased sätted: {0}",
            LeadMany = "Asjakohased sätted on {0}:",
            Lead = "Asjakohane säte on {0}:",
            QuotedIn = " (tekst {0} keeles)",
            And = "ja",
            SeeAlso = "Vaata ka:",
            Refusal = "Ma ei leidnud olemasolevatest sätetest selle kohta midagi asjakohast, seega ma ei vasta, selle asemel et oletada. Palun täpsustage küsimust või valige teine õigusaktide kogu.",
            FallbackNotice = "Keelemudel ei ole praegu kättesaadav. See vastus on koostatud otse sätete põhjal.",
            UncitedFlag = "ei ole allikaga toetatud",
            UnknownSourceFlag = "viitab allikale, mida ei ole",
            QuoteNotFoundFlag = "tsitaati ei ole sättes sõna-sõnalt",
            FlaggedNotice = "Mõned väited ei ole allikaga toetatud ja on märgitud (⚠).",
            OpenQuote = "„", CloseQuote = "“",
            LanguageNames = new Dictionary<string, string> { ["de"] = "saksa", ["fr"] = "prantsuse", ["nl"] = "hollandi", ["en"] = "inglise", ["et"] = "eesti" },
        },
    };
}
