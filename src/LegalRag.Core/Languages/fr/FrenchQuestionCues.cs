using static LegalRag.Core.Languages.QuestionCues;

namespace LegalRag.Core.Languages;

/// <summary>French question cues: "combien de temps", "combien", "peut-on", "qui" and how the Code says it.</summary>
internal static class FrenchQuestionCues
{
    private const string Numbers = @"(?:\d+|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|soixante)";

    public static QuestionCues Cues { get; } = new("fr",
    [
        new(QuestionKind.Duration,
            Pattern(@"\bcombien\s+de\s+temps\b|\bquels?\s+(?:est\s+le\s+)?délais?\b|\bdans\s+quel\s+délai\b|\bdélais?\b|\bjusqu'?\s*à\s+quand\b|\bpendant\s+combien\b|\bquelle\s+durée\b|\bprescri|\bà\s+partir\s+de\s+quand\b"),
            Pattern($@"\b{Numbers}\s+(?:jours?|semaines?|mois|ans|années?|heures)\b|\bdélai\b|\bprescri\w*\b|\bdurée\b|\bsans\s+délai\b|\bau\s+plus\s+tard\b")),
        new(QuestionKind.Amount,
            Pattern(@"\bcombien\b(?!\s+de\s+temps)|\bquel\s+(?:est\s+le\s+)?(?:montant|taux|prix)\b|\bà\s+combien\b|\bcoûte\b"),
            Pattern(@"€|\beuros?\b|\bpour\s+cent\b|%|\btaux\b|\bmontant\b|\bprix\b|\bsomme\b|\bintérêts?\b|\b\d+[.,]\d+\b")),
        new(QuestionKind.Permission,
            Pattern(@"\b(?:peut|peuvent|puis|doit|doivent|dois)-(?:on|il|elle|ils|elles|je)\b|\best-il\s+(?:permis|possible|valable|interdit|obligatoire)\b|\bai-je\s+le\s+droit\b|\ba-t-on\s+le\s+droit\b|\ble\s+droit\s+de\b|\bautorisé|\binterdit|\bobligé|\btenu\s+de\b|\bvalable\b"),
            Pattern(@"\bne\s+peu(?:t|vent)\b|\bpeu(?:t|vent)\b|\bdoi(?:t|vent)\b|\best\s+tenu|\bsont\s+tenus|\bautoris|\binterdit|\bnul(?:le)?s?\b|\bsauf\b|\bà\s+(?:la\s+)?condition\b|\bà\s+peine\s+de\b|\bvalable\b|\boblig")),
        new(QuestionKind.Party,
            Pattern(@"^\s*(?:qui|à\s+qui)\b|\bqui\s+(?:doit|paie|est\s+responsable|hérite|supporte)\b"),
            Pattern(@"^\s*(?:le|la|les|l')\s*\p{L}+(?:\s+\p{L}+){0,3}\s+(?:est|sont|doit|doivent|peut|peuvent|répond)\b|\bresponsable\b|\best\s+tenu|\bsont\s+tenus")),
    ],
    ["droit", "droits", "loi", "lois", "question", "règle", "règles", "article", "problème", "cas", "situation", "possible", "légal", "légalement", "vraiment", "exactement", "merci"]);
}
