using static LegalRag.Core.Languages.QuestionCues;

namespace LegalRag.Core.Languages;

/// <summary>Dutch question cues: "hoe lang", "hoeveel", "mag ik", "wie" and how the BW says it.</summary>
internal static class DutchQuestionCues
{
    private const string Numbers = @"(?:\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|vijftien|twintig|dertig)";

    public static QuestionCues Cues { get; } = new("nl",
    [
        new(QuestionKind.Duration,
            Pattern(@"\bhoe\s+lang\b|\bwelke\s+\w*termijn\b|\b\w*termijn\w*\b|\btot\s+wanneer\b|\bhoeveel\s+tijd\b|\bbinnen\s+welke\b|\bverjaa?r|\bvanaf\s+wanneer\b"),
            Pattern($@"\b{Numbers}\s+(?:dag|dagen|week|weken|maand|maanden|jaar|jaren|uur|werkdagen)\b|\b\w*termijn\b|\buiterlijk\b|\bverja|\bonverwijld\b")),
        new(QuestionKind.Amount,
            Pattern(@"\bhoeveel\b(?!\s+tijd)|\bhoe\s+hoog\b|\bwelk\s+bedrag\b|\bhoe\s+duur\b|\bwelk\s+percentage\b|\bkost\b"),
            Pattern(@"€|\beuro\b|\bprocent\b|%|\bbedrag\b|\bten\s+hoogste\b|\bmaximaal\b|\brente\b|\bprijs\b|\b\d+[.,]\d+\b")),
        new(QuestionKind.Permission,
            Pattern(@"^\s*(?:mag|mogen|moet|moeten|kan|kunnen|is\s+het|ben\s+ik|heb\s+ik)\b|\b(?:mag|moet|kan)\s+(?:ik|men|de|het|mijn|hij|zij)\b|\btoegestaan\b|\bverboden\b|\bbevoegd\b|\bverplicht\b|\brecht\s+op\b|\bgeldig\b"),
            Pattern(@"\bmag\b|\bmogen\b|\bmoet\b|\bmoeten\b|\bkan\b|\bkunnen\b|\bslechts\b|\bindien\b|\btenzij\b|\bbevoegd\b|\bverplicht\b|\bis\s+gehouden\b|\bnietig\b|\bvernietigbaar\b|\btoegestaan\b")),
        new(QuestionKind.Party,
            Pattern(@"^\s*(?:wie|aan\s+wie)\b|\bwie\s+(?:moet|betaalt|is\s+aansprakelijk|erft|draagt)\b"),
            Pattern(@"^\s*(?:\d+\.\s*)?(?:de|het)\s+\p{L}+(?:\s+\p{L}+){0,3}\s+(?:is|zijn|moet|moeten|kan|kunnen|draagt)\b|\baansprakelijk\b|\bis\s+gehouden\b")),
    ],
    ["recht", "rechten", "wet", "wetten", "wettelijk", "vraag", "vragen", "regel", "regels", "regeling", "artikel", "probleem", "geval", "situatie", "mogelijk", "eigenlijk", "precies", "bedankt"]);
}
