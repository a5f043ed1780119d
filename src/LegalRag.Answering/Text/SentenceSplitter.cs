namespace LegalRag.Answering.Text;

/// <summary>A span of a provision's paragraph: the unit the composer quotes and the verifier checks.</summary>
/// <param name="Start">Offset of the span in the paragraph text.</param>
public sealed record TextSpan(string Text, int Start);

/// <summary>
/// Splits statute text into sentences. Legal text is full of periods that end nothing: "Abs.", "Nr.",
/// "Art.", "z. B.", ordinals ("des 18. Lebensjahres") and enumerations ("1. der Mieter"), so a period
/// ends a sentence only when it follows a word that is not a known abbreviation, and the next
/// character starts a new sentence (an uppercase letter, a digit, a quote or a bracket).
/// </summary>
public static partial class SentenceSplitter
{
    // Statute text is split the same way whatever its language: every pack's abbreviations and reference words count.
    private static readonly HashSet<string> Abbreviations = new(
        LanguageRegistry.Default.All.SelectMany(l => l.Sentences.Abbreviations), StringComparer.OrdinalIgnoreCase);

    /// <summary>Sentences of one paragraph, trimmed, with their offsets; never empty for non-blank text.</summary>
    public static List<TextSpan> Split(string text)
    {
        var spans = new List<TextSpan>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is not ('.' or '!' or '?')) continue;
            if (!EndsSentence(text, i)) continue;
            var end = i + 1;
            // Keep a closing quote or bracket with its sentence.
            while (end < text.Length && text[end] is '"' or '“' or '”' or '»' or '«' or ')' or '’') end++;
            Add(spans, text, start, end);
            start = end;
        }
        Add(spans, text, start, text.Length);
        return spans;
    }

    private static bool EndsSentence(string text, int i)
    {
        // What follows: end of text, or whitespace then a sentence start.
        var j = i + 1;
        while (j < text.Length && text[j] is '"' or '“' or '”' or '»' or '’' or ')') j++;
        if (j >= text.Length) return true;
        if (!char.IsWhiteSpace(text[j])) return false;
        while (j < text.Length && char.IsWhiteSpace(text[j])) j++;
        if (j >= text.Length) return true;
        var next = text[j];
        if (!(char.IsUpper(next) || char.IsDigit(next) || next is '(' or '"' or '„' or '“' or '«' or '§')) return false;
        if (text[i] != '.') return true;

        // The word before the period.
        var k = i - 1;
        while (k >= 0 && (char.IsLetterOrDigit(text[k]) || text[k] is '.' or '°')) k--;
        var word = text[(k + 1)..i];
        if (word.Length == 0) return true;
        // "18. Lebensjahr", "1. der Mieter" — but "nach § 5 Satz 1. Danach …" ends: the number is a reference.
        if (word.All(char.IsDigit)) return ReferenceWords.Contains(WordBefore(text, k));
        if (word.Length == 1 && char.IsLetter(word[0])) return false; // "a.", initials, "lit. b."
        if (word.Contains('.')) return false;                // "z.B.", "i.V.m."
        if (Abbreviations.Contains(word)) return false;
        // Roman numerals in enumerations: "II. Teil".
        if (word.All(ch => "IVXLC".Contains(ch))) return false;
        return true;
    }

    /// <summary>Words after which a number is a reference ("Satz 1", "§ 5"), not an ordinal or list item.</summary>
    private static readonly HashSet<string> ReferenceWords = new(
        LanguageRegistry.Default.All.SelectMany(l => l.Sentences.ReferenceWords), StringComparer.OrdinalIgnoreCase);

    private static string WordBefore(string text, int end)
    {
        var k = end;
        while (k >= 0 && (char.IsWhiteSpace(text[k]) || text[k] == '.')) k--; // "Abs. 2." → "Abs"
        var stop = k;
        while (k >= 0 && (char.IsLetter(text[k]) || text[k] == '§')) k--;
        return text[(k + 1)..(stop + 1)].TrimEnd('.');
    }

    private static void Add(List<TextSpan> spans, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) spans.Add(new TextSpan(text[start..end], start));
    }

    /// <summary>A numbered or lettered item of an enumeration inside a sentence ("1. zwei Jahre bestanden hat, …").</summary>
    /// <param name="Label">The item's number or letter as cited: "2", "a" (without "." , ")" or "°").</param>
    public sealed record Item(string Label, TextSpan Span);

    /// <summary>
    /// The enumeration of a sentence: its introduction ("…, wenn das Arbeitsverhältnis … ") and its items,
    /// each starting a line with "1.", "2a.", "a)", "1°". Fewer than two items is no enumeration, and the
    /// result is then empty: the sentence is quoted whole.
    /// </summary>
    public static (TextSpan? Intro, List<Item> Items) Items(TextSpan sentence)
    {
        var items = new List<Item>();
        var matches = ItemStart().Matches(sentence.Text);
        if (matches.Count < 2) return (null, items);
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            var end = i + 1 < matches.Count ? matches[i + 1].Index : sentence.Text.Length;
            var start = m.Index;
            while (start < end && char.IsWhiteSpace(sentence.Text[start])) start++;
            var stop = end;
            while (stop > start && char.IsWhiteSpace(sentence.Text[stop - 1])) stop--;
            if (stop > start) items.Add(new Item(m.Groups["label"].Value, new TextSpan(sentence.Text[start..stop], sentence.Start + start)));
        }
        var introEnd = matches[0].Index;
        while (introEnd > 0 && char.IsWhiteSpace(sentence.Text[introEnd - 1])) introEnd--;
        TextSpan? intro = introEnd > 0 ? new TextSpan(sentence.Text[..introEnd], sentence.Start) : null;
        return (intro, items);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=^|\n)[ \t]*(?<label>\d{1,3}[a-z]?|[a-z]{1,2})(?:\.|\)|°)[ \t]+", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ItemStart();

    /// <summary>Clauses of a long sentence, cut after ';' and ':' (enumerations), for quoting only the telling part.</summary>
    public static List<TextSpan> Clauses(TextSpan sentence)
    {
        var list = new List<TextSpan>();
        var text = sentence.Text;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not (';' or ':')) continue;
            if (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1])) continue;
            AddClause(list, sentence, start, i + 1);
            start = i + 1;
        }
        AddClause(list, sentence, start, text.Length);
        return list;
    }

    private static void AddClause(List<TextSpan> list, TextSpan sentence, int start, int end)
    {
        var text = sentence.Text;
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end - start >= 20) list.Add(new TextSpan(text[start..end], sentence.Start + start));
    }
}
