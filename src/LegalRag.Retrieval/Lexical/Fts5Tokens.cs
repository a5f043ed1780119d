using System.Globalization;
using System.Text;

namespace LegalRag.Retrieval.Lexical;

/// <summary>
/// Splits text the way SQLite FTS5's unicode61 tokenizer (remove_diacritics 0) does: a token is a run of letters,
/// numbers and private-use characters; everything else separates; tokens are lowercased. The store's rows hold
/// analyzed terms already (letters and digits, lowercase), so for them this mostly splits on spaces; it matters for
/// query terms that carry anything else (a quote, a colon), which FTS5 reads as several tokens.
/// </summary>
public static class Fts5Tokens
{
    /// <summary>Calls <paramref name="onToken"/> with each token of <paramref name="text"/> (a slice of it when it is
    /// already lowercase, else a lowercased copy).</summary>
    public static void ForEach<TState>(string text, ref TState state, TokenAction<TState> onToken)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !IsTokenChar(text, i, out _)) i += Step(text, i);
            var start = i;
            var lower = true;
            while (i < text.Length && IsTokenChar(text, i, out var upper))
            {
                lower &= !upper;
                i += Step(text, i);
            }
            if (i > start)
            {
                var span = text.AsSpan(start, i - start);
                if (lower) onToken(span, ref state);
                else onToken(Lowercase(span), ref state);
            }
        }
    }

    /// <summary>The tokens of <paramref name="text"/> as strings.</summary>
    public static List<string> Split(string text)
    {
        var tokens = new List<string>();
        ForEach(text, ref tokens, static (ReadOnlySpan<char> token, ref List<string> list) => list.Add(token.ToString()));
        return tokens;
    }

    /// <summary>How many tokens <paramref name="text"/> has (what FTS5 counts into a row's length).</summary>
    public static int Count(string text)
    {
        var count = 0;
        ForEach(text, ref count, static (ReadOnlySpan<char> _, ref int n) => n++);
        return count;
    }

    public delegate void TokenAction<TState>(ReadOnlySpan<char> token, ref TState state);

    private static int Step(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;

    private static bool IsTokenChar(string text, int i, out bool upper)
    {
        upper = false;
        var c = text[i];
        if (c < 128)
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') return true;
            if (c is >= 'A' and <= 'Z') { upper = true; return true; }
            return false;
        }
        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1]));
        else if (char.IsSurrogate(c)) return false;
        else category = CharUnicodeInfo.GetUnicodeCategory(c);
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
                upper = true;
                return true;
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.PrivateUse:
                return true;
            default:
                return false;
        }
    }

    private static ReadOnlySpan<char> Lowercase(ReadOnlySpan<char> token)
    {
        var sb = new StringBuilder(token.Length);
        foreach (var rune in token.EnumerateRunes()) sb.Append(Rune.ToLowerInvariant(rune).ToString());
        return sb.ToString().AsSpan();
    }
}
