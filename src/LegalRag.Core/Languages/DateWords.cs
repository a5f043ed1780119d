namespace LegalRag.Core.Languages;

/// <summary>
/// How questions in one language name a day, a month or a year ("au 1er janvier 2010", "im Jahr 2015", "op 1 januari
/// 2010"). A date is read only after one of the cue words, so the numbers in "§ 2015", "Art. 1990 BGB" or "la loi du
/// 3 mars 2012" (an act's name) never become the day whose law is asked for. <see cref="QuestionDates"/> reads them.
/// </summary>
public sealed record DateWords
{
    /// <summary>A language without date words: its questions are never read for a date.</summary>
    public static DateWords None { get; } = new();

    /// <summary>Month names and their usual abbreviations, lowercase, with the month's number.</summary>
    public IReadOnlyDictionary<string, int> Months { get; init; } = new Dictionary<string, int>();

    /// <summary>Regex alternatives, lowercase, that introduce a full date: "au", "le", "am", "op", "on", "as of".</summary>
    public IReadOnlyList<string> DayCues { get; init; } = [];

    /// <summary>… a month and year: "en", "im", "in".</summary>
    public IReadOnlyList<string> MonthCues { get; init; } = [];

    /// <summary>… a year alone: "en", "im Jahr(?:e)?", "in het jaar".</summary>
    public IReadOnlyList<string> YearCues { get; init; } = [];

    /// <summary>Regex for what may follow a day's number: "er" (1er), "." (3.), "st|nd|rd|th".</summary>
    public string DayOrdinal { get; init; } = "";

    /// <summary>The month may come before the day ("on January 1, 2010").</summary>
    public bool MonthFirst { get; init; }

    /// <summary>True when the language reads no dates.</summary>
    public bool IsEmpty => DayCues.Count == 0 && MonthCues.Count == 0 && YearCues.Count == 0;
}
