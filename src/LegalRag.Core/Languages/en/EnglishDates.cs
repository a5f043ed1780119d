namespace LegalRag.Core.Languages;

/// <summary>English dates in questions: "on 1 January 2010", "as of March 3, 2012", "in March 2012", "in 2008".</summary>
internal static class EnglishDates
{
    public static DateWords Words { get; } = new()
    {
        Months = new Dictionary<string, int>
        {
            ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4,
            ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8, ["september"] = 9, ["sep"] = 9, ["sept"] = 9,
            ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
        },
        // Not "of": "the Act of 3 March 2012" names an act, not the day asked about.
        DayCues = ["on", "as of", "as at", "as on"],
        MonthCues = ["in", "as of", "during"],
        YearCues = ["in", "in the year", "as of", "during"],
        DayOrdinal = "st|nd|rd|th",
        MonthFirst = true,
    };
}
