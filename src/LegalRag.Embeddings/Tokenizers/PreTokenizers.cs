using System.Text;
using System.Text.Json;

namespace LegalRag.Embeddings.Tokenizers;

/// <summary>A tokenizer.json "pre_tokenizer": splits normalized text into words the model encodes one by one.</summary>
internal interface IPreTokenizer
{
    /// <param name="sectionIndex">Index of the text section between added tokens (Metaspace "first" scheme needs it).</param>
    IEnumerable<string> Split(string text, int sectionIndex);
}

internal static class PreTokenizers
{
    public static IPreTokenizer? Create(JsonElement config)
    {
        if (config.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var type = config.RequiredString("type");
        return type switch
        {
            "BertPreTokenizer" => new BertPreTokenizer(),
            "WhitespaceSplit" => new WhitespaceSplit(),
            "Metaspace" => Metaspace.FromConfig(config),
            "Sequence" => new SequencePreTokenizer(config.GetProperty("pretokenizers").EnumerateArray().Select(Create).OfType<IPreTokenizer>().ToArray()),
            _ => throw new NotSupportedException($"pre_tokenizer type '{type}' is not supported"),
        };
    }
}

/// <summary>Splits on whitespace and makes every punctuation character a word of its own.</summary>
internal sealed class BertPreTokenizer : IPreTokenizer
{
    public IEnumerable<string> Split(string text, int sectionIndex)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                Flush();
            }
            else if (TextRules.IsPunctuation(rune))
            {
                Flush();
                words.Add(rune.ToString());
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }
}

internal sealed class WhitespaceSplit : IPreTokenizer
{
    public IEnumerable<string> Split(string text, int sectionIndex)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}

/// <summary>
/// SentencePiece-style: spaces become "▁", a "▁" is prepended (scheme always/first/never), and with split=true
/// the text is cut before every "▁" so each word carries its own marker.
/// </summary>
internal sealed class Metaspace(string replacement, string prependScheme, bool split) : IPreTokenizer
{
    public static Metaspace FromConfig(JsonElement config)
    {
        var replacement = config.OptionalString("replacement") ?? "\u2581";
        // Older files say add_prefix_space (true = always); newer ones prepend_scheme.
        var scheme = config.OptionalString("prepend_scheme") ?? ((config.OptionalBool("add_prefix_space") ?? true) ? "always" : "never");
        return new Metaspace(replacement, scheme, config.OptionalBool("split") ?? true);
    }

    public IEnumerable<string> Split(string text, int sectionIndex)
    {
        var replaced = text.Replace(" ", replacement, StringComparison.Ordinal);
        var prepend = prependScheme == "always" || (prependScheme == "first" && sectionIndex == 0);
        if (prepend && !replaced.StartsWith(replacement, StringComparison.Ordinal))
        {
            replaced = replacement + replaced;
        }

        if (!split)
        {
            return replaced.Length == 0 ? [] : [replaced];
        }

        var pieces = new List<string>();
        var start = 0;
        for (var i = replacement.Length > 0 ? replaced.IndexOf(replacement, 1, StringComparison.Ordinal) : -1;
             i >= 0;
             i = replaced.IndexOf(replacement, i + 1, StringComparison.Ordinal))
        {
            pieces.Add(replaced[start..i]);
            start = i;
        }

        if (start < replaced.Length)
        {
            pieces.Add(replaced[start..]);
        }

        return pieces;
    }
}

internal sealed class SequencePreTokenizer(IReadOnlyList<IPreTokenizer> steps) : IPreTokenizer
{
    public IEnumerable<string> Split(string text, int sectionIndex)
    {
        IEnumerable<string> words = [text];
        foreach (var step in steps)
        {
            words = words.SelectMany(w => step.Split(w, sectionIndex)).ToList();
        }

        return words;
    }
}
