using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LegalRag.Embeddings.Tokenizers;

/// <summary>A tokenizer.json "normalizer": rewrites text before it is split into words.</summary>
internal interface INormalizer
{
    string Normalize(string text);
}

internal static class Normalizers
{
    public static INormalizer? Create(JsonElement config)
    {
        if (config.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var type = config.RequiredString("type");
        return type switch
        {
            "BertNormalizer" => new BertNormalizer(
                config.OptionalBool("clean_text") ?? true,
                config.OptionalBool("handle_chinese_chars") ?? true,
                config.OptionalBool("strip_accents"),
                config.OptionalBool("lowercase") ?? true),
            "NFC" => new UnicodeNormalizer(NormalizationForm.FormC),
            "NFD" => new UnicodeNormalizer(NormalizationForm.FormD),
            "NFKC" => new UnicodeNormalizer(NormalizationForm.FormKC),
            "NFKD" => new UnicodeNormalizer(NormalizationForm.FormKD),
            "Lowercase" => new DelegateNormalizer(t => t.ToLowerInvariant()),
            "StripAccents" => new DelegateNormalizer(TextRules.StripMarks),
            "Strip" => new StripNormalizer(config.OptionalBool("strip_left") ?? true, config.OptionalBool("strip_right") ?? true),
            "Replace" => new ReplaceNormalizer(Patterns.Create(config.GetProperty("pattern")), config.OptionalString("content") ?? ""),
            "Precompiled" => new PrecompiledApproximation(),
            "Sequence" => new SequenceNormalizer(config.GetProperty("normalizers").EnumerateArray().Select(Create).OfType<INormalizer>().ToArray()),
            _ => throw new NotSupportedException($"normalizer type '{type}' is not supported"),
        };
    }
}

/// <summary>
/// BERT's normalizer: drop control characters and map whitespace to spaces, pad CJK ideographs with spaces, then
/// lowercase and strip accents (strip_accents defaults to the lowercase setting).
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : INormalizer
{
    public string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (cleanText)
            {
                if (rune.Value == 0 || rune.Value == 0xFFFD || TextRules.IsControl(rune))
                {
                    continue;
                }

                if (Rune.IsWhiteSpace(rune))
                {
                    builder.Append(' ');
                    continue;
                }
            }

            if (handleChineseChars && TextRules.IsChineseChar(rune.Value))
            {
                builder.Append(' ').Append(rune.ToString()).Append(' ');
                continue;
            }

            builder.Append(rune.ToString());
        }

        var result = builder.ToString();
        // Accents go before lowercasing (Hugging Face does it the other way round): .NET's invariant lowercasing leaves
        // "İ" (U+0130) as it is, where Hugging Face's full lowercasing makes "i" + U+0307 and then strips the dot.
        // Stripping first gives the same "i"; for every other character the order makes no difference.
        if (stripAccents ?? lowercase)
        {
            result = TextRules.StripMarks(result);
        }

        if (lowercase)
        {
            result = result.ToLowerInvariant();
        }

        return result;
    }
}

internal sealed class UnicodeNormalizer(NormalizationForm form) : INormalizer
{
    public string Normalize(string text) => text.Normalize(form);
}

internal sealed class DelegateNormalizer(Func<string, string> normalize) : INormalizer
{
    public string Normalize(string text) => normalize(text);
}

internal sealed class StripNormalizer(bool left, bool right) : INormalizer
{
    public string Normalize(string text) => (left, right) switch
    {
        (true, true) => text.Trim(),
        (true, false) => text.TrimStart(),
        (false, true) => text.TrimEnd(),
        _ => text,
    };
}

internal sealed class ReplaceNormalizer(Regex pattern, string content) : INormalizer
{
    public string Normalize(string text) => pattern.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
}

internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    public string Normalize(string text)
    {
        foreach (var normalizer in normalizers)
        {
            text = normalizer.Normalize(text);
        }

        return text;
    }
}

/// <summary>
/// Approximates SentencePiece's "Precompiled" normalizer (XLM-R family) without decoding its charsmap: remove
/// control characters, map the whitespace-like characters SentencePiece maps to a space, then NFKC. This is the same
/// approximation transformers.js makes; the charsmap's rare extra rules are not reproduced.
/// </summary>
internal sealed class PrecompiledApproximation : INormalizer
{
    private static readonly Regex Controls = new("[\u0001-\u0008\u000B\u000E-\u001F\u007F\u008F\u009F]", RegexOptions.CultureInvariant);
    private static readonly Regex Spaces = new("[\u0009\u000A\u000C\u000D\u00A0\u1680\u2000-\u200F\u2028\u2029\u202F\u205F\u2581\u3000\uFEFF\uFFFD]", RegexOptions.CultureInvariant);

    public string Normalize(string text)
    {
        text = Controls.Replace(text, "");
        text = Spaces.Replace(text, " ");
        // SentencePiece keeps U+FF5E (fullwidth tilde) as is; NFKC would turn it into '~'.
        return text.Contains('\uFF5E', StringComparison.Ordinal)
            ? string.Join('\uFF5E', text.Split('\uFF5E').Select(part => part.Normalize(NormalizationForm.FormKC)))
            : text.Normalize(NormalizationForm.FormKC);
    }
}

/// <summary>Character classes shared by normalizers and pre-tokenizers (BERT's definitions).</summary>
internal static class TextRules
{
    public static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>CJK Unified Ideographs and their extensions / compatibility blocks, as BERT defines "Chinese character".</summary>
    public static bool IsChineseChar(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    /// <summary>ASCII symbol ranges count as punctuation too (BERT splits "$" and "^" off words).</summary>
    public static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsNoncharacter(Rune rune) => rune.Value is >= 0xFDD0 and <= 0xFDEF || (rune.Value & 0xFFFE) == 0xFFFE;

    /// <summary>NFD, then drop non-spacing marks: "é" becomes "e", Arabic harakat disappear.</summary>
    public static string StripMarks(string text)
    {
        // ICU refuses to normalize text holding a noncharacter (U+FFFE, U+FDD0…): make it U+FFFD, which becomes [UNK]
        // as the noncharacter itself would, instead of failing the whole text.
        if (text.EnumerateRunes().Any(IsNoncharacter))
        {
            text = string.Concat(text.EnumerateRunes().Select(r => IsNoncharacter(r) ? Rune.ReplacementChar.ToString() : r.ToString()));
        }

        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}

/// <summary>tokenizer.json patterns: {"String": "..."} (literal) or {"Regex": "..."}.</summary>
internal static class Patterns
{
    public static Regex Create(JsonElement pattern)
    {
        if (pattern.TryGetProperty("String", out var literal))
        {
            return new Regex(Regex.Escape(literal.GetString() ?? ""), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        if (pattern.TryGetProperty("Regex", out var regex))
        {
            return new Regex(regex.GetString() ?? "", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        throw new NotSupportedException("pattern must have a 'String' or 'Regex' property");
    }
}

internal static class JsonExtensions
{
    public static string RequiredString(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"missing string property '{name}'");

    public static string? OptionalString(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool? OptionalBool(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public static int? OptionalInt(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
