using static LegalRag.Core.Languages.QuestionCues;

namespace LegalRag.Core.Languages;

/// <summary>German question cues: what "wie lange", "wie hoch", "darf ich", "wer" ask for, and how statutes say it.</summary>
internal static class GermanQuestionCues
{
    private const string Numbers = @"(?:\d+|eine[mnrs]?|ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|vierzehn|fünfzehn|zwanzig|dreißig|sechzig|neunzig)";

    public static QuestionCues Cues { get; } = new("de",
    [
        new(QuestionKind.Duration,
            Pattern(@"\bwie\s+lange\b|\bwelche[rnms]?\s+(?:\w+)?frist|\bfrist\w*\b|\bbis\s+wann\b|\binnerhalb\s+welche|\bbinnen\s+welche|\bwann\s+verjähr|\bverjährung|\bwie\s+viel\s+zeit\b|\bwie\s+viele\s+(?:tage|wochen|monate|jahre)\b|\bab\s+wann\b"),
            Pattern($@"\b{Numbers}\s+(?:werk|arbeits|kalender)?(?:tag|tage|tagen|tages|woche|wochen|monat|monate|monaten|monats|jahr|jahre|jahren|jahres|stunden)\b|\bfrist\s+von\b|\b\w*fristen?\b|\bunverzüglich\b|\bspätestens\b|\bbinnen\b|\bverjähr")),
        new(QuestionKind.Amount,
            Pattern(@"\bwie\s+hoch\b|\bwie\s*viel\b(?!\s+zeit)|\bwelche[rnms]?\s+betrag|\bin\s+welcher\s+höhe\b|\bwie\s+teuer\b|\bhöchstens\b|\bkostet\b|\bwie\s+viele\s+(?!tage|wochen|monate|jahre)"),
            Pattern(@"€|\beuro\b|\bprozent\b|%|\bvom\s+hundert\b|\b(?:doppelte|zweifache|dreifache)n?\b|\bhöchstens\b|\bbetrag\b|\bbeträgt\b|\bhöhe\b|\bmonatsmiete|\bprozentpunkte|\bzinssatz|\b\d+[.,]\d+\b")),
        new(QuestionKind.Permission,
            Pattern(@"^\s*(?:darf|dürfen|kann|können|muss|müssen|ist\s+es|bin\s+ich|habe\s+ich|hat\s+(?:der|die|mein)|steht\s+mir)\b|\b(?:darf|kann|muss)\s+(?:ich|man|er|sie|mein\w*|der|die)\b|\berlaubt\b|\bzulässig\b|\bverboten\b|\brecht\s+auf\b|\bberechtigt\b|\bverpflichtet\b|\bwehren\b"),
            Pattern(@"\bist\s+(?:nur\s+)?zulässig\b|\bunzulässig\b|\b(?:kann|darf|können|dürfen)\s+(?:\w+\s+){0,3}nur\b|\bnur\s+(?:dann\s+)?(?:,\s*)?(?:wenn|soweit|sofern)\b|\bes\s+sei\s+denn\b|\bberechtigt\b|\bverpflichtet\b|\bberechtigtes\s+interesse\b|\bausgeschlossen\b|\bunwirksam\b|\bnichtig\b|\bverlangen\b|\bist\s+\w+\s+zu\s+\w+|\bhat\s+\w+(?:\s+\w+)?\s+zu\s+\w+|\b(?:kann|darf|muss|können|dürfen|müssen)\b")),
        new(QuestionKind.Party,
            Pattern(@"^\s*(?:wer|wem|wen)\b|\b(?:wer|wem)\s+(?:muss|haftet|trägt|zahlt|bekommt|erbt|ist|hat)\b"),
            Pattern(@"^\s*(?:\(\d+\w?\)\s*)?(?:der|die|den|dem)\s+\p{Lu}\p{L}+(?:\s+\p{L}+){0,3}\s+(?:ist|sind|hat|haben|haftet|haften|trägt|tragen|kann|muss|erb)|\b(?:haftet|haften|trägt|tragen)\b|\bist\s+verpflichtet\b|\bwird\s+\w+\s+erbe\b|\berben\b")),
    ],
    // Words every legal question may contain that say nothing about its topic.
    ["Recht", "Rechte", "Gesetz", "Gesetze", "gesetzlich", "Frage", "Fragen", "Regel", "Regeln", "Regelung", "Vorschrift", "Vorschriften", "Paragraph", "Paragraf",
     "Problem", "Fall", "Situation", "erlaubt", "verboten", "Möglichkeit", "möglich", "richtig", "genau", "eigentlich", "bitte", "danke", "wissen", "heute", "jetzt", "gilt", "gelten"]);
}
