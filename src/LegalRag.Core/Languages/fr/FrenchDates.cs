namespace LegalRag.Core.Languages;

/// <summary>French dates in questions: "au 1er janvier 2010", "le 3 mars 2012", "en mars 2012", "en 2008".</summary>
internal static class FrenchDates
{
    public static DateWords Words { get; } = new()
    {
        Months = new Dictionary<string, int>
        {
            ["janvier"] = 1, ["janv"] = 1, ["février"] = 2, ["fevrier"] = 2, ["févr"] = 2, ["fevr"] = 2, ["mars"] = 3, ["avril"] = 4, ["avr"] = 4,
            ["mai"] = 5, ["juin"] = 6, ["juillet"] = 7, ["juil"] = 7, ["août"] = 8, ["aout"] = 8, ["septembre"] = 9, ["sept"] = 9,
            ["octobre"] = 10, ["oct"] = 10, ["novembre"] = 11, ["nov"] = 11, ["décembre"] = 12, ["decembre"] = 12, ["déc"] = 12, ["dec"] = 12,
        },
        // Not "du": "la loi du 3 mars 2012" names an act, not the day asked about.
        DayCues = ["au", "le", "en date du", "à la date du", "a la date du"],
        MonthCues = ["en", "au mois de", "en mois de"],
        YearCues = ["en", "en l'an", "en l’an", "en l'année", "en l’année", "au cours de l'année", "au cours de l’année", "pendant l'année", "pendant l’année", "dans l'année", "dans l’année"],
        DayOrdinal = "er|re",
    };
}
