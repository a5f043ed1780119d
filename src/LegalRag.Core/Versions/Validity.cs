namespace LegalRag.Core.Versions;

/// <summary>
/// The one rule of validity intervals: a text is in force on a day when it started on or before that day and has not
/// ended. The end is the first day no longer in force (the next version's start, the day a repeal takes effect), so
/// one version ends on the day the next begins and no day has two. Unknown ends are open: a text whose start or end the
/// source does not give is not excluded for want of it.
/// </summary>
public static class Validity
{
    public static bool InForce(DateOnly? validFrom, DateOnly? validTo, DateOnly day) =>
        !(validFrom > day || validTo <= day);

    /// <summary>Both intervals hold the day (a provision's own and its act's).</summary>
    public static bool InForce(DateOnly? validFrom, DateOnly? validTo, DateOnly? actValidFrom, DateOnly? actValidTo, DateOnly day) =>
        InForce(validFrom, validTo, day) && InForce(actValidFrom, actValidTo, day);

    /// <summary>ISO yyyy-MM-dd, the spelling keys, payloads and JSON use.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
