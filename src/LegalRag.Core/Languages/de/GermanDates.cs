namespace LegalRag.Core.Languages;

/// <summary>German dates in questions: "am 3. März 2012", "zum 1.1.2010", "im März 2012", "im Jahr 2015".</summary>
internal static class GermanDates
{
    public static DateWords Words { get; } = new()
    {
        Months = new Dictionary<string, int>
        {
            ["januar"] = 1, ["jänner"] = 1, ["jan"] = 1, ["februar"] = 2, ["feber"] = 2, ["feb"] = 2, ["märz"] = 3, ["maerz"] = 3, ["mär"] = 3,
            ["april"] = 4, ["apr"] = 4, ["mai"] = 5, ["juni"] = 6, ["jun"] = 6, ["juli"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8,
            ["september"] = 9, ["sep"] = 9, ["sept"] = 9, ["oktober"] = 10, ["okt"] = 10, ["november"] = 11, ["nov"] = 11, ["dezember"] = 12, ["dez"] = 12,
        },
        // Not "vom": "Gesetz vom 3. März 2012" names an act, not the day asked about.
        DayCues = ["am", "zum", "per", "stand", "stand:", "mit stand", "am tag des", "zum stichtag", "stichtag"],
        MonthCues = ["im", "im monat"],
        YearCues = ["im jahr", "im jahre", "in", "anno"],
        DayOrdinal = @"\.",
    };
}
