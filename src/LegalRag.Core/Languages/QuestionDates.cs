using System.Globalization;
using System.Text.RegularExpressions;

namespace LegalRag.Core.Languages;

/// <summary>How much of a day a question named: a year alone reads as its 1 January, a month as its first day.</summary>
public enum DatePrecision
{
    Day,
    Month,
    Year,
}

/// <summary>A date read from a question.</summary>
/// <param name="Day">The day whose law is asked for.</param>
/// <param name="Index">Where the date's words (its cue included: "en 2008") start in the question.</param>
/// <param name="Text">Those words as written, to quote back to the user.</param>
/// <param name="Language">The pack whose words matched.</param>
public sealed record QuestionDate(DateOnly Day, int Index, string Text, DatePrecision Precision, string Language)
{
    public int Length => Text.Length;
}

/// <summary>
/// Reads the day a question asks about ("Quel était le délai en 2008 ?", "Was galt am 3. März 2012?", "Wat gold op
/// 1 januari 2010?") with the date words of the language packs (<see cref="DateWords"/>), and gives the question back
/// without them, so the year is not searched as a word (the Code civil has an article 2008). ISO dates
/// ("2010-01-01") are read in every language without a cue. Only years 1700 to 2199 are dates; a number followed by
/// a hyphen, slash or degree sign ("2008-776", "n° 2010") is an identifier.
/// </summary>
public static class QuestionDates
{
    private const int MinYear = 1700;
    private const int MaxYear = 2199;
    private const string Year = @"(?<year>1[7-9]\d\d|2[01]\d\d)(?![\d°]|[-/.]\d)";
    // Not inside a word or number: "au" in "bureau", "in" in "Berlin", "am" in "Damm".
    private const string Before = @"(?<![\p{L}\p{N}§])";

    private static readonly Regex Iso = new(Before + @"(?<year>\d{4})-(?<mon>\d{2})-(?<day>\d{2})(?![\d-])",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    // One compiled pattern per pack, built once: packs are immutable, so this cache never changes after start.
    private static readonly IReadOnlyDictionary<string, Regex> Patterns =
        LanguageRegistry.Default.All.Where(l => !l.Dates.IsEmpty).ToDictionary(l => l.Code, l => Build(l.Dates), StringComparer.Ordinal);

    /// <summary>The first date the question names, read in <paramref name="language"/>'s words first, then in every
    /// other pack's; null when it names none.</summary>
    public static QuestionDate? Find(string question, string? language = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        var code = language is null ? null : LanguageRegistry.NormalizeCode(language);
        var order = LanguageRegistry.Default.All.Select(l => l.Code).OrderBy(c => c == code ? 0 : 1).ToList();
        foreach (var c in order)
        {
            if (!Patterns.TryGetValue(c, out var pattern)) continue;
            if (Read(question, pattern, LanguageRegistry.Default.Find(c)!.Dates, c) is { } found) return found;
        }
        foreach (Match m in Iso.Matches(question))
            if (Day(m.Groups["year"].Value, m.Groups["mon"].Value, m.Groups["day"].Value) is { } day)
                return new QuestionDate(day, m.Index, m.Value, DatePrecision.Day, code ?? "");
        return null;
    }

    /// <summary>The question without the date's words: what retrieval searches. What followed the date keeps the
    /// spacing it had ("en 2008 ?" leaves "… prescription ?", "in 2008?" leaves "… period?").</summary>
    public static string Without(string question, QuestionDate date)
    {
        var left = question[..date.Index].TrimEnd();
        var after = question[(date.Index + date.Length)..];
        var right = after.TrimStart();
        var gap = right.Length > 0 && !char.IsLetterOrDigit(right[0]) && right[0] is not ('(' or '«' or '"') ? after[..^right.Length] : " ";
        left = left.TrimEnd(',');
        return (left.Length == 0 ? right : right.Length == 0 ? left : left + gap + right).Trim();
    }

    private static QuestionDate? Read(string question, Regex pattern, DateWords words, string language)
    {
        foreach (Match m in pattern.Matches(question))
        {
            var month = m.Groups["mon"].Success ? m.Groups["mon"].Value
                : m.Groups["mname"].Success && words.Months.TryGetValue(m.Groups["mname"].Value.ToLowerInvariant().TrimEnd('.'), out var named) ? named.ToString(CultureInfo.InvariantCulture)
                : null;
            var precision = m.Groups["day"].Success ? DatePrecision.Day : month is not null ? DatePrecision.Month : DatePrecision.Year;
            var day = Day(m.Groups["year"].Value, month ?? "1", m.Groups["day"].Success ? m.Groups["day"].Value : "1");
            if (day is null) continue;
            return new QuestionDate(day.Value, m.Index, m.Value.TrimEnd(), precision, language);
        }
        return null;
    }

    private static DateOnly? Day(string year, string month, string day)
    {
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < MinYear or > MaxYear) return null;
        if (!int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var mo) || mo is < 1 or > 12) return null;
        if (!int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d < 1 || d > DateTime.DaysInMonth(y, mo)) return null;
        return new DateOnly(y, mo, d);
    }

    private static Regex Build(DateWords words)
    {
        static string Alternatives(IEnumerable<string> items) => string.Join("|", items.OrderByDescending(s => s.Length));
        var months = Alternatives(words.Months.Keys.Select(Regex.Escape));
        var monthName = $@"(?<mname>(?:{months})\.?)(?!\p{{L}})";
        var ordinal = words.DayOrdinal.Length == 0 ? "" : $"(?:{words.DayOrdinal})?";
        var day = $@"(?<day>[0-3]?\d){ordinal}";
        var bodies = new List<string>
        {
            $@"{day}\s+{monthName}\s+{Year}",
            // 01/01/2010, 1.1.2010, 01-01-2010
            $@"(?<day>[0-3]?\d)(?<sep>[./-])(?<mon>[01]?\d)\k<sep>{Year}",
            // 2010-01-01 after a cue (the cue is then part of the date's words)
            @"(?<year>1[7-9]\d\d|2[01]\d\d)-(?<mon>[01]\d)-(?<day>[0-3]\d)(?!\d)",
        };
        if (words.MonthFirst) bodies.Add($@"{monthName}\s+{day},?\s+{Year}");
        var alternatives = new List<string>();
        if (words.DayCues.Count > 0) alternatives.Add($@"(?:{Alternatives(words.DayCues)})\s+(?:{string.Join("|", bodies)})");
        if (words.MonthCues.Count > 0) alternatives.Add($@"(?:{Alternatives(words.MonthCues)})\s+{monthName}\s+{Year}");
        if (words.YearCues.Count > 0) alternatives.Add($@"(?:{Alternatives(words.YearCues)})\s+{Year}");
        // Several alternatives define the same group names; .NET allows it, and only the matching one is set.
        return new Regex($@"{Before}(?:{string.Join("|", alternatives)})(?!\p{{L}})",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
