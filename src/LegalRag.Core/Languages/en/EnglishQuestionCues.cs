using static LegalRag.Core.Languages.QuestionCues;

namespace LegalRag.Core.Languages;

/// <summary>English question cues: "how long", "how much", "may I", "who" and how statutes say it.</summary>
internal static class EnglishQuestionCues
{
    private const string Numbers = @"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|fifteen|twenty|thirty|sixty|ninety)";

    public static QuestionCues Cues { get; } = new("en",
    [
        new(QuestionKind.Duration,
            Pattern(@"\bhow\s+long\b|\bwhat\s+(?:\w+\s+)?(?:time\s+limit|deadline|period|notice)\b|\bdeadline\b|\bby\s+when\b|\bwithin\s+what\b|\blimitation\b|\bhow\s+many\s+(?:days|weeks|months|years)\b"),
            Pattern($@"\b{Numbers}\s+(?:days?|weeks?|months?|years?|hours)\b|\bperiod\s+of\b|\btime\s+limit\b|\bwithout\s+delay\b|\bat\s+the\s+latest\b|\blimitation\b|\bwithin\b")),
        new(QuestionKind.Amount,
            Pattern(@"\bhow\s+much\b|\bhow\s+high\b|\bwhat\s+(?:is\s+the\s+)?(?:amount|rate|sum|price)\b|\bhow\s+many\s+(?!days|weeks|months|years)"),
            Pattern(@"€|\$|£|\beuros?\b|\bper\s+cent\b|\bpercent\b|%|\bamount\b|\brate\b|\bsum\b|\b\d+[.,]\d+\b")),
        new(QuestionKind.Permission,
            Pattern(@"^\s*(?:may|can|must|is\s+it|am\s+i|do\s+i\s+have\s+to|does|do)\b|\b(?:may|can|must)\s+(?:i|one|my|the|he|she|they)\b|\ballowed\b|\bpermitted\b|\bentitled\b|\bobliged\b|\bright\s+to\b|\blegal\b|\bvalid\b"),
            Pattern(@"\bmay\b|\bcan\s+only\b|\bshall\b|\bmust\b|\bonly\s+if\b|\bunless\b|\bentitled\b|\bobliged\b|\bpermitted\b|\bprohibited\b|\bvoid\b|\binvalid\b|\bprovided\s+that\b")),
        new(QuestionKind.Party,
            Pattern(@"^\s*(?:who|whom|to\s+whom)\b|\bwho\s+(?:must|pays|is\s+liable|inherits|bears)\b"),
            Pattern(@"^\s*(?:the|a|an)\s+\p{L}+(?:\s+\p{L}+){0,3}\s+(?:is|are|shall|must|may|bears)\b|\bliable\b|\bresponsible\b")),
    ],
    ["law", "laws", "legal", "legally", "right", "rights", "rule", "rules", "question", "article", "section", "problem", "case", "situation", "possible", "actually", "exactly", "please", "thanks"]);
}
