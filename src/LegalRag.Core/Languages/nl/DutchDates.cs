namespace LegalRag.Core.Languages;

/// <summary>Dutch dates in questions: "op 1 januari 2010", "per 01-01-2010", "in maart 2012", "in 2010".</summary>
internal static class DutchDates
{
    public static DateWords Words { get; } = new()
    {
        Months = new Dictionary<string, int>
        {
            ["januari"] = 1, ["jan"] = 1, ["februari"] = 2, ["feb"] = 2, ["maart"] = 3, ["mrt"] = 3, ["april"] = 4, ["apr"] = 4,
            ["mei"] = 5, ["juni"] = 6, ["jun"] = 6, ["juli"] = 7, ["jul"] = 7, ["augustus"] = 8, ["aug"] = 8, ["september"] = 9, ["sep"] = 9, ["sept"] = 9,
            ["oktober"] = 10, ["okt"] = 10, ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
        },
        // Not "van": "de wet van 27 oktober 1965" names an act, not the day asked about.
        DayCues = ["op", "per", "met ingang van", "peildatum", "peildatum:"],
        MonthCues = ["in", "in de maand"],
        YearCues = ["in", "in het jaar", "anno"],
        DayOrdinal = "e|ste|de",
    };
}
