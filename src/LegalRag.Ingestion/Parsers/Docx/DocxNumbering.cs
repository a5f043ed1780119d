using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Wordprocessing;

namespace LegalRag.Ingestion.Parsers.Docx;

/// <summary>
/// Renders Word list numbers ("(1)", "1.", "a)", "§ 3", "IV.") as the text Word would show, from
/// numbering.xml: each w:num points to an abstract numbering whose levels give a number format, a start
/// value and a level text such as "(%1)" or "%1.%2". As in Word, lists (w:num) sharing an abstract numbering
/// continue each other's numbers, except a list with a start override ("restart numbering"), which counts on
/// its own from its start value; a level restarts when a higher level advances.
/// </summary>
internal sealed class DocxNumbering
{
    private sealed record LevelFormat(string Format, int Start, string Text, string Suffix);

    private readonly Dictionary<int, Dictionary<int, LevelFormat>> _levelsByNumId = new();
    // Which counters a list uses: its abstract numbering's shared ones, or (with a start override) its own.
    private readonly Dictionary<int, string> _counterKeyByNumId = new();
    private readonly Dictionary<string, int?[]> _counters = new(StringComparer.Ordinal);

    public DocxNumbering(Numbering? numbering)
    {
        if (numbering is null) return;
        var abstracts = new Dictionary<int, Dictionary<int, LevelFormat>>();
        foreach (var abstractNum in numbering.Elements<AbstractNum>())
        {
            if (abstractNum.AbstractNumberId?.Value is not { } abstractId) continue;
            abstracts[abstractId] = abstractNum.Elements<Level>()
                .Where(l => l.LevelIndex?.Value is >= 0 and <= 8)
                .GroupBy(l => l.LevelIndex!.Value)
                .ToDictionary(g => g.Key, g => Describe(g.First()));
        }
        foreach (var instance in numbering.Elements<NumberingInstance>())
        {
            if (instance.NumberID?.Value is not { } numId || instance.AbstractNumId?.Val?.Value is not { } abstractId) continue;
            if (!abstracts.TryGetValue(abstractId, out var levels)) continue;
            var effective = new Dictionary<int, LevelFormat>(levels);
            var restarts = false;
            foreach (var levelOverride in instance.Elements<LevelOverride>())
            {
                if (levelOverride.LevelIndex?.Value is not { } index) continue;
                if (levelOverride.Level is { } level) effective[index] = Describe(level);
                if (levelOverride.StartOverrideNumberingValue?.Val?.Value is { } start && effective.TryGetValue(index, out var format))
                {
                    effective[index] = format with { Start = start };
                    restarts = true;
                }
            }
            _levelsByNumId[numId] = effective;
            _counterKeyByNumId[numId] = restarts ? $"num:{numId}" : $"abstract:{abstractId}";
        }
    }

    private static LevelFormat Describe(Level level)
    {
        var format = level.NumberingFormat?.Val?.InnerText ?? "decimal";
        var start = level.StartNumberingValue?.Val?.Value ?? 1;
        var text = level.LevelText?.Val?.Value ?? "";
        var suffix = level.LevelSuffix?.Val?.InnerText switch
        {
            "nothing" => "",
            _ => " ", // tab or space: both read as a space in running text
        };
        return new LevelFormat(format, start, text, suffix);
    }

    /// <summary>The number text for the next paragraph of list <paramref name="numId"/> at <paramref name="level"/>, or "" when none.</summary>
    public string Next(int numId, int level)
    {
        if (numId == 0 || !_levelsByNumId.TryGetValue(numId, out var levels) || !levels.TryGetValue(level, out var format)) return "";
        var key = _counterKeyByNumId[numId];
        if (!_counters.TryGetValue(key, out var counters)) _counters[key] = counters = new int?[9];
        counters[level] = counters[level] is { } current ? current + 1 : format.Start;
        for (var deeper = level + 1; deeper < counters.Length; deeper++) counters[deeper] = null;
        if (format.Format == "none") return "";
        if (format.Format == "bullet") return "•" + format.Suffix;

        var text = new StringBuilder();
        var pattern = format.Text;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '%' && i + 1 < pattern.Length && pattern[i + 1] is >= '1' and <= '9')
            {
                var referenced = pattern[i + 1] - '1';
                var referencedFormat = levels.GetValueOrDefault(referenced) ?? format;
                var value = counters[referenced] ?? referencedFormat.Start;
                text.Append(FormatNumber(value, referencedFormat.Format));
                i++;
            }
            else
            {
                text.Append(pattern[i]);
            }
        }
        return text.Length == 0 ? "" : text + format.Suffix;
    }

    private static string FormatNumber(int value, string format) => format switch
    {
        "lowerLetter" => Letters(value).ToLowerInvariant(),
        "upperLetter" => Letters(value),
        "lowerRoman" => Roman(value).ToLowerInvariant(),
        "upperRoman" => Roman(value),
        "decimalZero" => value.ToString("00", CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Word's letter numbering: a…z, then aa…zz, aaa… (the letter repeats).</summary>
    private static string Letters(int value)
    {
        if (value <= 0) return value.ToString(CultureInfo.InvariantCulture);
        var letter = (char)('A' + (value - 1) % 26);
        return new string(letter, (value - 1) / 26 + 1);
    }

    private static string Roman(int value)
    {
        if (value is <= 0 or >= 4000) return value.ToString(CultureInfo.InvariantCulture);
        (int Value, string Numeral)[] numerals =
            [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
        var sb = new StringBuilder();
        foreach (var (v, numeral) in numerals)
            while (value >= v)
            {
                sb.Append(numeral);
                value -= v;
            }
        return sb.ToString();
    }
}
